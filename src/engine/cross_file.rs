//! The one check that compares files: duplicate-identifier (SCEP022). Each file's check
//! records its identifiers ([`Identifier`]); [`link`] finds the shared ones once every file has
//! been read, and adds a finding to each file that holds one.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::engine::FileReport;
use crate::rules::duplicate_identifier::META;
use crate::severity::Severity;
use crate::source::Position;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    ProfileUuid,
    ProfileIdentifier,
    ScepPayloadUuid,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::ProfileUuid => "the profile's PayloadUUID",
            Kind::ProfileIdentifier => "the profile's PayloadIdentifier",
            Kind::ScepPayloadUuid => "the SCEP payload's PayloadUUID",
        }
    }
}

/// One identifier a file holds and where. Kept for every file until all are read, so it is
/// small: no code frame (the file's text is gone by then), and the finding is only made if
/// another file shares the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identifier {
    pub kind: Kind,
    pub value: String,
    /// Which profile of the file holds it (a Kandji/Iru list holds several).
    pub profile_index: usize,
    pub start: Option<Position>,
    pub end: Option<Position>,
    pub key_path: Arc<str>,
    pub profile: Option<Arc<str>>,
    pub payload: Option<Arc<str>>,
    pub vendor: &'static str,
    pub platform: &'static str,
    /// The severity the file's configuration gives the rule; `None` when the rule is off for
    /// the file or a suppression covers this identifier: it is compared but not reported.
    pub severity: Option<Severity>,
}

/// How many of the other places a finding names before it only counts the rest: a profile
/// copied into a thousand files must not make a thousand thousand-entry messages.
const NAMED_PLACES: usize = 3;

/// An identifier by the index of its file and its index among the file's identifiers.
type Member = (usize, usize);

/// Adds a SCEP022 finding to every file holding an identifier another profile of the run holds
/// too. Files are in any order; the findings and their wording do not depend on it.
pub fn link(files: &mut [FileReport]) {
    let count = files.iter().map(|f| f.identifiers.len()).sum();
    let mut groups: HashMap<(Kind, Cow<'_, str>), Vec<Member>> = HashMap::with_capacity(count);
    for (f, file) in files.iter().enumerate() {
        for (i, id) in file.identifiers.iter().enumerate() {
            let key = match id.kind {
                Kind::ProfileIdentifier => Cow::Borrowed(id.value.as_str()),
                _ if id.value.bytes().any(|b| b.is_ascii_uppercase()) => {
                    Cow::Owned(id.value.to_ascii_lowercase())
                }
                _ => Cow::Borrowed(id.value.as_str()),
            };
            groups.entry((id.kind, key)).or_default().push((f, i));
        }
    }
    // Each file's findings are sorted below, so the order groups are visited in never shows.
    let mut found: Vec<(usize, Diagnostic)> = Vec::new();
    for ((kind, _), mut members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
        // Within one profile, repeats are profile-structure's (SCEP016) to report.
        let holder = |&(f, i): &(usize, usize)| (f, files[f].identifiers[i].profile_index);
        if members.iter().all(|m| holder(m) == holder(&members[0])) {
            continue;
        }
        let place = |&(f, i): &(usize, usize)| {
            let id = &files[f].identifiers[i];
            (
                files[f].path.as_str(),
                id.start.map_or(0, |p| p.line),
                &*id.key_path,
            )
        };
        members.sort_by(|a, b| place(a).cmp(&place(b)));
        let names: Vec<String> = members
            .iter()
            .map(|m| match place(m) {
                (path, 0, key_path) => format!("{path} ({key_path})"),
                (path, line, _) => format!("{path}:{line}"),
            })
            .collect();
        for (n, &(f, i)) in members.iter().enumerate() {
            let id = &files[f].identifiers[i];
            let Some(severity) = id.severity else {
                continue;
            };
            let others: Vec<&str> = names
                .iter()
                .enumerate()
                .filter(|(m, _)| *m != n)
                .map(|(_, name)| name.as_str())
                .take(NAMED_PLACES)
                .collect();
            let mut others = others.join(", ");
            let rest = members.len() - 1 - NAMED_PLACES.min(members.len() - 1);
            if rest > 0 {
                others.push_str(&format!(" and {rest} more"));
            }
            found.push((
                f,
                Diagnostic {
                    code: META.code,
                    rule: META.name,
                    severity,
                    path: files[f].path.as_str().into(),
                    line: id.start.map(|p| p.line),
                    column: id.start.map(|p| p.column),
                    end_line: id.end.map(|p| p.line),
                    end_column: id.end.map(|p| p.column),
                    key_path: Some(id.key_path.clone()),
                    message: format!(
                        "{} `{}` is also used by {others}; a device keeps only one of the profiles (or payloads) with the same identifier, so one silently replaces the other",
                        kind.describe(),
                        id.value,
                    )
                    .into(),
                    help: crate::diagnostic::intern("give each profile (and each SCEP payload) its own PayloadUUID and PayloadIdentifier; a copied profile needs new ones (`uuidgen`)"),
                    profile: id.profile.clone(),
                    payload: id.payload.clone(),
                    vendor: Some(id.vendor),
                    platform: Some(id.platform),
                    frame: None,
                    fix: None,
                    fails: false,
                },
            ));
        }
    }
    for (f, diagnostic) in found {
        files[f].diagnostics.push(diagnostic);
    }
    for file in files {
        file.diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        file.identifiers = Vec::new();
    }
}
