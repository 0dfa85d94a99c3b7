//! The rules (one file each) and the comparison context every rule reads.
//!
//! A rule is a plain function `fn check(cx: &Cx, acc: &mut Vec<Finding>)`: context first,
//! accumulator last, no I/O. What several rules need (table, row and link alignment) is
//! computed once in `Cx::new`. The table of rules is `rule_id::rule_table!`: adding a rule
//! is one line there and its file here (with a `check` function, except for a `Tree` rule,
//! which a driver reports).

use crate::finding::Finding;

mod cx;
mod linked;
mod place;

pub use crate::rule_id::{RuleId, Scope};
pub use crate::targets::{
    escapes_root, normalize_target, resolve_relative, same_target, split_fragment, Base, Resolution,
};
pub use crate::text::{line_end, line_start, next_line_start};
pub use cx::{certain_pairing, note_pairs, row_similarity, Cx, Files, LinkGroup, Peer, TablePair, Workspace};
pub use heading_mismatch::heading_pairs;
pub use linked::{
    linked_page, page_file, route, routed_pairs, same_routed_page, site_page, url_relative, url_style_link, Fragments,
    Routed,
};
pub use place::{first_line, insertion_point, key, row_name};

/// A rule's implementation.
pub struct Rule {
    pub id: RuleId,
    pub name: &'static str,
    pub code: &'static str,
    pub scope: Scope,
    /// `None` for `Tree` rules, whose findings a driver makes.
    pub check: Option<fn(&Cx, &mut Vec<Finding>)>,
}

/// Declares each rule's module and its row of `RULES`.
macro_rules! declare_rules {
    ($($id:ident, $module:ident, $name:literal, $code:literal, $scope:ident;)*) => {
        $(pub(crate) mod $module;)*

        /// Every rule, in catalog order; `RULES[id as usize].id == id`.
        pub const RULES: &[Rule] = &[
            $(Rule { id: RuleId::$id, name: $name, code: $code, scope: Scope::$scope, check: check_fn!($scope, $module) },)*
        ];
    };
}

/// A `Tree` rule has no check function; every other rule's module has one.
macro_rules! check_fn {
    (Tree, $module:ident) => {
        None
    };
    ($scope:ident, $module:ident) => {
        Some($module::check)
    };
}

crate::rule_id::rule_table!(declare_rules);

impl RuleId {
    /// The rule's implementation.
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }
}
