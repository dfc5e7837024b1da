//! The command line: clap definitions, resolved into settings, then the run and its exit code.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::engine::{self, FileReport, Outcome, Settings};
use crate::render::{self, Format, Report, Style};
use crate::rules::{self, Severity};
use crate::walk::{self, Input, WalkOptions};

/// Exit statuses: 0 no error-severity finding, 1 at least one, 2 sceplint itself failed.
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "sceplint",
    version,
    about = "Lint SCEP configuration profiles (Apple, Jamf Pro, Kandji/Iru, Intune) before they reach a device",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check profiles and exports; exit 1 if any error-severity finding remains
    Check(CheckArgs),
    /// Print a rule's documentation
    Rule(RuleArgs),
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files and directories to check; `-` reads standard input
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,

    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// The name to report standard input under
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<String>,

    /// Declare that the MDM redistributes profiles this many days before the certificate
    /// expires, for exports that cannot show it (Kandji/Iru, generic mobileconfigs, Jamf macOS)
    #[arg(long, value_name = "DAYS")]
    redistribution_days: Option<i64>,

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_CLEAN
            });
        }
    };
    let status = match cli.command {
        Command::Check(args) => check(args),
        Command::Rule(args) => rule(args),
    };
    ExitCode::from(status)
}

fn check(args: CheckArgs) -> u8 {
    let settings = Settings {
        redistribution_days: args.redistribution_days,
        max_file_size: args.max_file_size,
        frames: args.format == Format::Human,
        ..Settings::default()
    };

    let stdin_requested = args.paths.iter().any(|p| p.as_os_str() == "-");
    let roots: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    let (inputs, walk_errors) = walk::discover(
        &roots,
        WalkOptions {
            no_ignore: args.no_ignore,
        },
    );

    let mut files: Vec<FileReport> = inputs
        .par_iter()
        .map(|input: &Input| engine::check_input(input, &settings))
        .filter_map(|outcome| match outcome {
            Outcome::Report(report) => Some(report),
            Outcome::Skipped => None,
        })
        .collect();
    files.extend(
        walk_errors
            .into_iter()
            .map(|e| FileReport::unreadable(&e.display, e.message)),
    );
    if stdin_requested {
        let name = args.stdin_filename.as_deref().unwrap_or("-");
        let mut bytes = Vec::new();
        let report = match io::stdin()
            .lock()
            .take(settings.max_file_size + 1)
            .read_to_end(&mut bytes)
        {
            Err(e) => FileReport::unreadable(
                name,
                format!("cannot read standard input: {}", crate::io_message(&e)),
            ),
            Ok(_) if bytes.len() as u64 > settings.max_file_size => FileReport::unreadable(
                name,
                "standard input is larger than --max-file-size".to_owned(),
            ),
            Ok(_) => engine::check_bytes(name, &bytes, &settings),
        };
        files.push(report);
    }

    let report = Report::new(files);
    let style = Style {
        color: use_color(args.color),
        width: terminal_width(),
    };
    let status = if report.highest_severity() == Some(Severity::Error) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    match emit(&report, args.format, style) {
        Ok(()) => status,
        // A reader that went away (`| head`) is not sceplint's failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => status,
        Err(e) => {
            eprintln!(
                "sceplint: cannot write the report: {}",
                crate::io_message(&e)
            );
            EXIT_FAILURE
        }
    }
}

fn emit(report: &Report, format: Format, style: Style) -> io::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    render::write(format, report, style, &mut out)?;
    out.flush()
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

fn terminal_width() -> usize {
    if io::stdout().is_terminal() {
        if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size() {
            return usize::from(w).clamp(60, 200);
        }
    }
    100
}

fn rule(args: RuleArgs) -> u8 {
    let mut out = io::stdout().lock();
    let result = if args.all {
        rules::all_meta().try_for_each(|meta| {
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
                eprintln!(
                    "sceplint: no rule is called `{wanted}`; `sceplint rule --all` lists them"
                );
                return EXIT_FAILURE;
            }
        }
    };
    match result {
        Ok(()) => EXIT_CLEAN,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_CLEAN,
        Err(_) => EXIT_FAILURE,
    }
}
