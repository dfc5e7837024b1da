//! `sceplint.toml` (or `.sceplint.toml`): found by walking up from each linted file's directory
//! (the closest wins, as in ruff), or named with `--config`; `--isolated` ignores them.
//!
//! ```toml
//! select = ["ALL"]                 # rules to run, by code or name ("ALL" is every rule)
//! ignore = ["SCEP006"]             # rules not to run
//! fail-on = "error"                # lowest severity that makes the run fail
//! certificate-lifetime-days = 365  # how long the CA's certificates last
//!
//! [severity]                       # per rule: error, warning, info or off
//! redistribution-enabled = "error"
//!
//! [rules.key-size]                 # per rule options
//! allowed = [2048]
//!
//! [[overrides]]                    # for the files that match
//! files = ["kandji/**/*.mobileconfig"]
//! vendor = "kandji"
//! redistribution-days = 30
//! ignore = ["subject-length"]
//! severity = { all-apps-access = "warning" }
//! ```
//!
//! A mistake in the file (an unknown key, a wrong type, an unknown rule, a bad glob) is an error
//! that points into the TOML; sceplint exits 2 rather than lint with settings nobody meant.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use miette::{LabeledSpan, NamedSource, SourceCode};
use serde::Deserialize;
use toml::Spanned;

use crate::engine::{RuleLevels, Settings};
use crate::model::Vendor;
use crate::rules::{self, Options, Severity};

pub const FILE_NAMES: [&str; 2] = ["sceplint.toml", ".sceplint.toml"];

/// A rule's level in a configuration: a severity, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// sceplint's configuration: `sceplint.toml` (or `.sceplint.toml`), found in the checked file's
/// folder or the closest folder above it. See docs/configuration.md.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "sceplint.toml")]
struct RawConfig {
    /// Run only these rules: codes (`SCEP003`), names (`key-size`), code prefixes (`SCEP00`) or
    /// `ALL`.
    #[schemars(with = "Option<Vec<String>>")]
    select: Option<Vec<Spanned<String>>>,
    /// Do not run these rules (codes, names or code prefixes).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    ignore: Vec<Spanned<String>>,
    /// The lowest severity that makes `sceplint check` exit 1 (default `error`).
    fail_on: Option<Severity>,
    /// How long the CA's certificates last, in days (Okta's: 365).
    #[schemars(with = "Option<i64>", range(min = 1, max = 3650))]
    certificate_lifetime_days: Option<Spanned<i64>>,
    /// Each rule's severity, or `off`, by code or name.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Level>")]
    severity: BTreeMap<Spanned<String>, Level>,
    /// Rule options, by rule name (`[rules.key-size]`).
    #[serde(default)]
    rules: Options,
    /// Settings for some files only, applied in order after the top level.
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

/// Settings for the files that match `files`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    /// Glob patterns, relative to the configuration file's folder (`jamf/**`).
    #[schemars(with = "Vec<String>")]
    files: Spanned<Vec<Spanned<String>>>,
    /// The MDM these files come from: `jamf`, `kandji`, `intune`, `fleet`, `workspace-one` or
    /// `generic`.
    #[schemars(with = "Option<VendorName>")]
    vendor: Option<Spanned<String>>,
    /// Days before the certificate expires that the MDM redistributes these profiles (0: it
    /// does not), for exports that cannot show it.
    #[schemars(with = "Option<i64>", range(min = 0, max = 3650))]
    redistribution_days: Option<Spanned<i64>>,
    /// Rules to run for these files as well.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    select: Vec<Spanned<String>>,
    /// Rules not to run for these files.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    ignore: Vec<Spanned<String>>,
    /// Each rule's severity, or `off`, for these files.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Level>")]
    severity: BTreeMap<Spanned<String>, Level>,
}

/// The MDM names `vendor` accepts.
#[derive(schemars::JsonSchema)]
#[schemars(rename_all = "kebab-case")]
#[allow(dead_code)]
enum VendorName {
    Jamf,
    JamfPro,
    Kandji,
    Iru,
    Intune,
    Fleet,
    WorkspaceOne,
    Ws1,
    Generic,
    Micromdm,
    Nanomdm,
}

/// The JSON schema of sceplint.toml, generated from the types configuration is read into.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(RawConfig);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Which rules run, and at which severity, as one layer of configuration says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// `Some`: only these run (`select`); an override's `select` adds to what runs.
    pub select: Option<Vec<&'static str>>,
    pub ignore: Vec<&'static str>,
    pub levels: Vec<(&'static str, Level)>,
}

#[derive(Debug, Clone)]
pub struct Override {
    pub patterns: Vec<String>,
    globs: GlobSet,
    pub vendor: Option<Vendor>,
    pub redistribution_days: Option<i64>,
    pub selection: Selection,
}

/// A loaded, validated configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    /// The directory `files` globs are relative to.
    pub dir: PathBuf,
    pub selection: Selection,
    pub fail_on: Option<Severity>,
    pub options: Options,
    pub overrides: Vec<Override>,
    /// Secrets the file holds (it should hold none), for the output to hide.
    pub secrets: Vec<String>,
}

/// A mistake in a configuration file, shown as a miette report pointing into the TOML.
#[derive(Debug)]
pub struct ConfigError(Box<Mistake>);

#[derive(Debug)]
struct Mistake {
    path: PathBuf,
    /// The path as messages show it, control characters escaped.
    shown_path: String,
    message: String,
    help: Option<String>,
    span: Option<std::ops::Range<usize>>,
    /// The file's text with what could be a secret masked; `None` when the file does not look
    /// like TOML at all (a profile passed as `--config` by mistake), whose lines are not shown.
    source: Option<NamedSource<String>>,
    /// Secrets found in the file, for the output to hide.
    secrets: Vec<String>,
}

/// The largest configuration file read.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

impl ConfigError {
    fn new(
        path: &Path,
        text: &str,
        message: impl Into<String>,
        span: Option<std::ops::Range<usize>>,
        help: Option<String>,
    ) -> Self {
        let (found, table) = crate::secrets::toml::secrets(text);
        let message = crate::secrets::toml::clean_message(&message.into(), &found);
        let shown_path = crate::escape::control(&crate::walk::display(path)).into_owned();
        // Show the file's lines only when it is TOML, and then only its structure unless it
        // parsed and holds no secret at all (a configuration file has no business holding one,
        // so one that does is shown no further).
        let shown_text = if !looks_like_toml(text) || !found.texts.is_empty() && table.is_some() {
            None
        } else if table.is_none() {
            Some(crate::secrets::toml::structure_only(text))
        } else {
            Some(text.to_owned())
        };
        let source = shown_text.map(|shown| {
            // One character for one, so the span stays right: what must not reach a terminal
            // becomes U+FFFD.
            let printable: String = shown
                .chars()
                .map(|c| match c {
                    '\n' | '\t' => c,
                    c if crate::escape::is_unsafe(c) => '\u{FFFD}',
                    c => c,
                })
                .collect();
            NamedSource::new(shown_path.clone(), printable)
        });
        // Structure-only text keeps characters one for one, but not bytes: move the span.
        let span = span.map(|span| {
            let chars = |end: usize| text.get(..end).map_or(0, |t| t.chars().count());
            let shown = source.as_ref().map_or(text, |s| s.inner().as_str());
            let byte = |count: usize| {
                shown
                    .char_indices()
                    .nth(count)
                    .map_or(shown.len(), |(i, _)| i)
            };
            byte(chars(span.start))..byte(chars(span.end))
        });
        ConfigError(Box::new(Mistake {
            path: path.to_owned(),
            shown_path,
            message,
            help,
            span,
            source,
            secrets: found
                .texts
                .iter()
                .filter(|t| t.chars().count() >= 3)
                .cloned()
                .collect(),
        }))
    }

    /// Secrets in the configuration file, for the output to hide.
    pub fn secrets(&self) -> &[String] {
        &self.0.secrets
    }

    pub fn path(&self) -> &Path {
        &self.0.path
    }

    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid configuration in {}: {}",
            self.0.shown_path, self.0.message
        )
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.span.as_ref()?;
        self.0.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.0.source.as_ref()?;
        let span = self.0.span.clone()?;
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("here".into()), span),
        )))
    }
}

struct Loader<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Loader<'_> {
    fn error(
        &self,
        message: impl Into<String>,
        span: Option<std::ops::Range<usize>>,
        help: Option<String>,
    ) -> ConfigError {
        ConfigError::new(self.path, self.text, message, span, help)
    }

    /// A rule code or name, as written in the file, to the rule's code.
    fn rule(&self, name: &Spanned<String>) -> Result<&'static str, ConfigError> {
        rules::find_meta(name.get_ref())
            .map(|m| m.code)
            .ok_or_else(|| {
                self.error(
                    format!("`{}` is not a rule", name.get_ref()),
                    Some(name.span()),
                    Some(suggest_rule(name.get_ref())),
                )
            })
    }

    fn rules(
        &self,
        names: &[Spanned<String>],
        allow_all: bool,
    ) -> Result<Vec<&'static str>, ConfigError> {
        let mut codes = Vec::new();
        for name in names {
            if !allow_all && name.get_ref().eq_ignore_ascii_case("ALL") {
                codes.push(self.rule(name)?);
                continue;
            }
            // A code, a name, `ALL` or a code prefix (`SCEP00`).
            match rules::codes_matching(name.get_ref()) {
                Some(found) => codes.extend(found),
                None => codes.push(self.rule(name)?),
            }
        }
        Ok(codes)
    }

    fn selection(
        &self,
        select: Option<&[Spanned<String>]>,
        ignore: &[Spanned<String>],
        severity: &BTreeMap<Spanned<String>, Level>,
    ) -> Result<Selection, ConfigError> {
        Ok(Selection {
            select: select.map(|s| self.rules(s, true)).transpose()?,
            ignore: self.rules(ignore, false)?,
            levels: severity
                .iter()
                .map(|(name, level)| Ok((self.rule(name)?, *level)))
                .collect::<Result<_, ConfigError>>()?,
        })
    }
}

/// Whether text could be TOML: its first significant character starts a key, a table or a
/// comment. A profile (`<`, `{`, binary) does not.
fn looks_like_toml(text: &str) -> bool {
    match text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next()
    {
        None => true,
        Some(c) => c.is_alphanumeric() || matches!(c, '[' | '#' | '"' | '\'' | '_' | '-'),
    }
}

fn suggest_rule(name: &str) -> String {
    match rules::did_you_mean(name) {
        Some(meta) => format!(
            "did you mean `{}` ({})? `sceplint rule --all` lists the rules",
            meta.name, meta.code
        ),
        None => "name rules by code (SCEP003) or name (key-size); `sceplint rule --all` lists them"
            .to_owned(),
    }
}

impl Config {
    /// Reads and validates the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let cannot = |message: String| ConfigError::new(path, "", message, None, None);
        let bytes = crate::engine::input::read_regular(
            path,
            MAX_CONFIG_BYTES,
            crate::engine::input::Links::Refuse,
        )
        .map_err(|message| cannot(message.replace("--max-file-size", "a smaller file")))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| cannot("it is not UTF-8 text, so it is not a sceplint.toml".to_owned()))?;
        if !looks_like_toml(&text) {
            // Its lines are not shown: it is most likely a profile, and could hold a secret.
            return Err(ConfigError::new(
                path,
                &text,
                "this is not a TOML file (it looks like a profile or other data, so its lines are not shown)",
                None,
                Some("pass a sceplint.toml with --config; profiles to check go after `sceplint check`".to_owned()),
            ));
        }
        Config::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let loader = Loader { path, text };
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| loader.error(e.message().trim_end().to_owned(), e.span(), None))?;
        let selection = loader.selection(raw.select.as_deref(), &raw.ignore, &raw.severity)?;
        let mut options = raw.rules;
        if let Some(days) = &raw.certificate_lifetime_days {
            if *days.get_ref() <= 0 {
                return Err(loader.error(
                    "the certificate lifetime must be a positive number of days",
                    Some(days.span()),
                    None,
                ));
            }
            options.certificate_lifetime_days = *days.get_ref();
        }
        let dir = absolute(path.parent().unwrap_or(Path::new(".")));
        let mut overrides = Vec::new();
        for raw in &raw.overrides {
            let mut builder = GlobSetBuilder::new();
            let mut patterns = Vec::new();
            if raw.files.get_ref().is_empty() {
                return Err(loader.error(
                    "an override needs at least one `files` pattern",
                    Some(raw.files.span()),
                    None,
                ));
            }
            for pattern in raw.files.get_ref() {
                let glob = GlobBuilder::new(pattern.get_ref())
                    .literal_separator(true)
                    .build()
                    .map_err(|e| {
                        loader.error(
                            format!("invalid glob: {}", e.kind()),
                            Some(pattern.span()),
                            None,
                        )
                    })?;
                builder.add(glob);
                patterns.push(pattern.get_ref().clone());
            }
            let globs = builder.build().map_err(|e| {
                loader.error(format!("invalid globs: {e}"), Some(raw.files.span()), None)
            })?;
            let vendor = raw
                .vendor
                .as_ref()
                .map(|v| {
                    Vendor::from_id(v.get_ref()).ok_or_else(|| {
                        loader.error(
                            format!("`{}` is not a vendor", v.get_ref()),
                            Some(v.span()),
                            Some("use one of jamf, kandji (or iru), intune, generic".into()),
                        )
                    })
                })
                .transpose()?;
            if let Some(days) = &raw.redistribution_days
                && *days.get_ref() < 0
            {
                return Err(loader.error(
                    "redistribution days cannot be negative",
                    Some(days.span()),
                    None,
                ));
            }
            overrides.push(Override {
                patterns,
                globs,
                vendor,
                redistribution_days: raw.redistribution_days.as_ref().map(|d| *d.get_ref()),
                selection: loader.selection(
                    Some(&raw.select)
                        .filter(|s| !s.is_empty())
                        .map(|s| s.as_slice()),
                    &raw.ignore,
                    &raw.severity,
                )?,
            });
        }
        Ok(Config {
            path: path.to_owned(),
            dir,
            selection,
            fail_on: raw.fail_on,
            options,
            overrides,
            secrets: {
                let mut found = crate::secrets::Found::default();
                crate::secrets::candidates::scan_text(text, 0, &mut found);
                found.searchable().into_iter().map(str::to_owned).collect()
            },
        })
    }

    /// The overrides that apply to `file` (an absolute path), in order. A pattern matches the
    /// path relative to the configuration's directory, or the file name alone.
    pub fn overrides_for(&self, file: &Path) -> impl Iterator<Item = (usize, &Override)> {
        let relative = file.strip_prefix(&self.dir).unwrap_or(file).to_path_buf();
        let name = file.file_name().map(PathBuf::from);
        self.overrides.iter().enumerate().filter(move |(_, o)| {
            o.globs.is_match(&relative) || name.as_ref().is_some_and(|n| o.globs.is_match(n))
        })
    }
}

/// Settings given on the command line, which win over configuration files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandLine {
    /// `--select`: only these rules run.
    pub select: Option<Vec<&'static str>>,
    /// `--ignore`: these rules do not run (added to what configuration ignores).
    pub ignore: Vec<&'static str>,
    pub fail_on: Option<Severity>,
    pub redistribution_days: Option<i64>,
}

/// The settings for `file` (an absolute path): `base` (the run's defaults), then `config` and
/// the overrides of it that match the file, in order, then the command line. Also returns the
/// indices of the overrides that matched.
pub fn resolve(
    base: &Settings,
    config: Option<&Config>,
    file: &Path,
    cli: &CommandLine,
) -> (Settings, Vec<usize>) {
    let mut settings = base.clone();
    let mut matched = Vec::new();
    // `--select` takes the place of the configuration's own `select`, and the overrides (a
    // file's ignores, severities) still apply after it, as ruff's per-file ignores do.
    let cli_selects = cli.select.is_some();
    if let Some(config) = config {
        let lifetime = config.options.certificate_lifetime_days;
        settings.options = config.options.clone();
        settings.options.certificate_lifetime_days = lifetime;
        apply(&mut settings.rules, &config.selection, true);
        if let Some(select) = &cli.select {
            settings.rules.select_only(select);
        }
        if let Some(fail_on) = config.fail_on {
            settings.fail_on = fail_on;
        }
        for (index, found) in config.overrides_for(file) {
            let mut selection = found.selection.clone();
            if cli_selects {
                selection.select = None;
            }
            apply(&mut settings.rules, &selection, false);
            settings.vendor = found.vendor.or(settings.vendor);
            settings.redistribution_days =
                found.redistribution_days.or(settings.redistribution_days);
            matched.push(index);
        }
    }
    if let Some(select) = &cli.select
        && config.is_none()
    {
        settings.rules.select_only(select);
    }
    settings.rules.disable(&cli.ignore);
    if let Some(fail_on) = cli.fail_on {
        settings.fail_on = fail_on;
    }
    if let Some(days) = cli.redistribution_days {
        settings.redistribution_days = Some(days);
    }
    (settings, matched)
}

/// Applies one layer of selection. The base layer's `select` limits what runs; an override's
/// `select` adds to it.
fn apply(rules: &mut RuleLevels, selection: &Selection, base: bool) {
    if let Some(select) = &selection.select {
        if base {
            rules.select_only(select);
        } else {
            rules.enable(select);
        }
    }
    rules.disable(&selection.ignore);
    for (code, level) in &selection.levels {
        match level.severity() {
            Some(severity) => rules.set_severity(code, severity),
            None => rules.disable(&[code]),
        }
    }
}

/// A path made absolute against the working directory, without touching the file system.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// How the run finds its configuration.
#[derive(Debug, Clone)]
pub enum Source {
    /// Walk up from each file to the closest `sceplint.toml` or `.sceplint.toml`.
    Discover,
    /// `--config PATH`: this file for every input.
    Explicit(Arc<Config>),
    /// `--isolated`: no configuration file at all.
    Isolated,
}

/// Finds the configuration for each file, reading each configuration file once.
#[derive(Debug)]
pub struct Resolver {
    source: Source,
    by_dir: std::collections::HashMap<PathBuf, Option<Arc<Config>>>,
}

impl Resolver {
    pub fn new(source: Source) -> Self {
        Resolver {
            source,
            by_dir: Default::default(),
        }
    }

    /// The configuration that applies to `file` (as given; made absolute here).
    pub fn config_for(&mut self, file: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        match &self.source {
            Source::Isolated => Ok(None),
            Source::Explicit(config) => Ok(Some(config.clone())),
            Source::Discover => {
                let file = absolute(file);
                let start = file.parent().unwrap_or(Path::new("/")).to_path_buf();
                self.for_dir(&start)
            }
        }
    }

    fn for_dir(&mut self, dir: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        if let Some(found) = self.by_dir.get(dir) {
            return Ok(found.clone());
        }
        // A symbolic link counts as found, so that loading refuses it rather than the file
        // being skipped without a word.
        let present = |p: &PathBuf| {
            std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file() || m.file_type().is_symlink())
        };
        let found = match FILE_NAMES.iter().map(|n| dir.join(n)).find(present) {
            Some(path) => Some(Arc::new(Config::load(&path)?)),
            None => match dir.parent() {
                Some(parent) => self.for_dir(parent)?,
                None => None,
            },
        };
        self.by_dir.insert(dir.to_path_buf(), found.clone());
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/repo/sceplint.toml"), text)
    }

    #[test]
    fn reads_every_setting() {
        let config = parse(
            r#"
select = ["ALL"]
ignore = ["all-apps-access"]
fail-on = "warning"
certificate-lifetime-days = 397

[severity]
SCEP001 = "info"
key-size = "off"

[rules.key-size]
allowed = [2048, 4096]

[rules.subject-length]
max-length = 60

[[overrides]]
files = ["kandji/**"]
vendor = "iru"
redistribution-days = 30
severity = { static-challenge = "warning" }
"#,
        )
        .unwrap();
        assert_eq!(config.selection.ignore, ["SCEP006"]);
        assert_eq!(
            config.selection.levels,
            [("SCEP001", Level::Info), ("SCEP003", Level::Off)]
        );
        assert_eq!(config.fail_on, Some(Severity::Warning));
        assert_eq!(config.options.certificate_lifetime_days, 397);
        assert_eq!(config.options.key_size.allowed, [2048, 4096]);
        assert_eq!(config.options.subject_length.max_length, 60);
        assert_eq!(config.overrides[0].vendor, Some(Vendor::Kandji));
        assert_eq!(config.overrides[0].redistribution_days, Some(30));
    }

    fn error(text: &str) -> ConfigError {
        parse(text).unwrap_err()
    }

    #[test]
    fn mistakes_point_into_the_toml() {
        let text = "select = [\"key-sise\"]\n";
        let err = error(text);
        assert!(err.0.message.contains("`key-sise` is not a rule"), "{err}");
        assert_eq!(&text[err.0.span.clone().unwrap()], "\"key-sise\"");

        let text = "fail-on = \"fatal\"\n";
        let err = error(text);
        assert!(err.0.message.contains("unknown variant"), "{err}");
        assert!(err.0.span.is_some());

        let err = error("colour = true\n");
        assert!(err.0.message.contains("unknown field"), "{err}");

        let err = error("[rules.key-size]\nallowed = \"2048\"\n");
        assert!(err.0.message.contains("invalid type"), "{err}");

        let err = error("[rules.no-such-rule]\nx = 1\n");
        assert!(err.0.message.contains("unknown field"), "{err}");

        let text = "[[overrides]]\nfiles = [\"a/[b\"]\n";
        let err = error(text);
        assert!(err.0.message.contains("invalid glob"), "{err}");
        assert_eq!(&text[err.0.span.clone().unwrap()], "\"a/[b\"");

        let err = error("[[overrides]]\nfiles = [\"*\"]\nvendor = \"airwatch\"\n");
        assert!(err.0.message.contains("not a vendor"), "{err}");
    }

    #[test]
    fn overrides_match_relative_paths_and_file_names() {
        let config = parse("[[overrides]]\nfiles = [\"exports/*.json\", \"*.mobileconfig\"]\nignore = [\"SCEP002\"]\n").unwrap();
        let matching = |p: &str| config.overrides_for(Path::new(p)).count();
        assert_eq!(matching("/repo/exports/a.json"), 1);
        assert_eq!(
            matching("/repo/exports/deeper/a.json"),
            0,
            "`*` does not cross directories"
        );
        assert_eq!(
            matching("/repo/x/y/profile.mobileconfig"),
            1,
            "a bare name matches anywhere"
        );
        assert_eq!(matching("/repo/a.json"), 0);
    }
}
