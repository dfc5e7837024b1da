//! Linting one file: load, read into the model, run the rules, place the findings.
//!
//! Everything that depends on a file's text (positions, code frames, masking) happens here,
//! while the text is in memory; a [`FileReport`] keeps only what reports need.

use std::sync::Arc;

use serde::Serialize;

use crate::container::{self, Limits, ParseError};
use crate::diagnostic::Diagnostic;
use crate::frame::FrameBuilder;
use crate::model::{Field, Origin, Profile, Provenance, Redistribution, Vendor};
use crate::rules::duplicate_identifier::{Identifier, Kind};
use crate::rules::{self, Context, Finding, Label, Options, RuleMeta, Severity};
use crate::secrets::{self, Found};
use crate::source::{LineIndex, Position, Span};
use crate::suppress::{self, Scope, Suppressions};
use crate::vendor::{self, Hints, Problem};

/// Everything that shapes how one file is checked: the defaults, then its configuration file
/// and the overrides that match it, then the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub limits: Limits,
    pub options: Options,
    pub rules: RuleLevels,
    /// The lowest severity that makes the run fail.
    pub fail_on: Severity,
    /// The MDM the file comes from, when configuration says so (content decides otherwise).
    pub vendor: Option<Vendor>,
    /// Redistribution days declared for profiles whose export cannot show the setting.
    pub redistribution_days: Option<i64>,
    pub max_file_size: u64,
    /// Whether to cut code frames (only the human report shows them).
    pub frames: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            limits: Limits::default(),
            options: Options::default(),
            rules: RuleLevels::default(),
            fail_on: Severity::Error,
            vendor: None,
            redistribution_days: None,
            max_file_size: 16 * 1024 * 1024,
            frames: true,
        }
    }
}

/// Which rules run, and at which severity when configuration changes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleLevels {
    off: std::collections::BTreeSet<&'static str>,
    severity: std::collections::BTreeMap<&'static str, Severity>,
}

impl RuleLevels {
    pub fn is_on(&self, code: &str) -> bool {
        !self.off.contains(code)
    }

    /// The severity a finding of `code` gets: the configured one, else the finding's own.
    pub fn severity(&self, code: &str, own: Severity) -> Severity {
        self.severity.get(code).copied().unwrap_or(own)
    }

    pub fn configured(&self, code: &str) -> Option<Severity> {
        self.severity.get(code).copied()
    }

    /// Only `codes` run.
    pub fn select_only(&mut self, codes: &[&'static str]) {
        self.off = rules::all_meta()
            .map(|m| m.code)
            .filter(|code| !codes.contains(code))
            .collect();
    }

    pub fn enable(&mut self, codes: &[&'static str]) {
        for code in codes {
            self.off.remove(code);
        }
    }

    pub fn disable(&mut self, codes: &[&'static str]) {
        self.off.extend(codes.iter().copied());
    }

    /// Sets a rule's severity, which also turns it on.
    pub fn set_severity(&mut self, code: &'static str, severity: Severity) {
        self.off.remove(code);
        self.severity.insert(code, severity);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Holds at least one SCEP profile, which was checked.
    Checked,
    /// Read fine, but holds no SCEP profile.
    NoScep,
    /// Could not be read or parsed (a SCEP000 finding says why).
    Unreadable,
}

#[derive(Debug, Clone)]
pub struct FileReport {
    pub path: String,
    pub status: FileStatus,
    pub profiles: usize,
    /// SCEP payloads across the profiles (findings name their payload when there are several).
    pub payloads: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// The lowest severity that fails the run, for this file.
    pub fail_on: Severity,
    /// Each profile checked (by label) and the rules that ran on it, for reports that list
    /// passing checks too (JUnit).
    pub checked: Vec<(String, rules::RuleSet)>,
    /// Findings silenced by `sceplint:` comments.
    pub suppressed: usize,
    /// The identifiers this file's profiles hold, for the check across files (SCEP022).
    pub identifiers: Vec<Identifier>,
    /// The secrets found in the file that are long enough to search for everywhere: the run
    /// hides them in everything it writes, whichever file's finding shows them.
    pub secrets: Vec<String>,
    /// sceplint itself failed on this file (a bug): the run reports it and exits 2.
    pub internal_error: bool,
}

impl FileReport {
    fn empty(path: &str, status: FileStatus, settings: &Settings) -> Self {
        FileReport {
            path: path.to_owned(),
            status,
            profiles: 0,
            payloads: 0,
            diagnostics: Vec::new(),
            fail_on: settings.fail_on,
            checked: Vec::new(),
            suppressed: 0,
            identifiers: Vec::new(),
            secrets: Vec::new(),
            internal_error: false,
        }
    }

    fn with_secrets(mut self, found: &Found) -> Self {
        self.secrets = found.searchable().into_iter().map(str::to_owned).collect();
        self
    }

    /// A file whose check panicked: a bug in sceplint, reported without the panic's message
    /// (which could quote the file).
    pub fn internal_error(path: &str, settings: &Settings) -> Self {
        let mut report = FileReport::empty(path, FileStatus::Unreadable, settings);
        report.internal_error = true;
        report.diagnostics.extend(file_level(
            path,
            &rules::PARSE_ERROR,
            "internal error: sceplint failed while checking this file, so it was not checked (a bug in sceplint)".to_owned(),
            rules::INTERNAL_ERROR_HELP,
            settings,
        ));
        report
    }

    /// A file that could not be read at all.
    pub fn unreadable(path: &str, message: String, settings: &Settings) -> Self {
        let mut report = FileReport::empty(path, FileStatus::Unreadable, settings);
        report.diagnostics.extend(file_level(
            path,
            &rules::PARSE_ERROR,
            message,
            rules::PARSE_ERROR_HELP,
            settings,
        ));
        report
    }

    /// Masks the run's secrets and escapes control characters in everything the report shows
    /// of this file (see [`Diagnostic::scrub`]).
    pub fn scrub(&mut self, scrubber: &mut secrets::redactor::Scrubber<'_>) {
        let FileReport {
            path,
            status: _,
            profiles: _,
            payloads: _,
            diagnostics,
            fail_on: _,
            checked,
            suppressed: _,
            identifiers: _,
            secrets: _,
            internal_error: _,
        } = self;
        scrubber.string(path);
        for (label, _) in checked {
            scrubber.string(label);
        }
        for diagnostic in diagnostics {
            diagnostic.scrub(scrubber);
        }
    }

    /// Whether nothing the report shows of this file needs escaping (the common case, which
    /// lets a run without secrets skip scrubbing).
    pub fn is_printable(&self) -> bool {
        let plain = |text: &str| !text.chars().any(crate::escape::is_unsafe);
        plain(&self.path)
            && self.checked.iter().all(|(label, _)| plain(label))
            && self.diagnostics.iter().all(|d| {
                [
                    Some(&d.path),
                    d.key_path.as_ref(),
                    Some(&d.message),
                    Some(&d.help),
                ]
                .into_iter()
                .flatten()
                .chain(d.profile.as_ref())
                .chain(d.payload.as_ref())
                .all(|t| plain(t))
            })
    }

    /// Whether a finding here fails the run.
    pub fn fails(&self, diagnostic: &Diagnostic) -> bool {
        diagnostic.severity >= self.fail_on
    }
}

/// A finding about a whole file, with no position in it (`None` when its rule is off).
fn file_level(
    path: &str,
    meta: &'static RuleMeta,
    message: String,
    help: &str,
    settings: &Settings,
) -> Option<Diagnostic> {
    settings.rules.is_on(meta.code).then(|| Diagnostic {
        code: meta.code,
        rule: meta.name,
        severity: settings.rules.severity(meta.code, meta.severity),
        path: path.into(),
        line: None,
        column: None,
        end_line: None,
        end_column: None,
        key_path: None,
        message: message.into(),
        help: crate::diagnostic::intern(help),
        profile: None,
        payload: None,
        frame: None,
        fails: false,
    })
}

/// Checks the bytes of one file.
pub fn check_bytes(path: &str, bytes: &[u8], settings: &Settings) -> FileReport {
    inject_panic_for_tests(path);
    let loaded = container::load(bytes, &settings.limits);
    let text = loaded.text.as_deref();
    let document = match loaded.document {
        Ok(document) => document,
        Err(error) => {
            return parse_failure(
                path,
                text,
                &error,
                rules::PARSE_ERROR_HELP,
                settings,
                Found::default(),
                Parsed::No,
            );
        }
    };
    let mut found = document_secrets(&document, text);
    let hints = Hints {
        vendor: settings.vendor,
    };
    let read = match vendor::read(&document, text, &settings.limits, hints) {
        Ok(read) => read,
        Err(Problem::Parse(error)) => {
            return parse_failure(
                path,
                text,
                &error,
                rules::PARSE_ERROR_HELP,
                settings,
                found,
                Parsed::No,
            );
        }
        Err(Problem::Encrypted(origin)) => {
            let error = ParseError::new(
                "encrypted profile: its payloads are encrypted to a device, so sceplint cannot inspect them",
                origin.span,
            );
            // The file parsed, so its frame can show text, with its secrets masked.
            return parse_failure(
                path,
                text,
                &error,
                rules::ENCRYPTED_HELP,
                settings,
                found,
                Parsed::Yes,
            );
        }
    };
    found.extend(read.secrets);
    if read.profiles.is_empty() {
        return FileReport::empty(path, FileStatus::NoScep, settings).with_secrets(&found);
    }

    let mut profiles = read.profiles;
    if let Some(days) = settings.redistribution_days {
        declare_redistribution(&mut profiles, days);
    }
    let (located, checked) = run_rules(&profiles, settings);

    let mut suppressions = suppressions(&document, read.nested_comments, read.nested_entries);
    let before = located.len();
    let located: Vec<Located<'_>> = located
        .into_iter()
        .filter(|l| !suppressions.silences(l.meta.code, l.finding.label.origin.span.as_ref()))
        .collect();
    let suppressed = before - located.len();
    let (located, summaries) = cap_per_rule(located);

    let mut placer = Placer::new(path, text, settings, &found);
    let identifiers = identifiers(&profiles, &mut suppressions, &mut placer);
    let mut diagnostics: Vec<Diagnostic> = located
        .into_iter()
        .chain(summaries)
        .map(|located| placer.place(located))
        .collect();
    if settings.rules.is_on(rules::UNUSED_SUPPRESSION.code) {
        diagnostics.extend(
            unused_suppressions(&suppressions, settings)
                .into_iter()
                .map(|finding| placer.place_raw(&rules::UNUSED_SUPPRESSION, finding, None, None)),
        );
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    FileReport {
        path: path.to_owned(),
        status: FileStatus::Checked,
        profiles: profiles.len(),
        payloads: profiles.iter().map(|p| p.payloads.len()).sum(),
        diagnostics,
        fail_on: settings.fail_on,
        checked,
        suppressed,
        identifiers,
        secrets: Vec::new(),
        internal_error: false,
    }
    .with_secrets(&found)
}

/// The secrets of a parsed document's own tree and comments (nested plists are searched by
/// their readers).
fn document_secrets(document: &container::Document, text: Option<&str>) -> Found {
    let mut found = Found::default();
    let (root, comments) = match document {
        container::Document::Plist { root, comments, .. }
        | container::Document::Xml { root, comments } => (Some(root), comments.as_slice()),
        container::Document::Json { root } => (Some(root), &[][..]),
        container::Document::Enveloped => (None, &[][..]),
    };
    if let Some(root) = root {
        secrets::candidates::collect_tree(root, text, &mut found);
    }
    for comment in comments {
        secrets::candidates::scan_comment(comment, &mut found);
    }
    found
}

/// The most findings of one rule a file reports; the rest are summed up in one more. A file
/// with thousands of unknown keys gets a readable report, made in linear time.
pub const MAX_FINDINGS_PER_RULE: usize = 100;

/// Keeps the first [`MAX_FINDINGS_PER_RULE`] findings of each rule, and for each rule that had
/// more, a finding that says how many more, at the first one left out, as severe as the most
/// severe of them.
fn cap_per_rule(located: Vec<Located<'_>>) -> (Vec<Located<'_>>, Vec<Located<'_>>) {
    let mut counts: std::collections::HashMap<&'static str, usize> = Default::default();
    let mut kept = Vec::with_capacity(located.len().min(4096));
    let mut left_out: Vec<(Located<'_>, usize, Severity)> = Vec::new();
    for item in located {
        let count = counts.entry(item.meta.code).or_default();
        *count += 1;
        if *count <= MAX_FINDINGS_PER_RULE {
            kept.push(item);
            continue;
        }
        let severity = item.finding.severity.unwrap_or(item.meta.severity);
        match left_out
            .iter_mut()
            .find(|(first, _, _)| first.meta.code == item.meta.code)
        {
            Some((_, n, worst)) => {
                *n += 1;
                *worst = (*worst).max(severity);
            }
            None => left_out.push((item, 1, severity)),
        }
    }
    let summaries = left_out
        .into_iter()
        .map(|(first, n, worst)| Located {
            meta: first.meta,
            finding: Finding::new(
                format!(
                    "{n} more {} finding{} in this file {} not shown: sceplint lists the first {MAX_FINDINGS_PER_RULE} of a rule in each file",
                    first.meta.code,
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" },
                ),
                format!(
                    "fix the findings listed and run sceplint again, or turn `{}` off for this file in an `[[overrides]]` entry of sceplint.toml",
                    first.meta.name
                ),
                Label::new(&first.finding.label.origin, "more findings from here on"),
            )
            .with_severity(worst),
            profile: first.profile,
            payload: first.payload,
        })
        .collect();
    (kept, summaries)
}

/// Debug builds only: `SCEPLINT_TEST_PANIC=NAME` makes the check of a file whose path contains
/// NAME panic, so tests can show that a panic in one file's check spares the others.
fn inject_panic_for_tests(path: &str) {
    if cfg!(debug_assertions)
        && let Some(marker) = std::env::var_os("SCEPLINT_TEST_PANIC")
        && let Some(marker) = marker.to_str()
        && !marker.is_empty()
        && path.contains(marker)
    {
        panic!("injected for a test");
    }
}

/// The identifiers of the file's profiles that SCEP022 compares across files, placed. Those the
/// rule is off for, or an inline suppression covers (which counts as its use), are compared
/// but get no finding.
fn identifiers(
    profiles: &[Profile],
    suppressions: &mut Suppressions,
    placer: &mut Placer<'_>,
) -> Vec<Identifier> {
    let mut found = Vec::new();
    let on = placer
        .settings
        .rules
        .is_on(rules::DUPLICATE_IDENTIFIER.code);
    let severity = placer.settings.rules.severity(
        rules::DUPLICATE_IDENTIFIER.code,
        rules::DUPLICATE_IDENTIFIER.severity,
    );
    for (index, profile) in profiles.iter().enumerate() {
        let Some(structure) = &profile.structure else {
            continue;
        };
        let scep_uuids = structure
            .payloads
            .iter()
            .filter(|p| {
                p.payload_type
                    .as_ref()
                    .is_some_and(|t| t.value == vendor::apple::SCEP_PAYLOAD_TYPE)
            })
            .filter_map(|p| {
                Some((
                    Kind::ScepPayloadUuid,
                    p.uuid.as_ref()?,
                    p.identifier.as_ref().map(|i| i.value.clone()),
                ))
            });
        let top = [
            (Kind::ProfileUuid, structure.top.uuid.as_ref()),
            (Kind::ProfileIdentifier, structure.top.identifier.as_ref()),
        ]
        .into_iter()
        .filter_map(|(kind, field)| Some((kind, field?, None)));
        for (kind, field, payload) in top.chain(scep_uuids) {
            if field.value.trim().is_empty() {
                continue;
            }
            let reported = on
                && !suppressions
                    .silences(rules::DUPLICATE_IDENTIFIER.code, field.origin.span.as_ref());
            let (start, end) = placer.locate(&field.origin);
            found.push(Identifier {
                kind,
                value: field.value.clone(),
                profile_index: index,
                start,
                end,
                key_path: crate::diagnostic::intern(field.origin.key_path.as_str()),
                profile: profile.label().map(|label| placer.label(label)),
                payload: payload.map(|label| placer.label(&label)),
                severity: reported.then_some(severity),
            });
        }
    }
    found.shrink_to_fit();
    found
}

/// The `sceplint:` comments of a file: the document's own and those of plists nested in it.
fn suppressions(
    document: &container::Document,
    nested_comments: Vec<container::Comment>,
    nested_entries: Vec<Span>,
) -> Suppressions {
    let (root, comments) = match document {
        container::Document::Plist { root, comments, .. }
        | container::Document::Xml { root, comments } => (Some(root), comments.as_slice()),
        _ => (None, &[][..]),
    };
    let outer = suppress::mentions_sceplint(comments);
    if !outer && !suppress::mentions_sceplint(&nested_comments) {
        return Suppressions::default();
    }
    let mut entries = nested_entries;
    if let (true, Some(root)) = (outer, root) {
        entries.extend(root.entry_ranges());
        entries.sort_by_key(|r| (r.start, r.end));
    }
    Suppressions::collect(comments.iter().chain(&nested_comments), &entries)
}

/// A finding for each suppression that silenced nothing, named no rule or could not be read.
/// Suppressions of rules that configuration turns off are left alone.
fn unused_suppressions(suppressions: &Suppressions, settings: &Settings) -> Vec<Finding> {
    let at = |span: &Option<Span>| Origin::new(span.clone(), crate::tree::KeyPath::root());
    let mut findings = Vec::new();
    for malformed in &suppressions.malformed {
        findings.push(Finding::new(
            "this `sceplint:` comment is not a suppression sceplint can read",
            "write `sceplint: ignore CODE -- reason` before a key, or `sceplint: ignore-file CODE -- reason` anywhere",
            Label::new(&at(&malformed.span), "unreadable suppression"),
        ));
    }
    for directive in &suppressions.directives {
        let scope = match directive.scope {
            Scope::Next => "on the key that follows it",
            Scope::File => "in this file",
        };
        for named in &directive.rules {
            match named.code {
                None => findings.push(Finding::new(
                    format!("`{}` in this suppression is not a rule", named.written),
                    "name rules by code (SCEP005) or name (key-not-extractable); `sceplint rule --all` lists them",
                    Label::new(&at(&directive.span), "unknown rule"),
                )),
                Some(code) if !named.used && settings.rules.is_on(code) => findings.push(Finding::new(
                    if named.written.eq_ignore_ascii_case(code) {
                        format!("this suppression of {code} silences nothing {scope}")
                    } else {
                        format!("this suppression of {} ({code}) silences nothing {scope}", named.written)
                    },
                    format!("remove {} from the comment (or the comment), now that nothing needs silencing", named.written),
                    Label::new(&at(&directive.span), "silences nothing"),
                )),
                Some(_) => {}
            }
        }
    }
    findings
}

/// A profile whose export cannot show redistribution takes the declared value.
fn declare_redistribution(profiles: &mut [Profile], days: i64) {
    for profile in profiles {
        if profile.redistribution.value == Redistribution::Unknown
            && profile.redistribution.provenance == Provenance::Missing
            && profile.vendor != Vendor::Intune
        {
            profile.redistribution = Field::new(
                Redistribution::Days(days),
                Provenance::Declared,
                profile.redistribution.origin.clone(),
            );
        }
    }
}

/// A finding with the rule that made it and the profile and payload it is about.
struct Located<'a> {
    meta: &'static RuleMeta,
    finding: Finding,
    profile: Option<&'a Profile>,
    payload: Option<&'a str>,
}

/// Runs the rules that are on; also lists, per profile, the rules that ran.
#[allow(clippy::type_complexity)]
fn run_rules<'a>(
    profiles: &'a [Profile],
    settings: &Settings,
) -> (Vec<Located<'a>>, Vec<(String, rules::RuleSet)>) {
    let mut located = Vec::new();
    let mut findings = Vec::new();
    let enabled: Vec<&&dyn rules::Rule> = rules::RULES
        .iter()
        .filter(|rule| settings.rules.is_on(rule.meta().code))
        .collect();
    let ran = rules::RuleSet::of(|meta| settings.rules.is_on(meta.code));
    let checked = profiles
        .iter()
        .map(|p| (p.label().unwrap_or("profile").to_owned(), ran))
        .collect();
    for profile in profiles {
        let cx = Context {
            profile,
            options: &settings.options,
        };
        for rule in &enabled {
            rule.check_profile(&cx, &mut findings);
            located.extend(findings.drain(..).map(|finding| Located {
                meta: rule.meta(),
                finding,
                profile: Some(profile),
                payload: None,
            }));
            for payload in &profile.payloads {
                rule.check_payload(&cx, payload, &mut findings);
                located.extend(findings.drain(..).map(|finding| Located {
                    meta: rule.meta(),
                    finding,
                    profile: Some(profile),
                    payload: payload.label(),
                }));
            }
        }
    }
    (located, checked)
}

/// Turns findings into diagnostics with positions and frames, building the line index and the
/// secret masks only once and only if needed.
struct Placer<'a> {
    /// The path, and the profile and payload labels, shared by the file's diagnostics.
    path: Arc<str>,
    labels: Vec<Arc<str>>,
    text: Option<&'a str>,
    settings: &'a Settings,
    found: &'a Found,
    index: Option<LineIndex>,
    masks: Option<Vec<Span>>,
}

impl<'a> Placer<'a> {
    fn new(path: &'a str, text: Option<&'a str>, settings: &'a Settings, found: &'a Found) -> Self {
        Placer {
            path: path.into(),
            labels: Vec::new(),
            text,
            settings,
            found,
            index: None,
            masks: None,
        }
    }

    fn place(&mut self, located: Located<'_>) -> Diagnostic {
        let profile = located.profile.and_then(Profile::label);
        self.place_raw(located.meta, located.finding, profile, located.payload)
    }

    fn place_raw(
        &mut self,
        meta: &'static RuleMeta,
        finding: Finding,
        profile: Option<&str>,
        payload: Option<&str>,
    ) -> Diagnostic {
        let own = finding.severity.unwrap_or(meta.severity);
        let mut diagnostic = Diagnostic {
            code: meta.code,
            rule: meta.name,
            severity: self.settings.rules.severity(meta.code, own),
            path: Arc::clone(&self.path),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            key_path: key_path(finding.label.origin.key_path.as_str()),
            message: crate::diagnostic::intern(&finding.message),
            help: crate::diagnostic::intern(&finding.help),
            profile: profile.map(|label| self.label(label)),
            payload: payload.map(|label| self.label(label)),
            frame: None,
            fails: false,
        };
        self.position(&mut diagnostic, &finding.label);
        diagnostic
    }

    /// The file's one copy of a profile or payload label.
    fn label(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.labels.iter().find(|l| ***l == *text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = text.into();
        self.labels.push(Arc::clone(&shared));
        shared
    }

    /// Where an origin starts and ends in the file, when the file is text.
    fn locate(&mut self, origin: &Origin) -> (Option<Position>, Option<Position>) {
        let (Some(text), Some(span)) = (self.text, &origin.span) else {
            return (None, None);
        };
        let index = self.index.get_or_insert_with(|| LineIndex::new(text));
        (
            Some(index.position(text, span.start)),
            Some(index.position(text, span.end)),
        )
    }

    fn position(&mut self, diagnostic: &mut Diagnostic, label: &Label) {
        let (Some(start), Some(end)) = self.locate(&label.origin) else {
            return;
        };
        diagnostic.line = Some(start.line);
        diagnostic.column = Some(start.column);
        diagnostic.end_line = Some(end.line);
        diagnostic.end_column = Some(end.column);
        let (Some(text), Some(span), Some(index)) =
            (self.text, label.origin.span.clone(), self.index.as_ref())
        else {
            return;
        };
        if self.settings.frames {
            let found = self.found;
            let masks = self
                .masks
                .get_or_insert_with(|| secrets::mask::secret_spans(text, found));
            let builder = FrameBuilder {
                text,
                index,
                masks,
                structure_only: None,
            };
            diagnostic.frame = builder.build(&[(span, label.text.clone())]);
        }
    }
}

/// The key path as reports show it; the document root has an empty path.
fn key_path(s: &str) -> Option<Arc<str>> {
    Some(crate::diagnostic::intern(if s.is_empty() {
        "(root)"
    } else {
        s
    }))
}

/// Whether a file's text parsed, which decides what its code frames may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parsed {
    /// Parsed (an encrypted profile): text shows, secrets masked.
    Yes,
    /// Which text is a value is unknown: frames show only markup.
    No,
}

/// A SCEP000 for a file that could not be parsed (or inspected), at the place of the problem
/// when known.
fn parse_failure(
    path: &str,
    text: Option<&str>,
    error: &ParseError,
    help: &str,
    settings: &Settings,
    mut found: Found,
    parsed: Parsed,
) -> FileReport {
    if let (Some(text), Parsed::No) = (text, parsed) {
        secrets::candidates::scan_text(text, 0, &mut found);
    }
    let mut report = FileReport::empty(path, FileStatus::Unreadable, settings).with_secrets(&found);
    let Some(mut diagnostic) = file_level(
        path,
        &rules::PARSE_ERROR,
        error.message.clone(),
        help,
        settings,
    ) else {
        return report;
    };
    if let (Some(text), Some(span)) = (text, error.span.clone()) {
        let index = LineIndex::new(text);
        let start = index.position(text, span.start);
        let end = index.position(text, span.end);
        diagnostic.line = Some(start.line);
        diagnostic.column = Some(start.column);
        diagnostic.end_line = Some(end.line);
        diagnostic.end_column = Some(end.column);
        if settings.frames {
            let masks = secrets::mask::secret_spans(text, &found);
            let builder = FrameBuilder {
                text,
                index: &index,
                masks: &masks,
                structure_only: (parsed == Parsed::No).then(|| secrets::mask::Notation::of(text)),
            };
            diagnostic.frame = builder.build(&[(span, "here".to_owned())]);
        }
    }
    report.diagnostics.push(diagnostic);
    report
}

/// What checking one input gave.
#[derive(Debug)]
pub enum Outcome {
    Report(FileReport),
    /// Found by a walk and holding no SCEP profile: left out without a word.
    Skipped,
}

/// Runs one file's check behind a guard: a panic (a bug in sceplint) becomes an internal-error
/// finding for that file, and the other files are still checked.
pub fn guarded(path: &str, settings: &Settings, check: impl FnOnce() -> Outcome) -> Outcome {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)) {
        Ok(outcome) => outcome,
        Err(_) => Outcome::Report(FileReport::internal_error(path, settings)),
    }
}

/// Reads and checks one input, behind the panic guard.
pub fn check_input_guarded(input: &crate::walk::Input, settings: &Settings) -> Outcome {
    guarded(&input.display, settings, || check_input(input, settings))
}

/// Reads and checks one input.
pub fn check_input(input: &crate::walk::Input, settings: &Settings) -> Outcome {
    let bytes = match read_limited(&input.path, settings.max_file_size) {
        Ok(bytes) => bytes,
        Err(message) => {
            return Outcome::Report(FileReport::unreadable(&input.display, message, settings));
        }
    };
    if !may_hold_scep(&input.path, &bytes) {
        // Named on the command line (pre-commit passes every staged `.json`): noted, never
        // parsed, so an unrelated file in a format sceplint reads strictly cannot fail the run.
        return if input.explicit {
            Outcome::Report(FileReport::empty(
                &input.display,
                FileStatus::NoScep,
                settings,
            ))
        } else {
            Outcome::Skipped
        };
    }
    let report = check_bytes(&input.display, &bytes, settings);
    if !input.explicit && report.status == FileStatus::NoScep {
        return Outcome::Skipped;
    }
    Outcome::Report(report)
}

/// Reads a regular file, refusing files over `limit` bytes without reading them whole. Anything
/// else (a FIFO, a socket, a device) is refused without blocking, also when it replaced a file
/// after the walk saw it: the file is opened without waiting for a writer, then checked.
pub fn read_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let describe = |e: std::io::Error| format!("cannot read the file: {}", crate::io_message(&e));
    let file = open_without_blocking(path).map_err(describe)?;
    let metadata = file.metadata().map_err(describe)?;
    if metadata.is_dir() {
        return Err("this is a directory that could not be walked".to_owned());
    }
    if !metadata.is_file() {
        return Err(format!(
            "not a regular file ({}): sceplint reads only regular files",
            file_kind(&metadata)
        ));
    }
    let too_large = |size: u64| {
        format!(
            "the file is {} and the limit is {} (raise it with --max-file-size if this really is a profile)",
            human_size(size),
            human_size(limit)
        )
    };
    if metadata.len() > limit {
        return Err(too_large(metadata.len()));
    }
    let capacity = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(describe)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_without_blocking(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

fn file_kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    let _ = metadata;
    "not a file"
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
    } else {
        format!("{bytes} bytes")
    }
}

/// A cheap look before parsing a file a walk found under a generic name (`.json`, `.xml`,
/// `.plist`): does it mention SCEP or encrypted payloads at all? `.mobileconfig` files are
/// profiles by name and always parsed, so a broken one is reported.
pub fn may_hold_scep(path: &std::path::Path, bytes: &[u8]) -> bool {
    let is_mobileconfig = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("mobileconfig"));
    if is_mobileconfig || container::cms::looks_like_cms(bytes) {
        return true;
    }
    let mentions = |haystack: &[u8]| {
        [&b"scep"[..], b"SCEP", b"Scep", b"EncryptedPayloadContent"]
            .iter()
            .any(|needle| memchr::memmem::find(haystack, needle).is_some())
    };
    if mentions(bytes) {
        return true;
    }
    let looks_utf16 = bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || bytes
            .get(..4)
            .is_some_and(|b| b[1] == 0 && b[3] == 0 || b[0] == 0 && b[2] == 0);
    looks_utf16
        && container::encoding::decode(bytes)
            .map(|(text, _)| mentions(text.as_bytes()))
            .unwrap_or(true)
}
