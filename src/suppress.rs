//! Suppression comments in a translation: which findings they hide, and which hid nothing.
//!
//! Four forms, as in markdownlint and ESLint, each naming rules (names or codes, separated
//! by commas or spaces) or none for every rule, optionally followed by ` -- a reason`:
//!
//! - `<!-- locdrift-disable-next-line stale-link -->`: the line after the comment;
//! - `<!-- locdrift-disable-line stale-link -->`: the comment's own line(s), which is the
//!   only form that works inside a table, where a comment on a line of its own would end
//!   the table;
//! - `<!-- locdrift-disable row-order, LD110 -->` … `<!-- locdrift-enable -->`: a region; an
//!   `enable` without rules closes every open region, one with rules closes the regions
//!   that name any of them; an unclosed region runs to the end of the file;
//! - `<!-- locdrift-disable-file -->`: the whole file.
//!
//! A finding is hidden when its span starts inside a directive's range and the directive
//! names its rule (or none). Sans I/O: the comments come from `model::Doc::comments`.

use crate::finding::{Finding, Span};
use crate::rule_id::RuleId;
use crate::text::{line_end, line_start, next_line_start};

const PREFIX: &str = "locdrift-";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NextLine,
    Line,
    Region,
    File,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NextLine => "locdrift-disable-next-line",
            Kind::Line => "locdrift-disable-line",
            Kind::Region => "locdrift-disable",
            Kind::File => "locdrift-disable-file",
        }
    }
}

/// One disabling comment and where it applies.
#[derive(Debug, Clone)]
pub struct Directive {
    pub kind: Kind,
    /// The rules it names; empty for every rule.
    pub rules: Vec<RuleId>,
    /// The comment itself, where an unused suppression is reported.
    pub comment: Span,
    /// The comment's text, which keys the report for baselines.
    pub text: String,
    /// The bytes where findings are hidden.
    pub range: Span,
    /// Per rule (or one entry for "every rule"): whether it hid something.
    used: Vec<bool>,
}

impl Directive {
    fn covers(&self, f: &Finding) -> Option<usize> {
        let at = f.span.start;
        let inside =
            self.range.start <= at && (at < self.range.end || at == self.range.end && self.kind != Kind::Region);
        if !inside {
            return None;
        }
        if self.rules.is_empty() {
            return Some(0);
        }
        self.rules.iter().position(|r| *r == f.rule)
    }
}

/// A suppression comment that can never hide anything: a misspelt directive or rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub comment: Span,
    pub text: String,
    pub message: String,
}

/// What a suppression comment failed to do, for `unused-suppression` to report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    pub comment: Span,
    pub text: String,
    pub message: String,
}

/// The suppression comments of one translation.
#[derive(Debug, Clone, Default)]
pub struct Suppressions {
    pub directives: Vec<Directive>,
    pub problems: Vec<Problem>,
}

impl Suppressions {
    /// Reads the directives from a document's comments (in document order).
    pub fn new(comments: &[crate::model::Comment], text: &str) -> Suppressions {
        let mut out = Suppressions::default();
        let mut open: Vec<usize> = Vec::new();
        for c in comments {
            let Some(body) = c.text.strip_prefix(PREFIX) else { continue };
            // A reason may follow ` -- `; it is for the reader only.
            let body = body.split(" -- ").next().unwrap_or("");
            let (word, rest) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
            let kind = match word {
                "disable-next-line" => Some(Kind::NextLine),
                "disable-line" => Some(Kind::Line),
                "disable" => Some(Kind::Region),
                "disable-file" => Some(Kind::File),
                "enable" => None,
                other => {
                    out.problems.push(Problem {
                        comment: c.span,
                        text: c.text.clone(),
                        message: format!(
                            "unknown directive `{PREFIX}{other}`; expected locdrift-disable-next-line, \
                             locdrift-disable-line, locdrift-disable, locdrift-enable or locdrift-disable-file"
                        ),
                    });
                    continue;
                }
            };
            let mut rules = Vec::new();
            for name in rest.split(|ch: char| ch == ',' || ch.is_whitespace()).filter(|n| !n.is_empty()) {
                match RuleId::from_name_or_code(name) {
                    Some(rule) => {
                        if !rules.contains(&rule) {
                            rules.push(rule);
                        }
                    }
                    None => out.problems.push(Problem {
                        comment: c.span,
                        text: c.text.clone(),
                        message: format!("unknown rule `{name}` in this suppression comment (see `locdrift rules`)"),
                    }),
                }
            }
            let Some(kind) = kind else {
                // `enable`: close the regions it names (all of them when it names none).
                for i in std::mem::take(&mut open) {
                    let d = &mut out.directives[i];
                    let closes = rules.is_empty() || d.rules.iter().any(|r| rules.contains(r));
                    if closes {
                        d.range.end = c.span.start;
                    } else {
                        open.push(i);
                    }
                }
                continue;
            };
            let range = match kind {
                Kind::NextLine => next_line(text, c.span.end),
                Kind::Line => Span::new(line_start(text, c.span.start), line_end(text, c.span.end)),
                Kind::Region => Span::new(c.span.end, text.len()),
                Kind::File => Span::new(0, text.len()),
            };
            if kind == Kind::Region {
                open.push(out.directives.len());
            }
            let used = vec![false; rules.len().max(1)];
            out.directives.push(Directive { kind, rules, comment: c.span, text: c.text.clone(), range, used });
        }
        out
    }

    /// Whether some directive could hide findings of `rule`: such a rule must run even
    /// when it is not enabled, to tell a used suppression from an unused one.
    pub fn mentions(&self, rule: RuleId) -> bool {
        self.directives.iter().any(|d| d.rules.is_empty() || d.rules.contains(&rule))
    }

    pub fn is_empty(&self) -> bool {
        self.directives.is_empty() && self.problems.is_empty()
    }

    /// Removes the findings a directive covers and records which directives were used.
    pub fn apply(&mut self, findings: &mut Vec<Finding>) {
        if self.directives.is_empty() {
            return;
        }
        findings.retain(|f| {
            let mut hidden = false;
            for d in &mut self.directives {
                if let Some(k) = d.covers(f) {
                    d.used[k] = true;
                    hidden = true;
                }
            }
            !hidden
        });
    }

    /// Every part of a comment that hid nothing, after `apply`.
    pub fn unused(&self) -> Vec<Unused> {
        let mut out: Vec<Unused> = self
            .problems
            .iter()
            .map(|p| Unused { comment: p.comment, text: p.text.clone(), message: p.message.clone() })
            .collect();
        for d in &self.directives {
            if d.rules.is_empty() {
                if !d.used[0] {
                    out.push(Unused {
                        comment: d.comment,
                        text: d.text.clone(),
                        message: format!("this `{}` comment hid nothing; delete it", d.kind.as_str()),
                    });
                }
                continue;
            }
            let idle: Vec<String> =
                d.rules.iter().zip(&d.used).filter(|(_, used)| !**used).map(|(r, _)| format!("`{r}`")).collect();
            if idle.is_empty() {
                continue;
            }
            let message = if idle.len() == d.rules.len() {
                format!("this `{}` comment for {} hid nothing; delete it", d.kind.as_str(), idle.join(", "))
            } else {
                format!(
                    "{} in this `{}` comment hid nothing; remove it from the list",
                    idle.join(", "),
                    d.kind.as_str()
                )
            };
            out.push(Unused { comment: d.comment, text: d.text.clone(), message });
        }
        out.sort_by_key(|u| u.comment);
        out
    }
}

/// The line after the one holding `at` (empty at the end of the file).
fn next_line(text: &str, at: usize) -> Span {
    let start = next_line_start(text, at);
    Span::new(start, line_end(text, start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Comment;

    fn comments(text: &str) -> Vec<Comment> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(i) = text[from..].find("<!--") {
            let start = from + i;
            let end = start + text[start..].find("-->").unwrap() + 3;
            out.push(Comment { text: text[start + 4..end - 3].trim().to_string(), span: Span::new(start, end) });
            from = end;
        }
        out
    }

    fn finding(rule: RuleId, text: &str, needle: &str) -> Finding {
        let at = text.find(needle).unwrap();
        Finding::new(rule, Span::new(at, at + needle.len()), "x")
    }

    #[test]
    fn next_line_hides_only_that_line_and_rule() {
        let text = "<!-- locdrift-disable-next-line stale-link -->\nA [x](a.md)\nB [y](b.md)\n";
        let mut s = Suppressions::new(&comments(text), text);
        let mut fs = vec![finding(RuleId::StaleLink, text, "a.md"), finding(RuleId::StaleLink, text, "b.md")];
        fs.push(finding(RuleId::ExtraLink, text, "[x]"));
        s.apply(&mut fs);
        let left: Vec<_> = fs.iter().map(|f| (f.rule.name(), &text[f.span.start..f.span.end])).collect();
        assert_eq!(left, [("stale-link", "b.md"), ("extra-link", "[x]")]);
        assert!(s.unused().is_empty());
    }

    #[test]
    fn regions_close_at_enable_and_codes_work() {
        let text = "<!-- locdrift-disable LD301 -->\na.md\n<!-- locdrift-enable -->\nb.md\n";
        let mut s = Suppressions::new(&comments(text), text);
        let mut fs = vec![finding(RuleId::StaleLink, text, "a.md"), finding(RuleId::StaleLink, text, "b.md")];
        s.apply(&mut fs);
        assert_eq!(fs.len(), 1);
        assert_eq!(&text[fs[0].span.start..fs[0].span.end], "b.md");
    }

    #[test]
    fn unknown_words_and_idle_rules_are_unused() {
        let text =
            "<!-- locdrift-disabel x -->\n<!-- locdrift-disable-file stale-link, row-order, nope -- why -->\na.md\n";
        let mut s = Suppressions::new(&comments(text), text);
        let mut fs = vec![finding(RuleId::StaleLink, text, "a.md")];
        s.apply(&mut fs);
        assert!(fs.is_empty());
        let messages: Vec<String> = s.unused().into_iter().map(|u| u.message).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("unknown directive `locdrift-disabel`"), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("unknown rule `nope`")), "{messages:?}");
        assert!(messages.iter().any(|m| m.starts_with("`row-order` in this")), "{messages:?}");
    }
}
