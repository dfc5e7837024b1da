//! Checking one file's bytes: load, read into the model, run the rules, apply suppressions,
//! and place what they found.

use super::cross_file::{Identifier, Kind};
use super::place::{Placer, file_level};
use super::report::{FileReport, FileStatus};
use super::settings::Settings;
use crate::container::{self, ParseError};
use crate::diagnostic::Diagnostic;
use crate::frame::FrameBuilder;
use crate::mdm::{self, Hints, Problem};
use crate::model::{Field, Origin, Profile, Provenance, Redistribution};
use crate::rules::{self, Context, Finding, Label, RuleMeta};
use crate::secrets::{self, Found};
use crate::severity::Severity;
use crate::source::{LineIndex, Span};
use crate::suppress::{self, Scope, Suppressions};

/// Checks the bytes of one file.
pub fn check_bytes(path: &str, bytes: &[u8], settings: &Settings) -> FileReport {
    inject_panic_for_tests(path);
    let loaded = container::load_as(bytes, &settings.limits, container::Syntax::of_path(path));
    let text = loaded.text.as_deref();
    // Text no tree keeps (a DOCTYPE, an attribute, a file that does not parse, the bytes of a
    // signed or binary container) is searched as written, so its secrets are known too.
    let mut found = Found::default();
    if let Some(scanned) = text.or(loaded.hidden_text.as_deref()) {
        secrets::candidates::scan_text(scanned, 0, &mut found);
    }
    if text.is_none() {
        found.spans.clear();
    }
    if let Some(bytes) = &loaded.broken_binary {
        for value in container::plist_binary::salvage_values(bytes, secrets::is_secret_key) {
            found.add(&value);
        }
    }
    let document = match loaded.document {
        Ok(document) => document,
        Err(error) => {
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
    };
    found.extend(document_secrets(&document, text));
    let hints = Hints {
        vendor: settings.vendor,
    };
    let mut read = match mdm::read(&document, text, &settings.limits, hints) {
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
        Err(Problem::Encrypted(origin, nested)) => {
            found.extend(nested);
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
    found.extend(std::mem::take(&mut read.secrets));
    let (deploys, unreadable) = resolve_references(path, &read);
    let deploys_only = read.profiles.is_empty() && (!deploys.is_empty() || !unreadable.is_empty());
    if read.profiles.is_empty() && !deploys_only {
        let mention = text.and_then(mdm::scep_mention).map(Some).or_else(|| {
            loaded
                .hidden_text
                .as_deref()
                .and_then(mdm::scep_mention)
                .map(|_| None)
        });
        if let Some(span) = mention
            && !mdm::is_known_non_profile(&document)
        {
            return not_understood(path, text, span, settings, &found);
        }
        return FileReport::empty(path, FileStatus::NoScep, settings).with_secrets(&found);
    }

    let mut profiles = read.profiles;
    if let Some(deployment) = &settings.deployment {
        apply_deployment(&mut profiles, deployment);
    }
    if let Some(days) = settings.redistribution_days {
        declare_redistribution(&mut profiles, days);
    }
    let (mut located, checked) = run_rules(&profiles, settings);
    if settings.rules.is_on(rules::NOT_CHECKED.code) {
        // Profiles the file deploys that cannot be read: suppressible like any finding.
        located.extend(unreadable.into_iter().map(|finding| Located {
            meta: &rules::NOT_CHECKED,
            finding,
            profile: None,
            payload: None,
        }));
    }

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
                .map(|finding| {
                    // About a comment, not a profile: no profile label, but the file's MDM.
                    let mut diagnostic =
                        placer.place_raw(&rules::UNUSED_SUPPRESSION, finding, None, None);
                    diagnostic.vendor = profiles.first().map(|p| p.vendor.id());
                    diagnostic.platform = profiles.first().map(|p| p.platform.id());
                    diagnostic
                }),
        );
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    FileReport {
        path: path.to_owned(),
        status: if deploys_only {
            FileStatus::Deploys
        } else {
            FileStatus::Checked
        },
        profiles: profiles.len(),
        payloads: profiles.iter().map(|p| p.payloads.len()).sum(),
        diagnostics,
        fail_on: settings.fail_on,
        checked,
        suppressed,
        identifiers,
        secrets: Vec::new(),
        short_secrets: Vec::new(),
        internal_error: false,
        deploys,
    }
    .with_secrets(&found)
}

/// The most files one `paths:` glob may name.
const MAX_GLOB_MATCHES: usize = 10_000;

/// The profiles a file deploys by path, found relative to its folder, and a not-checked
/// finding for each that cannot be read: a path that names no file, a payload Terraform
/// computes.
fn resolve_references(
    path: &str,
    read: &mdm::Read,
) -> (Vec<super::report::Deployed>, Vec<Finding>) {
    let mut deploys = Vec::new();
    let mut problems = Vec::new();
    let folder = std::path::Path::new(path)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    for reference in &read.references {
        let deployment = crate::model::Deployment {
            vendor: reference.vendor,
            level: reference.level,
            redistribution_days: reference.redistribution_days,
            redistribution_token: reference.redistribution_token.clone(),
            source: path.to_owned(),
        };
        let found: Vec<std::path::PathBuf> = if reference.glob {
            glob_files(&folder, &reference.path)
        } else {
            let target = normalized(&folder.join(&reference.path));
            if target.is_file() {
                vec![target]
            } else {
                Vec::new()
            }
        };
        if found.is_empty() {
            let what = if reference.glob {
                "matches no file"
            } else {
                "does not exist"
            };
            problems.push(Finding::new(
                format!(
                    "the profile path `{}` {what} (relative to this file's folder), so the profile it deploys was not checked",
                    reference.path
                ),
                "fix the path, or add the profile to the repository",
                Label::new(&reference.origin, "no such file"),
            ));
        }
        deploys.extend(found.into_iter().map(|path| super::report::Deployed {
            path,
            deployment: deployment.clone(),
        }));
    }
    for (origin, why) in &read.unreadable {
        problems.push(Finding::new(
            format!("the profile this resource deploys {why}, so sceplint cannot read it and it was not checked"),
            "write the profile's path as a literal (`file(\"${path.module}/profile.mobileconfig\")`), or lint the profile file itself",
            Label::new(origin, "not checked"),
        ));
    }
    (deploys, problems)
}

/// `a/b/../c` as `a/c`, without touching the file system (a deployed profile is reported under
/// the path a reader expects, not the one the deploying file spelt).
fn normalized(path: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The files under `folder` a `paths:` glob names (relative to `folder`), in path order.
fn glob_files(folder: &std::path::Path, pattern: &str) -> Vec<std::path::PathBuf> {
    let Ok(glob) = globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|g| g.compile_matcher())
    else {
        return Vec::new();
    };
    // Walk from the pattern's fixed prefix (`../lib/` in `../lib/*.mobileconfig`).
    let fixed: std::path::PathBuf = std::path::Path::new(pattern)
        .components()
        .take_while(|c| {
            !c.as_os_str()
                .to_string_lossy()
                .contains(['*', '?', '[', '{'])
        })
        .collect();
    let start = folder.join(&fixed);
    let mut found = Vec::new();
    for entry in ignore::WalkBuilder::new(&start)
        .standard_filters(false)
        .follow_links(false)
        .max_depth(Some(16))
        .build()
        .flatten()
    {
        if found.len() >= MAX_GLOB_MATCHES {
            break;
        }
        let Ok(relative) = entry.path().strip_prefix(folder) else {
            continue;
        };
        if entry.file_type().is_some_and(|t| t.is_file()) && glob.is_match(relative) {
            found.push(normalized(entry.path()));
        }
    }
    found.sort();
    found
}

/// Puts what the deploying file says (its MDM's level, its redeploy days) on the profiles of a
/// file it deploys.
fn apply_deployment(profiles: &mut [Profile], deployment: &crate::model::Deployment) {
    for profile in profiles {
        if let Some(level) = deployment.level {
            let word = match level {
                crate::model::Level::Computer => "computer",
                crate::model::Level::User => "user",
            };
            profile.level = Field::new(
                Some(level),
                Provenance::Inferred(format!("{} deploys it at {word} level", deployment.source)),
                profile.origin.clone(),
            );
        }
        if let Some(token) = &deployment.redistribution_token {
            profile.redistribution = Field::new(
                Redistribution::Unknown,
                Provenance::Deferred {
                    token: token.clone(),
                },
                profile.redistribution.origin.clone(),
            );
        }
        if let Some(days) = deployment.redistribution_days {
            profile.redistribution = Field::new(
                Redistribution::Days(days),
                Provenance::Inferred(format!(
                    "{} redeploys it {days} days before the certificate expires",
                    deployment.source
                )),
                profile.redistribution.origin.clone(),
            );
        }
    }
}

/// The secrets of a parsed document's own tree and comments (nested plists are searched by
/// their readers).
fn document_secrets(document: &container::Document, text: Option<&str>) -> Found {
    let mut found = Found::default();
    let (root, comments) = match document {
        container::Document::Plist { root, comments, .. }
        | container::Document::Xml { root, comments } => (Some(root), comments.as_slice()),
        container::Document::Json { root } => (Some(root), &[][..]),
        container::Document::Hcl { root, comments }
        | container::Document::Yaml { root, comments } => (Some(root), comments.as_slice()),
        container::Document::SyncMl(file) => {
            secrets::candidates::collect_syncml(file, &mut found);
            (None, file.comments.as_slice())
        }
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
                    .is_some_and(|t| t.value == crate::schema::SCEP_PAYLOAD_TYPE)
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
                vendor: profile.vendor.id(),
                platform: profile.platform.id(),
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
        container::Document::SyncMl(file) => (None, file.comments.as_slice()),
        container::Document::Hcl { root, comments }
        | container::Document::Yaml { root, comments } => (Some(root), comments.as_slice()),
        _ => (None, &[][..]),
    };
    let outer = suppress::mentions_sceplint(comments);
    if !outer && !suppress::mentions_sceplint(&nested_comments) {
        return Suppressions::default();
    }
    let mut entries = nested_entries;
    if let (true, Some(root)) = (outer, root) {
        entries.extend(root.entry_ranges());
    }
    if let (true, container::Document::SyncMl(file)) = (outer, document) {
        // A comment before a command covers the command, as one before a plist key covers
        // its entry.
        entries.extend(file.commands.iter().map(|c| c.extent.clone()));
    }
    entries.sort_by_key(|r| (r.start, r.end));
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
                    format!(
                        "`{}` in this suppression is not a rule{}",
                        named.written,
                        rules::did_you_mean_hint(&named.written)
                    ),
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

/// A profile whose export cannot show redistribution takes the declared value; so does one
/// whose redistribution was only inferred to be off (Fleet without the renewal id: a team that
/// redeploys by hand declares it).
fn declare_redistribution(profiles: &mut [Profile], days: i64) {
    for profile in profiles {
        let field = &profile.redistribution;
        let declarable = field.value == Redistribution::NotInExport
            || (field.value == Redistribution::Days(0)
                && matches!(field.provenance, Provenance::Inferred(_)));
        if declarable {
            profile.redistribution = Field::new(
                Redistribution::Days(days),
                Provenance::Declared,
                profile.redistribution.origin.clone(),
            );
        }
    }
}

/// A finding with the rule that made it and the profile and payload it is about.
pub(super) struct Located<'a> {
    pub(super) meta: &'static RuleMeta,
    pub(super) finding: Finding,
    pub(super) profile: Option<&'a Profile>,
    pub(super) payload: Option<&'a str>,
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
/// A file that mentions SCEP but that no reader understood: reported as not checked, at the
/// mention (when the file is text).
fn not_understood(
    path: &str,
    text: Option<&str>,
    span: Option<Span>,
    settings: &Settings,
    found: &Found,
) -> FileReport {
    let mut report =
        FileReport::empty(path, FileStatus::NotUnderstood, settings).with_secrets(found);
    let error = ParseError::new(
        "the file mentions SCEP, but sceplint cannot read it as a profile or as an export it knows, so it was not checked",
        span,
    );
    report.diagnostics.extend(located(
        path,
        text,
        &error,
        (&rules::NOT_CHECKED, rules::NOT_CHECKED_HELP),
        settings,
        found,
        Parsed::Yes,
    ));
    report
}

fn parse_failure(
    path: &str,
    text: Option<&str>,
    error: &ParseError,
    help: &str,
    settings: &Settings,
    found: Found,
    parsed: Parsed,
) -> FileReport {
    let mut report = FileReport::empty(path, FileStatus::Unreadable, settings).with_secrets(&found);
    report.diagnostics.extend(located(
        path,
        text,
        error,
        (&rules::PARSE_ERROR, help),
        settings,
        &found,
        parsed,
    ));
    report
}

/// A file-level diagnostic of `rule` placed at the error's span, with a frame that shows only
/// structure when the file did not parse.
fn located(
    path: &str,
    text: Option<&str>,
    error: &ParseError,
    (rule, help): (&'static RuleMeta, &str),
    settings: &Settings,
    found: &Found,
    parsed: Parsed,
) -> Option<Diagnostic> {
    let mut diagnostic = file_level(path, rule, error.message.clone(), help, settings)?;
    if let (Some(text), Some(span)) = (text, error.span.clone()) {
        let index = LineIndex::new(text);
        let start = index.position(text, span.start);
        let end = index.position(text, span.end);
        diagnostic.line = Some(start.line);
        diagnostic.column = Some(start.column);
        diagnostic.end_line = Some(end.line);
        diagnostic.end_column = Some(end.column);
        if settings.frames {
            let masks = secrets::mask::secret_spans(text, found);
            let builder = FrameBuilder {
                text,
                index: &index,
                masks: &masks,
                structure_only: (parsed == Parsed::No).then(|| secrets::mask::Notation::of(text)),
            };
            diagnostic.frame = builder.build(&[(span, "here".to_owned())]);
        }
    }
    Some(diagnostic)
}
