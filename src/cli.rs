//! The command line: clap definitions, resolved into per-file settings (defaults, then the
//! closest configuration file and its matching overrides, then flags), then the run and its
//! exit status.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::config::{self, CommandLine, Config, ConfigError, Resolver};
use crate::engine::{self, Settings};
use crate::output::{Output, Policy};
use crate::render::{self, Format, Report, Style};
use crate::rules::{self, Severity};
use crate::secrets::Redactor;
use crate::walk::{self, Input, WalkOptions};

/// Exit statuses: 0 nothing at or above the failure threshold, 1 something is, 2 sceplint
/// itself failed (usage, configuration, I/O).
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "sceplint",
    version,
    about = "Lint SCEP configuration profiles (Apple, Jamf Pro, Kandji/Iru, Intune, Fleet, Windows, Terraform) before they reach a device",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check profiles and exports; exit 1 if a finding reaches the failure threshold
    Check(CheckArgs),
    /// Print a rule's documentation
    Rule(RuleArgs),
    /// Print the settings that apply to a path, and where they come from
    Config(ConfigArgs),
    /// Write a commented sceplint.toml for this repository, with a section per MDM found
    Init(InitArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man`
    Man,
    /// Print the JSON schema of sceplint.toml
    Schema,
    /// Run as a language server over standard input and output, for editors
    Server,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The repository (or folder) to look at and write sceplint.toml into
    #[arg(default_value = ".")]
    path: PathBuf,

    /// Print what would be written instead of writing it
    #[arg(long)]
    stdout: bool,

    /// Replace an existing sceplint.toml
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct ConfigSelection {
    /// Use this configuration file for every input instead of discovering sceplint.toml
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    config: Option<PathBuf>,

    /// Ignore configuration files
    #[arg(long)]
    isolated: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files and directories to check; `-` reads standard input
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,

    /// Report format
    #[arg(long, alias = "output-format", value_enum, default_value_t = Format::Human)]
    format: Format,

    /// Print the findings only: no summary line, no notes (text formats)
    #[arg(long, short)]
    quiet: bool,

    /// Print how many findings each rule has instead of the findings (human and concise
    /// formats)
    #[arg(long)]
    statistics: bool,

    /// Fix what can be fixed safely in the files (values, misspelt keys, absent keys), then
    /// report what remains
    #[arg(long)]
    fix: bool,

    /// Also apply fixes a human should confirm (with --fix or --diff)
    #[arg(long)]
    unsafe_fixes: bool,

    /// Print the fixes as a unified diff instead of applying them; exit 1 if there are any
    #[arg(long, conflicts_with = "fix")]
    diff: bool,

    /// Fix what can be fixed and report nothing else (exit 0 unless sceplint fails)
    #[arg(long, conflicts_with = "diff")]
    fix_only: bool,

    /// Also fix binary plists, by writing each one anew (every byte of the file changes; signed
    /// profiles are still never modified)
    #[arg(long)]
    rewrite_binary: bool,

    /// Write the report to this file instead of standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The name to report standard input under (also where its configuration is looked for)
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<String>,

    #[command(flatten)]
    config: ConfigSelection,

    /// Run only these rules (codes or names, comma-separated; `ALL` for every rule)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Option<Vec<String>>,

    /// Do not run these rules (codes or names, comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    ignore: Vec<String>,

    /// The lowest severity that makes sceplint exit 1 (overrides `fail-on` in configuration)
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<Severity>,

    /// Exit 0 even when findings reach the failure threshold (2 still means sceplint failed)
    #[arg(long)]
    exit_zero: bool,

    /// Declare that the MDM redistributes profiles this many days before the certificate
    /// expires, for exports that cannot show it (Kandji/Iru, generic mobileconfigs, Jamf macOS)
    #[arg(long, value_name = "DAYS")]
    redistribution_days: Option<i64>,

    /// Report only findings that this baseline (from --write-baseline) does not account for
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Record today's findings in FILE as the baseline, and exit 0
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,

    /// When to colour the human report (`auto`: on a terminal, unless NO_COLOR is set)
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,

    /// Largest file to read, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    max_file_size: u64,

    /// Also walk into files and directories that .gitignore or .ignore exclude, and hidden ones
    #[arg(long)]
    no_ignore: bool,
}

#[derive(Debug, Args)]
struct RuleArgs {
    /// A rule code (SCEP003) or name (key-size)
    #[arg(required_unless_present = "all")]
    rule: Option<String>,

    /// List every rule
    #[arg(long, conflicts_with = "rule")]
    all: bool,
}

#[derive(Debug, Args)]
struct ConfigArgs {
    /// The file (or directory) whose settings to show
    #[arg(default_value = ".")]
    path: PathBuf,

    #[command(flatten)]
    config: ConfigSelection,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Runs the command line and returns the process exit code. A panic anywhere (a bug) ends in
/// exit 2 with a short message: the default panic message could quote a file.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|_| {}));
    match std::panic::catch_unwind(run) {
        Ok(status) => ExitCode::from(status),
        Err(_) => {
            Output::default()
                .error("internal error: sceplint failed (a bug in sceplint); please report it");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn run() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let text = error.render().to_string();
            let out = Output::default();
            return if error.use_stderr() {
                out.error_text(&text);
                EXIT_FAILURE
            } else {
                let _ = out.stdout(Policy::PLAIN).write_all(text.as_bytes());
                EXIT_CLEAN
            };
        }
    };
    match cli.command {
        Command::Check(args) => check(args),
        Command::Rule(args) => rule(args),
        Command::Config(args) => show_config(args),
        Command::Init(args) => init(args),
        Command::Completions { shell } => {
            let mut text = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "sceplint",
                &mut text,
            );
            print_plain(&text)
        }
        Command::Man => {
            let mut text = Vec::new();
            match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut text)
            {
                Ok(()) => print_plain(&text),
                Err(e) => fail(
                    &Output::default(),
                    format!("cannot render the manual page: {}", crate::io_message(&e)),
                ),
            }
        }
        Command::Schema => print_plain(crate::config::schema_json().as_bytes()),
        Command::Server => match crate::server::run() {
            Ok(true) => EXIT_CLEAN,
            // LSP: an `exit` without `shutdown` before it ends with status 1.
            Ok(false) => EXIT_FINDINGS,
            Err(message) => fail(&Output::default(), message),
        },
    }
}

/// Writes text sceplint made itself (no file content) to standard output.
fn print_plain(text: &[u8]) -> u8 {
    match Output::default().stdout(Policy::PLAIN).write_all(text) {
        Ok(()) => EXIT_CLEAN,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(e) => fail(
            &Output::default(),
            format!("cannot write: {}", crate::io_message(&e)),
        ),
    }
}

/// `sceplint init`: looks at the tree, writes a commented sceplint.toml with a section per MDM
/// folder found, and prints what it wrote.
fn init(args: InitArgs) -> u8 {
    let out = Output::default();
    let target = args.path.join("sceplint.toml");
    if !args.stdout && target.exists() && !args.force {
        return fail(
            &out,
            format!(
                "{} already exists; pass --force to replace it, or --stdout to see what init would write",
                crate::escape::control(&walk::display(&target))
            ),
        );
    }
    let text = crate::init::write_for(&args.path);
    if args.stdout {
        return print_plain(text.as_bytes());
    }
    if let Err(e) = out.create(&target, Policy::PLAIN).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.flush()
    }) {
        return fail(
            &out,
            format!(
                "cannot write {}: {}",
                crate::escape::control(&walk::display(&target)),
                crate::io_message(&e)
            ),
        );
    }
    let mut stdout = out.stdout(Policy::PLAIN);
    let _ = writeln!(
        stdout,
        "wrote {}:\n\n{text}\nFill in what it asks, then run `sceplint check`.",
        crate::escape::control(&walk::display(&target))
    );
    EXIT_CLEAN
}

fn fail(out: &Output, message: impl std::fmt::Display) -> u8 {
    out.error(message);
    EXIT_FAILURE
}

/// A configuration error, rendered into its (masked) TOML, through an output that knows the
/// file's secrets.
fn report_config_error(error: &ConfigError) -> u8 {
    let out = Output::new(Redactor::new(error.secrets().iter().map(String::as_str)));
    let mut rendered = String::new();
    let stderr_is_terminal = {
        #[allow(clippy::disallowed_methods)]
        let terminal = io::stderr().is_terminal();
        terminal
    };
    let style = Style {
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && stderr_is_terminal,
        width: if stderr_is_terminal {
            terminal_columns()
        } else {
            100
        },
    };
    match render::human::handler(style).render_report(&mut rendered, error) {
        Ok(()) => {
            let mut err = out.stderr();
            let _ = err.write_all(rendered.as_bytes());
        }
        Err(_) => out.error(error),
    }
    EXIT_FAILURE
}

fn config_source(selection: &ConfigSelection) -> Result<config::Source, ConfigError> {
    Ok(if selection.isolated {
        config::Source::Isolated
    } else if let Some(path) = &selection.config {
        config::Source::Explicit(Arc::new(Config::load(path)?))
    } else {
        config::Source::Discover
    })
}

fn rule_codes(names: &[String], flag: &str) -> Result<Vec<&'static str>, String> {
    let mut codes = Vec::new();
    for name in names {
        match rules::codes_matching(name) {
            Some(found) => codes.extend(found),
            None => {
                let hint = rules::did_you_mean_hint(name);
                let sep = if hint.is_empty() { ";" } else { "" };
                return Err(format!(
                    "{flag}: `{name}` is not a rule{hint}{sep} `sceplint rule --all` lists them"
                ));
            }
        }
    }
    Ok(codes)
}

/// The largest `--max-file-size` accepted: a profile is kilobytes, a large export megabytes.
const MAX_FILE_SIZE_LIMIT: u64 = 1 << 30;
/// `--redistribution-days` beyond ten years is a typo, not a schedule.
const MAX_REDISTRIBUTION_DAYS: i64 = 3650;

/// Checks the numeric options, in the words a user needs to fix them.
fn validate(args: &CheckArgs) -> Result<(), String> {
    if args.unsafe_fixes && !(args.fix || args.diff || args.fix_only) {
        return Err("--unsafe-fixes goes with --fix, --diff or --fix-only".to_owned());
    }
    if args.rewrite_binary && !(args.fix || args.diff || args.fix_only) {
        return Err("--rewrite-binary goes with --fix, --diff or --fix-only".to_owned());
    }
    if args.statistics && !matches!(args.format, Format::Human | Format::Concise) {
        return Err(
            "--statistics works with the human and concise formats; the machine formats already count by rule".to_owned(),
        );
    }
    if args.max_file_size == 0 || args.max_file_size > MAX_FILE_SIZE_LIMIT {
        return Err(format!(
            "--max-file-size must be between 1 and {MAX_FILE_SIZE_LIMIT} bytes (1 GiB); it is {}",
            args.max_file_size
        ));
    }
    if let Some(days) = args.redistribution_days
        && !(0..=MAX_REDISTRIBUTION_DAYS).contains(&days)
    {
        return Err(format!(
            "--redistribution-days must be between 0 (off) and {MAX_REDISTRIBUTION_DAYS}; it is {days}"
        ));
    }
    Ok(())
}

fn check(args: CheckArgs) -> u8 {
    let plain = Output::default();
    if let Err(message) = validate(&args) {
        return fail(&plain, message);
    }
    let source = match config_source(&args.config) {
        Ok(source) => source,
        Err(error) => return report_config_error(&error),
    };
    let cli = CommandLine {
        select: match args
            .select
            .as_deref()
            .map(|s| rule_codes(s, "--select"))
            .transpose()
        {
            Ok(select) => select,
            Err(message) => return fail(&plain, message),
        },
        ignore: match rule_codes(&args.ignore, "--ignore") {
            Ok(ignore) => ignore,
            Err(message) => return fail(&plain, message),
        },
        fail_on: args.fail_on,
        redistribution_days: args.redistribution_days,
    };
    let base = Settings {
        max_file_size: args.max_file_size,
        frames: args.format == Format::Human,
        ..Settings::default()
    };
    let baseline = match args.baseline.as_deref().map(Baseline::read).transpose() {
        Ok(baseline) => baseline,
        Err(message) => return fail(&plain, message),
    };

    let stdin_requested = args.paths.iter().any(|p| p.as_os_str() == "-");
    let roots: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let mut resolver = Resolver::new(source);
    let fixing = args.fix || args.diff || args.fix_only;
    let request = |documents| crate::run::CheckRequest {
        roots: roots.clone(),
        walk: WalkOptions {
            no_ignore: args.no_ignore,
        },
        base: base.clone(),
        cli: cli.clone(),
        documents,
        baseline: None,
        known_secrets: Vec::new(),
    };
    if fixing {
        let threshold = if args.unsafe_fixes {
            crate::model::Applicability::Unsafe
        } else {
            crate::model::Applicability::Safe
        };
        let prepared = match crate::run::prepare(request(Vec::new()), &mut resolver) {
            Ok(prepared) => prepared,
            Err(error) => return report_config_error(&error),
        };
        match fix_inputs(prepared.jobs(), threshold, args.diff, args.rewrite_binary) {
            FixOutcome::Diffed(status) => return status,
            FixOutcome::Failed(message) => return fail(&plain, message),
            FixOutcome::Written { findings, files } => {
                if args.fix_only {
                    let _ = writeln!(
                        plain.stdout(Policy::PLAIN),
                        "Fixed {findings} finding{} in {files} file{}.",
                        if findings == 1 { "" } else { "s" },
                        if files == 1 { "" } else { "s" }
                    );
                    return EXIT_CLEAN;
                }
                if findings > 0 {
                    plain.error(format!(
                        "fixed {findings} finding{} in {files} file{}",
                        if findings == 1 { "" } else { "s" },
                        if files == 1 { "" } else { "s" }
                    ));
                }
            }
        }
    }
    let documents = if stdin_requested {
        let name = args.stdin_filename.as_deref().unwrap_or("-");
        vec![crate::run::Document {
            path: name.to_owned(),
            bytes: read_stdin(base.max_file_size),
            explicit: true,
        }]
    } else {
        Vec::new()
    };
    let mut request = request(documents);
    // Writing a baseline records every finding; reading one leaves its findings out.
    if args.write_baseline.is_none() {
        request.baseline = baseline;
    }
    let checked = match crate::run::check(request, &mut resolver) {
        Ok(checked) => checked,
        Err(error) => return report_config_error(&error),
    };
    let crate::run::Checked {
        files,
        output: out,
        skipped,
        baselined,
        internal_error,
        ..
    } = checked;

    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::from_diagnostics(files.iter().flat_map(|f| &f.diagnostics));
        return match baseline.write(&out, path) {
            Ok(()) => {
                let count: usize = baseline.findings.iter().map(|e| e.count).sum();
                out.error_text(&format!(
                    "sceplint: recorded {count} findings in {}\n",
                    crate::escape::control(&walk::display(path))
                ));
                if internal_error {
                    EXIT_FAILURE
                } else {
                    EXIT_CLEAN
                }
            }
            Err(message) => fail(&out, message),
        };
    }

    let mut report = Report::new(files, baselined);
    report.summary.skipped = skipped;
    report.text = render::TextOptions {
        quiet: args.quiet,
        statistics: args.statistics,
    };
    let status = if internal_error {
        EXIT_FAILURE
    } else if report.summary.failing > 0 && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    let emitted = emit(
        &out,
        &report,
        args.format,
        args.output.as_deref(),
        args.color,
    );
    // The process exits next: freeing a large report's many small allocations one by one would
    // only delay that (by a tenth of the run on ten thousand files).
    std::mem::forget(report);
    match emitted {
        Ok(()) => status,
        // A reader that went away (`| head`) is not sceplint's failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => status,
        Err(e) => fail(
            &out,
            match &args.output {
                Some(path) => format!(
                    "cannot write the report to {}: {}",
                    crate::escape::control(&walk::display(path)),
                    crate::io_message(&e)
                ),
                None => format!("cannot write the report: {}", crate::io_message(&e)),
            },
        ),
    }
}

/// What `--fix` or `--diff` did.
enum FixOutcome {
    /// `--diff` printed: exit 1 when there were changes.
    Diffed(u8),
    Written {
        findings: usize,
        files: usize,
    },
    Failed(String),
}

/// Fixes every input at or above `threshold` (files are read and written whole; a file that
/// is not text is never modified), or prints the fixes as a diff.
fn fix_inputs(
    jobs: &[(Input, Arc<Settings>)],
    threshold: crate::model::Applicability,
    diff_only: bool,
    rewrite_binary: bool,
) -> FixOutcome {
    let fixed: Vec<(&Input, crate::fix::Fixed)> = jobs
        .par_iter()
        .filter_map(|(input, settings)| {
            let bytes = engine::read_limited(&input.path, settings.max_file_size).ok()?;
            if !engine::may_hold_scep(&input.path, &bytes) {
                return None;
            }
            let fixed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if rewrite_binary {
                    crate::fix::fix_binary_plist(&input.display, &bytes, settings, threshold)
                        .unwrap_or_else(|| {
                            crate::fix::fix_file(&input.display, &bytes, settings, threshold)
                        })
                } else {
                    crate::fix::fix_file(&input.display, &bytes, settings, threshold)
                }
            }))
            .ok()?;
            Some((input, fixed))
        })
        .collect();
    let changed: Vec<&(&Input, crate::fix::Fixed)> =
        fixed.iter().filter(|(_, f)| f.bytes.is_some()).collect();
    if diff_only {
        // The diff shows the files' text: it goes out through an output that hides their
        // secrets like every report.
        let secrets: Vec<&str> = fixed
            .iter()
            .flat_map(|(_, f)| f.secrets.iter().map(String::as_str))
            .collect();
        let out = Output::new(Redactor::new(secrets));
        let mut stdout = out.stdout(Policy {
            syntax: crate::output::Syntax::Text,
            ansi: false,
        });
        for (input, f) in &changed {
            let shown = if f.binary {
                format!("{} (a binary plist, shown as XML)", input.display)
            } else {
                input.display.clone()
            };
            let _ = stdout.write_all(crate::fix::masked_diff(&shown, f).as_bytes());
        }
        let count: usize = changed.iter().map(|(_, f)| f.count).sum();
        let _ = writeln!(
            stdout,
            "{count} fix{} in {} file{} would be applied with --fix.",
            if count == 1 { "" } else { "es" },
            changed.len(),
            if changed.len() == 1 { "" } else { "s" }
        );
        return FixOutcome::Diffed(if changed.is_empty() {
            EXIT_CLEAN
        } else {
            EXIT_FINDINGS
        });
    }
    for (input, f) in &changed {
        if let Some(bytes) = &f.bytes
            && let Err(e) = std::fs::write(&input.path, bytes)
        {
            return FixOutcome::Failed(format!(
                "cannot write the fixed {}: {}",
                crate::escape::control(&input.display),
                crate::io_message(&e)
            ));
        }
    }
    let unfinished = changed.iter().filter(|(_, f)| f.unfinished).count();
    if unfinished > 0 {
        Output::default().error(format!(
            "{unfinished} file{} still had fixes after {} rounds: run `--fix` again",
            if unfinished == 1 { "" } else { "s" },
            crate::fix::MAX_ROUNDS
        ));
    }
    FixOutcome::Written {
        findings: changed.iter().map(|(_, f)| f.count).sum(),
        files: changed.len(),
    }
}

/// Standard input, up to `limit` bytes, or why it could not be read.
fn read_stdin(limit: u64) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    match io::stdin()
        .lock()
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        Err(e) => Err(format!(
            "cannot read standard input: {}",
            crate::io_message(&e)
        )),
        Ok(_) if bytes.len() as u64 > limit => {
            Err("standard input is larger than --max-file-size".to_owned())
        }
        Ok(_) => Ok(bytes),
    }
}

fn emit(
    out: &Output,
    report: &Report,
    format: Format,
    path: Option<&Path>,
    color: ColorChoice,
) -> io::Result<()> {
    match path {
        Some(path) => {
            let style = Style {
                color: color == ColorChoice::Always && format == Format::Human,
                width: 100,
            };
            let mut file = out.create(path, format.policy(style.color))?;
            render::write(format, report, style, &mut file)?;
            file.flush()
        }
        None => {
            #[allow(clippy::disallowed_methods)]
            let terminal = io::stdout().is_terminal();
            let style = Style {
                color: format == Format::Human && use_color(color, terminal),
                width: if terminal { terminal_columns() } else { 100 },
            };
            let guarded = out.stdout(format.policy(style.color));
            let mut stdout = io::BufWriter::with_capacity(1 << 16, guarded);
            render::write(format, report, style, &mut stdout)?;
            stdout.flush()
        }
    }
}

/// `--color auto` colours only a terminal, and never with `NO_COLOR` set; an explicit
/// `--color always` wins over `NO_COLOR`, as no-color.org asks of command-line flags.
fn use_color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal,
    }
}

/// The terminal's width for wrapping, within reason.
fn terminal_columns() -> usize {
    match terminal_size::terminal_size() {
        Some((terminal_size::Width(w), _)) => usize::from(w).clamp(60, 200),
        _ => 100,
    }
}

fn rule(args: RuleArgs) -> u8 {
    let output = Output::default();
    let mut out = output.stdout(Policy::PLAIN);
    let result = if args.all {
        rules::all_meta().try_for_each(|meta| -> io::Result<()> {
            writeln!(
                out,
                "{:<8} {:<24} {:<8} {}",
                meta.code,
                meta.name,
                meta.severity.as_str(),
                meta.summary
            )
        })
    } else {
        let wanted = args.rule.unwrap_or_default();
        match rules::find_meta(&wanted) {
            Some(meta) => out.write_all(meta.docs.as_bytes()),
            None => {
                drop(out);
                return fail(
                    &output,
                    format!("no rule is called `{wanted}`; `sceplint rule --all` lists them"),
                );
            }
        }
    };
    match result {
        Ok(()) => EXIT_CLEAN,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(_) => EXIT_FAILURE,
    }
}

fn show_config(args: ConfigArgs) -> u8 {
    let source = match config_source(&args.config) {
        Ok(source) => source,
        Err(error) => return report_config_error(&error),
    };
    // For a directory, the settings of a file directly inside it.
    let file = if args.path.is_dir() {
        args.path.join("profile.mobileconfig")
    } else {
        args.path.clone()
    };
    let mut resolver = Resolver::new(source);
    let config = match resolver.config_for(&file) {
        Ok(config) => config,
        Err(error) => return report_config_error(&error),
    };
    let (settings, matched) = config::resolve(
        &Settings::default(),
        config.as_deref(),
        &config::absolute(&file),
        &CommandLine::default(),
    );
    let text = describe_settings(&args.path, config.as_deref(), &matched, &settings);
    let out = Output::new(Redactor::new(
        config
            .iter()
            .flat_map(|c| c.secrets.iter().map(String::as_str)),
    ));
    let mut stdout = out.stdout(Policy::PLAIN);
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_CLEAN,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(_) => EXIT_FAILURE,
    }
}

/// The effective settings for a path, as `sceplint config` prints them.
pub fn describe_settings(
    path: &Path,
    config: Option<&Config>,
    matched: &[usize],
    settings: &Settings,
) -> String {
    let shown = |path: &Path| crate::escape::control(&walk::display(path)).into_owned();
    let mut text = format!("# settings for {}\n", shown(path));
    match config {
        Some(config) => text.push_str(&format!("# from {}\n", shown(&config.path))),
        None => text.push_str("# from no configuration file: defaults\n"),
    }
    if let Some(config) = config {
        for index in matched {
            let patterns =
                crate::escape::control(&config.overrides[*index].patterns.join("\", \""))
                    .into_owned();
            text.push_str(&format!(
                "# with [[overrides]] #{} (files = [\"{patterns}\"])\n",
                index + 1
            ));
        }
    }
    text.push_str(&format!("fail-on = \"{}\"\n", settings.fail_on.as_str()));
    text.push_str(&format!(
        "certificate-lifetime-days = {}\n",
        settings.options.certificate_lifetime_days
    ));
    match settings.vendor {
        Some(vendor) => text.push_str(&format!("vendor = \"{}\"\n", vendor.id())),
        None => text.push_str("# vendor: recognised from each file's content\n"),
    }
    match settings.redistribution_days {
        Some(days) => text.push_str(&format!("redistribution-days = {days}\n")),
        None => text.push_str("# redistribution-days: unknown unless the export shows it\n"),
    }
    text.push_str("\n[severity]\n");
    for meta in rules::all_meta() {
        let level = if settings.rules.is_on(meta.code) {
            settings
                .rules
                .configured(meta.code)
                .unwrap_or(meta.severity)
                .as_str()
        } else {
            "off"
        };
        text.push_str(&format!("{} = \"{level}\"  # {}\n", meta.name, meta.code));
    }
    #[derive(serde::Serialize)]
    struct Wrapper<'a> {
        rules: &'a rules::Options,
    }
    if let Ok(options) = toml::to_string(&Wrapper {
        rules: &settings.options,
    }) {
        text.push('\n');
        text.push_str(&options);
    }
    text
}
