//! Linting one file: load, read into the model, run the rules, place the findings.
//!
//! Everything that depends on a file's text (positions, code frames, masking) happens here,
//! while the text is in memory; a [`FileReport`] keeps only what reports need.

use serde::Serialize;

use crate::container::{self, Limits, ParseError};
use crate::diagnostic::Diagnostic;
use crate::frame::FrameBuilder;
use crate::mask;
use crate::model::{Field, Profile, Provenance, Redistribution, Vendor};
use crate::rules::{self, Context, Finding, Label, Options, RuleMeta};
use crate::source::{LineIndex, Span};
use crate::vendor::{self, Hints, Problem};

/// Everything that shapes how files are checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub limits: Limits,
    pub options: Options,
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
            redistribution_days: None,
            max_file_size: 16 * 1024 * 1024,
            frames: true,
        }
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
}

impl FileReport {
    pub fn unreadable(path: &str, message: String) -> Self {
        FileReport {
            path: path.to_owned(),
            status: FileStatus::Unreadable,
            profiles: 0,
            payloads: 0,
            diagnostics: vec![file_level(
                path,
                &rules::PARSE_ERROR,
                message,
                rules::PARSE_ERROR_HELP,
            )],
        }
    }
}

/// A finding about a whole file, with no position in it.
fn file_level(path: &str, meta: &'static RuleMeta, message: String, help: &str) -> Diagnostic {
    Diagnostic {
        code: meta.code,
        rule: meta.name,
        severity: meta.severity,
        path: path.to_owned(),
        line: None,
        column: None,
        end_line: None,
        end_column: None,
        key_path: None,
        message,
        help: help.to_owned(),
        profile: None,
        payload: None,
        label: String::new(),
        frame: None,
    }
}

/// Checks the bytes of one file.
pub fn check_bytes(path: &str, bytes: &[u8], settings: &Settings) -> FileReport {
    let loaded = container::load(bytes, &settings.limits);
    let text = loaded.text.as_deref();
    let document = match loaded.document {
        Ok(document) => document,
        Err(error) => return parse_failure(path, text, &error, rules::PARSE_ERROR_HELP),
    };
    let read = match vendor::read(&document, text, &settings.limits, Hints::default()) {
        Ok(read) => read,
        Err(Problem::Parse(error)) => {
            return parse_failure(path, text, &error, rules::PARSE_ERROR_HELP);
        }
        Err(Problem::Encrypted(origin)) => {
            let error = ParseError::new(
                "encrypted profile: its payloads are encrypted to a device, so sceplint cannot inspect them",
                origin.span,
            );
            return parse_failure(path, text, &error, rules::ENCRYPTED_HELP);
        }
    };
    if read.profiles.is_empty() {
        return FileReport {
            path: path.to_owned(),
            status: FileStatus::NoScep,
            profiles: 0,
            payloads: 0,
            diagnostics: Vec::new(),
        };
    }

    let mut profiles = read.profiles;
    if let Some(days) = settings.redistribution_days {
        declare_redistribution(&mut profiles, days);
    }
    let findings = run_rules(&profiles, &settings.options);
    let mut placer = Placer::new(path, text, &profiles, settings.frames);
    let mut diagnostics: Vec<Diagnostic> = findings
        .into_iter()
        .map(|located| placer.place(located))
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    FileReport {
        path: path.to_owned(),
        status: FileStatus::Checked,
        profiles: profiles.len(),
        payloads: profiles.iter().map(|p| p.payloads.len()).sum(),
        diagnostics,
    }
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
    profile: &'a Profile,
    payload: Option<&'a str>,
}

fn run_rules<'a>(profiles: &'a [Profile], options: &Options) -> Vec<Located<'a>> {
    let mut located = Vec::new();
    let mut findings = Vec::new();
    for profile in profiles {
        let cx = Context { profile, options };
        for rule in rules::RULES {
            rule.check_profile(&cx, &mut findings);
            located.extend(findings.drain(..).map(|finding| Located {
                meta: rule.meta(),
                finding,
                profile,
                payload: None,
            }));
            for payload in &profile.payloads {
                rule.check_payload(&cx, payload, &mut findings);
                located.extend(findings.drain(..).map(|finding| Located {
                    meta: rule.meta(),
                    finding,
                    profile,
                    payload: payload.label(),
                }));
            }
        }
    }
    located
}

/// Turns findings into diagnostics with positions and frames, building the line index and the
/// secret masks only once and only if needed.
struct Placer<'a> {
    path: &'a str,
    text: Option<&'a str>,
    profiles: &'a [Profile],
    frames: bool,
    index: Option<LineIndex>,
    masks: Option<Vec<Span>>,
}

impl<'a> Placer<'a> {
    fn new(path: &'a str, text: Option<&'a str>, profiles: &'a [Profile], frames: bool) -> Self {
        Placer {
            path,
            text,
            profiles,
            frames,
            index: None,
            masks: None,
        }
    }

    fn place(&mut self, located: Located<'_>) -> Diagnostic {
        let Located {
            meta,
            finding,
            profile,
            payload,
        } = located;
        let mut diagnostic = Diagnostic {
            code: meta.code,
            rule: meta.name,
            severity: finding.severity.unwrap_or(meta.severity),
            path: self.path.to_owned(),
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            key_path: key_path(finding.label.origin.key_path.as_str()),
            message: finding.message,
            help: finding.help,
            profile: profile.label().map(str::to_owned),
            payload: payload.map(str::to_owned),
            label: finding.label.text.clone(),
            frame: None,
        };
        self.position(&mut diagnostic, &finding.label);
        diagnostic
    }

    fn position(&mut self, diagnostic: &mut Diagnostic, label: &Label) {
        let (Some(text), Some(span)) = (self.text, label.origin.span.clone()) else {
            return;
        };
        let index = self.index.get_or_insert_with(|| LineIndex::new(text));
        let start = index.position(text, span.start);
        let end = index.position(text, span.end);
        diagnostic.line = Some(start.line);
        diagnostic.column = Some(start.column);
        diagnostic.end_line = Some(end.line);
        diagnostic.end_column = Some(end.column);
        if self.frames {
            let profiles = self.profiles;
            let masks = self
                .masks
                .get_or_insert_with(|| secret_masks(text, profiles));
            let builder = FrameBuilder {
                name: self.path,
                text,
                index,
                masks,
            };
            diagnostic.frame = builder.build(&[(span, label.text.clone())]);
        }
    }
}

/// The key path as reports show it; the document root has an empty path.
fn key_path(s: &str) -> Option<String> {
    Some(if s.is_empty() {
        "(root)".to_owned()
    } else {
        s.to_owned()
    })
}

/// The spans to hide in `text`: located challenges, plus whatever the tolerant pattern finds.
fn secret_masks(text: &str, profiles: &[Profile]) -> Vec<Span> {
    let challenges = profiles
        .iter()
        .flat_map(|p| &p.payloads)
        .map(|p| &p.challenge);
    let known: Vec<Span> = challenges
        .clone()
        .filter_map(|c| c.value.secret().and(c.origin.span.clone()))
        .collect();
    let secrets: Vec<&str> = challenges
        .filter_map(|c| c.value.secret().map(|s| s.expose()))
        .collect();
    mask::secret_spans(text, &known, &secrets)
}

/// A SCEP000 for a file that could not be parsed, at the place of the problem when known.
fn parse_failure(path: &str, text: Option<&str>, error: &ParseError, help: &str) -> FileReport {
    let mut diagnostic = file_level(path, &rules::PARSE_ERROR, error.message.clone(), help);
    if let (Some(text), Some(span)) = (text, error.span.clone()) {
        let index = LineIndex::new(text);
        let start = index.position(text, span.start);
        let end = index.position(text, span.end);
        diagnostic.line = Some(start.line);
        diagnostic.column = Some(start.column);
        diagnostic.end_line = Some(end.line);
        diagnostic.end_column = Some(end.column);
        diagnostic.label = "here".to_owned();
        let masks = mask::secret_spans(text, &[], &[]);
        let builder = FrameBuilder {
            name: path,
            text,
            index: &index,
            masks: &masks,
        };
        diagnostic.frame = builder.build(&[(span, "here".to_owned())]);
    }
    FileReport {
        path: path.to_owned(),
        status: FileStatus::Unreadable,
        profiles: 0,
        payloads: 0,
        diagnostics: vec![diagnostic],
    }
}

/// What checking one input gave.
#[derive(Debug)]
pub enum Outcome {
    Report(FileReport),
    /// Found by a walk and holding no SCEP profile: left out without a word.
    Skipped,
}

/// Reads and checks one input.
pub fn check_input(input: &crate::walk::Input, settings: &Settings) -> Outcome {
    let bytes = match read_limited(&input.path, settings.max_file_size) {
        Ok(bytes) => bytes,
        Err(message) => return Outcome::Report(FileReport::unreadable(&input.display, message)),
    };
    if !input.explicit && !may_hold_scep(&input.path, &bytes) {
        return Outcome::Skipped;
    }
    let report = check_bytes(&input.display, &bytes, settings);
    if !input.explicit && report.status == FileStatus::NoScep {
        return Outcome::Skipped;
    }
    Outcome::Report(report)
}

/// Reads a file, refusing files over `limit` bytes without reading them whole.
pub fn read_limited(path: &std::path::Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let describe = |e: std::io::Error| format!("cannot read the file: {}", crate::io_message(&e));
    let file = std::fs::File::open(path).map_err(describe)?;
    let metadata = file.metadata().map_err(describe)?;
    if metadata.is_dir() {
        return Err("this is a directory that could not be walked".to_owned());
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
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(describe)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
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
