//! Inline suppressions in XML comments:
//!
//! - `<!-- sceplint: ignore SCEP005 -- reason -->` silences that rule on the key that follows
//!   the comment (the entry: key and value);
//! - `<!-- sceplint: ignore-file SCEP005 -- reason -->` anywhere silences it in the whole file.
//!
//! Rules are named by code or name, several separated by commas or spaces; the reason after
//! `--` is optional. A suppression that silences nothing, names no rule, or cannot be read is
//! itself reported (SCEP100 unused-suppression), as ruff does with RUF100. Files that cannot
//! carry comments (JSON, binary, signed) are suppressed from configuration instead.

use crate::container::Comment;
use crate::rules;
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The entry that follows the comment.
    Next,
    File,
}

/// A rule named in a suppression: as written, and the rule's code when it names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub written: String,
    pub code: Option<&'static str>,
    pub used: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub scope: Scope,
    pub rules: Vec<Named>,
    /// Where the comment is.
    pub span: Option<Span>,
    /// What a `Next` directive covers: from the following key to the end of its value.
    pub covers: Option<Span>,
}

/// A `sceplint:` comment that is not a suppression sceplint can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub span: Option<Span>,
}

#[derive(Debug, Default)]
pub struct Suppressions {
    pub directives: Vec<Directive>,
    pub malformed: Vec<Malformed>,
}

/// Whether a comment is meant for sceplint at all (cheap, before any parsing).
pub fn mentions_sceplint(comments: &[Comment]) -> bool {
    comments.iter().any(|c| c.text.contains("sceplint"))
}

/// Reads a comment's text: `None` if it is not for sceplint, `Some(Err)` if it is but cannot
/// be read.
fn parse(text: &str) -> Option<Result<(Scope, Vec<String>), ()>> {
    let rest = text.trim().strip_prefix("sceplint:")?.trim_start();
    let (scope, rest) = if let Some(rest) = rest.strip_prefix("ignore-file") {
        (Scope::File, rest)
    } else if let Some(rest) = rest.strip_prefix("ignore") {
        (Scope::Next, rest)
    } else {
        return Some(Err(()));
    };
    if !rest.starts_with(char::is_whitespace) {
        return Some(Err(()));
    }
    let names = rest.split(" --").next().unwrap_or_default();
    let rules: Vec<String> = names
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if rules.is_empty() {
        return Some(Err(()));
    }
    Some(Ok((scope, rules)))
}

impl Suppressions {
    /// The suppressions among `comments`; `entries` are the byte ranges (key start to value end)
    /// of every dict entry in the file, sorted by start.
    pub fn collect<'a>(comments: impl IntoIterator<Item = &'a Comment>, entries: &[Span]) -> Self {
        let mut suppressions = Suppressions::default();
        for comment in comments {
            match parse(&comment.text) {
                None => {}
                Some(Err(())) => suppressions.malformed.push(Malformed {
                    span: comment.span.clone(),
                }),
                Some(Ok((scope, names))) => {
                    let covers = match (scope, &comment.span) {
                        (Scope::Next, Some(span)) => {
                            let next = entries.partition_point(|e| e.start < span.end);
                            entries.get(next).cloned()
                        }
                        _ => None,
                    };
                    suppressions.directives.push(Directive {
                        scope,
                        rules: names
                            .into_iter()
                            .map(|written| Named {
                                code: rules::find_meta(&written).map(|m| m.code),
                                written,
                                used: false,
                            })
                            .collect(),
                        span: comment.span.clone(),
                        covers,
                    });
                }
            }
        }
        suppressions
    }

    pub fn is_empty(&self) -> bool {
        self.directives.is_empty() && self.malformed.is_empty()
    }

    /// Whether a finding of `code` at `at` is silenced; marks the directive used if so.
    pub fn silences(&mut self, code: &str, at: Option<&Span>) -> bool {
        let mut silenced = false;
        for directive in &mut self.directives {
            let applies = match directive.scope {
                Scope::File => true,
                Scope::Next => match (&directive.covers, at) {
                    (Some(covers), Some(at)) => {
                        covers.start <= at.start && at.start < covers.end.max(covers.start + 1)
                    }
                    _ => false,
                },
            };
            if !applies {
                continue;
            }
            for named in &mut directive.rules {
                if named.code == Some(code) {
                    named.used = true;
                    silenced = true;
                }
            }
        }
        silenced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(text: &str, span: Span) -> Comment {
        Comment {
            text: text.to_owned(),
            span: Some(span),
        }
    }

    #[test]
    fn reads_codes_names_and_reasons() {
        assert_eq!(
            parse(" sceplint: ignore SCEP005, key-size -- the CA needs it "),
            Some(Ok((Scope::Next, vec!["SCEP005".into(), "key-size".into()])))
        );
        assert_eq!(
            parse("sceplint: ignore-file SCEP001"),
            Some(Ok((Scope::File, vec!["SCEP001".into()])))
        );
        assert_eq!(parse("just a comment"), None);
        assert_eq!(parse("sceplint: ignor SCEP005"), Some(Err(())));
        assert_eq!(parse("sceplint: ignore -- no rule named"), Some(Err(())));
        assert_eq!(parse("sceplint: ignoreSCEP005"), Some(Err(())));
    }

    #[test]
    fn a_line_suppression_covers_the_next_entry_only() {
        // Two entries: 10..30 and 40..60; the comment sits before the second.
        let entries = vec![10..30, 40..60];
        let mut s =
            Suppressions::collect(&[comment("sceplint: ignore key-size", 32..38)], &entries);
        assert_eq!(s.directives[0].covers, Some(40..60));
        assert!(!s.silences("SCEP003", Some(&(20..24))));
        assert!(!s.silences("SCEP004", Some(&(50..54))));
        assert!(!s.directives[0].rules[0].used);
        assert!(s.silences("SCEP003", Some(&(50..54))));
        assert!(s.directives[0].rules[0].used);
    }

    #[test]
    fn a_file_suppression_covers_everything_of_its_rule() {
        let mut s = Suppressions::collect(&[comment("sceplint: ignore-file SCEP001", 0..5)], &[]);
        assert!(s.silences("SCEP001", None));
        assert!(!s.silences("SCEP002", Some(&(9..10))));
    }

    #[test]
    fn unknown_rules_are_kept_to_be_reported() {
        let s = Suppressions::collect(&[comment("sceplint: ignore SCEP999", 0..5)], &[]);
        assert_eq!(s.directives[0].rules[0].code, None);
    }
}
