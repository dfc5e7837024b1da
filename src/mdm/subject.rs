//! Subjects written as strings (`CN={{DeviceName}},O=Acme`), as Intune stores them and as the
//! MDM consoles show them: split into RDNs on unescaped commas and into attributes on `+`.

use crate::model::{Attribute, Origin, Subject, SubjectProblem};
use crate::source::Span;
use crate::tree::KeyPath;

/// Parses `text`. `field` is where the text sits in the file when it maps one to one (no
/// escapes in between), so attributes can point at their own value; otherwise they point at
/// the whole field.
pub fn parse(text: &str, field: Option<Span>, exact: bool, path: &KeyPath) -> Subject {
    let mut subject = Subject {
        rdns: Vec::new(),
        text: text.to_owned(),
        problems: Vec::new(),
        dn_string: true,
    };
    let locate = |range: std::ops::Range<usize>| match (&field, exact) {
        (Some(field), true) => Some(field.start + range.start..field.start + range.end),
        (field, _) => field.clone(),
    };
    for (i, rdn) in split_unescaped(text, ',', 0).into_iter().enumerate() {
        let mut attributes = Vec::new();
        for part in split_unescaped(&text[rdn.clone()], '+', rdn.start) {
            let raw = &text[part.clone()];
            let Some(eq) = raw.find('=') else {
                if !raw.trim().is_empty() {
                    subject.problems.push(SubjectProblem {
                        message: format!("RDN {} has no `=` between its type and value", i + 1),
                        origin: Origin::new(locate(part.clone()), path.clone()),
                    });
                }
                continue;
            };
            let value_start = part.start + eq + 1;
            let value_text = &text[value_start..part.end];
            let lead = value_text.len() - value_text.trim_start().len();
            let value_range = value_start + lead..value_start + value_text.trim_end().len();
            let kind_text = &raw[..eq];
            let kind_lead = kind_text.len() - kind_text.trim_start().len();
            let kind_range = part.start + kind_lead..part.start + kind_text.trim_end().len();
            attributes.push(Attribute {
                kind: kind_text.trim().to_owned(),
                value: text[value_range.clone()].to_owned(),
                origin: Origin::new(locate(value_range), path.clone()),
                kind_origin: Origin::new(locate(kind_range), path.clone()),
            });
        }
        if !attributes.is_empty() {
            subject.rdns.push(attributes);
        }
    }
    subject
}

/// Ranges of `text` between unescaped `separator`s (a backslash escapes; double quotes group).
fn split_unescaped(text: &str, separator: char, base: usize) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            c if c == separator && !quoted => {
                parts.push(base + start..base + i);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(base + start..base + text.len());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_rdns_and_multi_valued_attributes() {
        let text = "CN={{UserPrincipalName}} managementAttestation {{DeviceId}},O=Acme+OU=IT";
        let subject = parse(text, Some(10..10 + text.len()), true, &KeyPath::root());
        let pairs: Vec<_> = subject
            .attributes()
            .map(|a| (a.kind.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                (
                    "CN",
                    "{{UserPrincipalName}} managementAttestation {{DeviceId}}"
                ),
                ("O", "Acme"),
                ("OU", "IT")
            ]
        );
        assert_eq!(subject.rdns.len(), 2);
        let o = &subject.rdns[1][0];
        assert_eq!(
            o.origin.span,
            Some(10 + text.find("Acme").unwrap()..10 + text.find("+OU").unwrap())
        );
    }

    #[test]
    fn escaped_commas_stay_in_the_value() {
        let subject = parse(r"CN=Doe\, John,O=X", None, false, &KeyPath::root());
        assert_eq!(subject.rdns.len(), 2);
        assert_eq!(subject.rdns[0][0].value, r"Doe\, John");
    }

    #[test]
    fn parts_without_equals_are_problems() {
        let subject = parse("CN=x,garbage", None, false, &KeyPath::root());
        assert_eq!(subject.problems.len(), 1);
    }
}
