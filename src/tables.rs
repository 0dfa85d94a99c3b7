//! Table schemas (`rules/tables/*.yaml`): recognize a known table and the role of each column.
//!
//! Without a schema, roles are inferred from the source cells (all yes/no or empty: a flag
//! column; all vocabulary terms or empty: a term column). A schema makes the roles explicit
//! for tables where inference could go wrong, e.g. a flag column whose source happens to
//! have a note in one cell.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::model::{CellValue, Table};
use crate::vocab::Vocab;

pub const FILES: &[(&str, &str)] = &[
    ("azure-ml-compute-targets", include_str!("../rules/tables/azure-ml-compute-targets.yaml")),
    ("vm-series", include_str!("../rules/tables/vm-series.yaml")),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Identifies the row (its first link, code span or text).
    Key,
    /// A yes/no fact, compared by meaning (`flag-mismatch`).
    Flag,
    /// A categorical value from the vocabularies (`value-mismatch`).
    Term,
    /// Free text; only links, numbers and markers are compared.
    Text,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// What the file calls the table; only tests read it so far.
    #[allow(dead_code, reason = "the schema files name their table, and deny_unknown_fields reads it")]
    pub name: String,
    pub columns: Vec<Column>,
}

static SCHEMAS: LazyLock<Vec<Schema>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, text)| crate::yaml::from_str(text).unwrap_or_else(|e| panic!("rules/tables/{name}.yaml: {e}")))
        .collect()
});

/// The schema whose columns name every header cell of a source table.
pub fn recognize(table: &Table) -> Option<&'static Schema> {
    if table.header.is_empty() {
        return None;
    }
    SCHEMAS.iter().find(|s| {
        table
            .header
            .iter()
            .all(|h| s.columns.iter().any(|c| c.name.eq_ignore_ascii_case(h.text.trim_matches('*').trim())))
    })
}

/// The role of every column of a source table: from its schema, else inferred from its
/// cells' values (read in `vocab`).
pub fn roles(table: &Table, vocab: &Vocab) -> Vec<Role> {
    if let Some(schema) = recognize(table) {
        return table
            .header
            .iter()
            .map(|h| {
                schema
                    .columns
                    .iter()
                    .find(|c| c.name.eq_ignore_ascii_case(h.text.trim_matches('*').trim()))
                    .map_or(Role::Text, |c| c.role)
            })
            .collect();
    }
    (0..table.columns())
        .map(|col| {
            if col == 0 {
                return Role::Key;
            }
            let values: Vec<&CellValue> = table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(col))
                .map(|c| crate::parse::cell_value(c, vocab))
                .collect();
            let all = |f: fn(&CellValue) -> bool| values.iter().all(|v| f(v) || **v == CellValue::Empty);
            if values.iter().any(|v| matches!(v, CellValue::Flag(_))) && all(|v| matches!(v, CellValue::Flag(_))) {
                Role::Flag
            } else if values.iter().any(|v| matches!(v, CellValue::Term(_))) && all(|v| matches!(v, CellValue::Term(_)))
            {
                Role::Term
            } else {
                Role::Text
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compute_target_table_is_recognized() {
        let text = "| Compute target | Used for | GPU support | FPGA support | Description |\n|-|-|-|-|-|\n| [a](a.md) | x | Yes | | y |\n";
        let doc = crate::parse::parse(text);
        let table = doc.tables().next().unwrap();
        assert_eq!(recognize(table).unwrap().name, "azure-ml-compute-targets");
        assert_eq!(roles(table, &Vocab::builtin()), vec![Role::Key, Role::Text, Role::Flag, Role::Flag, Role::Text]);
    }

    #[test]
    fn vm_series_restrictions_are_terms() {
        let text = "| **Supported VM series** | **Restrictions** |\n|-|-|\n| D | None |\n| M | Requires approval |\n";
        let vocab = Vocab::builtin();
        let doc = crate::parse::parse(text);
        let table = doc.tables().next().unwrap();
        assert_eq!(roles(table, &vocab), vec![Role::Key, Role::Term]);
        assert_eq!(
            *crate::parse::cell_value(&table.rows[1].cells[1], &vocab),
            CellValue::Term("approval-required".into())
        );
    }
}
