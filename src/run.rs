//! The whole check as a library call, shared by the command line and the language server:
//! configuration resolved per file, the walk or the given files, each file's lint behind the
//! panic guard, the profiles Terraform and Fleet GitOps deploy, cross-file rules, the baseline,
//! and the redaction that hides every file's secrets in whatever is written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::baseline::Baseline;
use crate::config::{self, CommandLine, ConfigError, Resolver};
use crate::engine::{self, FileReport, Outcome, Settings};
use crate::output::Output;
use crate::secrets::Redactor;
use crate::secrets::redactor::Scrubber;
use crate::walk::{self, Input, WalkOptions};

/// Hides every file's secrets in every file's report (a secret of one file may show in
/// another's finding, or in the text of a file skipped as holding no profile), escapes control
/// characters, and returns the output for the run.
pub fn seal(files: &mut [FileReport], skipped_secrets: &[String]) -> Output {
    let secrets: std::collections::BTreeSet<&str> = files
        .iter()
        .flat_map(|f| f.secrets.iter().map(String::as_str))
        .chain(skipped_secrets.iter().map(String::as_str))
        .collect();
    let output = Output::new(Redactor::new(secrets));
    if output.redactor().is_empty() && files.iter().all(FileReport::is_printable) {
        return output;
    }
    files.par_iter_mut().for_each(|file| {
        let mut scrubber = Scrubber::new(output.redactor());
        file.scrub(&mut scrubber);
    });
    output
}

/// What to check: everything `sceplint check` takes, without its command line.
#[derive(Debug, Default)]
pub struct CheckRequest {
    /// Files and folders to walk.
    pub roots: Vec<PathBuf>,
    pub walk: WalkOptions,
    /// The run's defaults, before configuration files and the command line.
    pub base: Settings,
    pub cli: CommandLine,
    /// Text checked as if it were the file at its path, in place of that file when the walk
    /// finds it too (standard input, an editor's unsaved buffer), or why it could not be read.
    pub documents: Vec<Document>,
    /// Findings already accepted, left out of the result.
    pub baseline: Option<Baseline>,
    /// Secrets known from elsewhere (the server's last look at the workspace), hidden too.
    pub known_secrets: Vec<String>,
}

#[derive(Debug)]
pub struct Document {
    pub path: String,
    pub bytes: Result<Vec<u8>, String>,
    /// Named by the user (standard input), so reported even when it holds no SCEP profile; an
    /// editor's buffer is not, and is left out quietly as a walk would leave its file.
    pub explicit: bool,
}

/// The files a request names, each with its settings: what `--fix` works on before the check.
pub struct Prepared<'r> {
    request: CheckRequest,
    cache: SettingsCache<'r>,
    jobs: Vec<(Input, Arc<Settings>)>,
    walk_errors: Vec<walk::WalkError>,
}

/// A finished check: every file's report, scrubbed of every secret, and the output that hides
/// them in whatever is written next.
pub struct Checked {
    pub files: Vec<FileReport>,
    pub output: Output,
    /// Files a walk left out as holding no SCEP profile.
    pub skipped: usize,
    /// Findings the baseline accounted for.
    pub baselined: usize,
    /// Whether a file's check panicked (caught; the run exits 2).
    pub internal_error: bool,
    /// Every secret the run hides (the server hides them in what it later says of one file).
    pub secrets: Vec<String>,
}

/// Walks the request's roots and resolves each file's settings.
pub fn prepare(
    request: CheckRequest,
    resolver: &mut Resolver,
) -> Result<Prepared<'_>, ConfigError> {
    let (mut inputs, walk_errors) = walk::discover(&request.roots, request.walk);
    // A document stands in for the file at its path.
    let replaced: Vec<PathBuf> = request
        .documents
        .iter()
        .map(|d| walk::identity(Path::new(&d.path)))
        .collect();
    inputs.retain(|input| !replaced.contains(&input.identity));
    let mut cache = SettingsCache {
        resolver,
        base: request.base.clone(),
        cli: request.cli.clone(),
        shared: HashMap::new(),
    };
    let mut jobs = Vec::with_capacity(inputs.len());
    for input in inputs {
        let settings = cache.for_path(&input.path)?;
        jobs.push((input, settings));
    }
    Ok(Prepared {
        request,
        cache,
        jobs,
        walk_errors,
    })
}

/// The whole check of a request.
pub fn check(request: CheckRequest, resolver: &mut Resolver) -> Result<Checked, ConfigError> {
    prepare(request, resolver)?.check()
}

impl Prepared<'_> {
    pub fn jobs(&self) -> &[(Input, Arc<Settings>)] {
        &self.jobs
    }

    /// Lints every file and document, then what they deploy, then links and seals the reports.
    pub fn check(mut self) -> Result<Checked, ConfigError> {
        let mut documents = Vec::new();
        for document in std::mem::take(&mut self.request.documents) {
            // Standard input's settings are those of a file named `stdin` in the folder.
            let named = if document.path == "-" {
                "stdin"
            } else {
                &document.path
            };
            let settings = self.cache.for_path(Path::new(named))?;
            let input = Input {
                display: document.path.clone(),
                path: PathBuf::from(&document.path),
                explicit: document.explicit,
                identity: walk::identity(Path::new(&document.path)),
            };
            documents.push((input, settings, document.bytes));
        }
        let mut outcomes: Vec<Outcome> = self
            .jobs
            .par_iter()
            .map(|(input, settings)| engine::check_input_guarded(input, settings))
            .collect();
        outcomes.extend(documents.iter().map(|(input, settings, bytes)| {
            check_text(input, settings, bytes.as_deref().map_err(String::as_str))
        }));
        let targets: Vec<Target<'_>> = self
            .jobs
            .iter()
            .map(|(input, _)| (input, None))
            .chain(
                documents
                    .iter()
                    .map(|(input, _, bytes)| (input, bytes.as_deref().ok())),
            )
            .collect();
        check_deployed(&targets, &mut outcomes, &mut self.cache)?;
        let mut files: Vec<FileReport> = Vec::with_capacity(outcomes.len());
        let mut skipped_secrets: Vec<String> = std::mem::take(&mut self.request.known_secrets);
        let mut skipped = 0;
        for outcome in outcomes {
            match outcome {
                Outcome::Report(report) => files.push(report),
                Outcome::Skipped { secrets } => {
                    skipped += 1;
                    skipped_secrets.extend(secrets);
                }
            }
        }
        for error in std::mem::take(&mut self.walk_errors) {
            let settings = self.cache.for_path(Path::new(&error.display))?;
            files.push(FileReport::unreadable(
                &error.display,
                error.message,
                &settings,
            ));
        }
        engine::cross_file::link(&mut files);
        let internal_error = files.iter().any(|f| f.internal_error);
        // Every secret any file holds is hidden in everything the run writes, whichever file's
        // finding would show it.
        let output = seal(&mut files, &skipped_secrets);
        let mut secrets: Vec<String> = files
            .iter()
            .flat_map(|f| f.secrets.iter().cloned())
            .chain(skipped_secrets)
            .collect();
        secrets.sort_unstable();
        secrets.dedup();
        let mut baselined = 0;
        if let Some(baseline) = &self.request.baseline {
            for file in &mut files {
                baselined += baseline.filter(&mut file.diagnostics);
            }
        }
        Ok(Checked {
            files,
            output,
            skipped,
            baselined,
            internal_error,
            secrets,
        })
    }
}

/// A file to check, and its text when it is given rather than read.
type Target<'a> = (&'a Input, Option<&'a [u8]>);

/// A document's check, behind the panic guard.
fn check_text(input: &Input, settings: &Settings, bytes: Result<&[u8], &str>) -> Outcome {
    engine::guarded(&input.display, settings, || match bytes {
        // Standard input is checked whatever it looks like, as it always was.
        Ok(bytes) if input.explicit => {
            Outcome::Report(engine::check_bytes(&input.display, bytes, settings))
        }
        Ok(bytes) => engine::check_read(input, bytes, settings),
        Err(message) => Outcome::Report(FileReport::unreadable(
            &input.display,
            message.to_owned(),
            settings,
        )),
    })
}

/// Each file's settings, shared between the files configuration treats alike.
struct SettingsCache<'r> {
    resolver: &'r mut Resolver,
    base: Settings,
    cli: CommandLine,
    shared: HashMap<(Option<PathBuf>, Vec<usize>), Arc<Settings>>,
}

impl SettingsCache<'_> {
    fn for_path(&mut self, path: &Path) -> Result<Arc<Settings>, ConfigError> {
        let config = self.resolver.config_for(path)?;
        let absolute = config::absolute(path);
        let (settings, matched) =
            config::resolve(&self.base, config.as_deref(), &absolute, &self.cli);
        let key = (config.map(|c| c.path.clone()), matched);
        Ok(self
            .shared
            .entry(key)
            .or_insert_with(|| Arc::new(settings))
            .clone())
    }
}

/// Checks again, in their context, the profiles that Terraform resources and Fleet GitOps files
/// deploy by path: each once (the first deploying file wins), in place of its plain check when
/// the walk found it too, or added when it did not.
fn check_deployed(
    targets: &[Target<'_>],
    outcomes: &mut Vec<Outcome>,
    cache: &mut SettingsCache<'_>,
) -> Result<(), ConfigError> {
    let mut deployed: Vec<(PathBuf, PathBuf, crate::model::Deployment)> = Vec::new();
    for outcome in outcomes.iter() {
        if let Outcome::Report(report) = outcome {
            for d in &report.deploys {
                let identity = walk::identity(&d.path);
                if !deployed.iter().any(|(known, ..)| *known == identity) {
                    deployed.push((identity, d.path.clone(), d.deployment.clone()));
                }
            }
        }
    }
    if deployed.is_empty() {
        return Ok(());
    }
    let mut work: Vec<(Option<usize>, Input, Arc<Settings>)> = Vec::new();
    for (identity, path, deployment) in deployed {
        let index = targets
            .iter()
            .position(|(input, _)| input.identity == identity);
        // A deployed file that holds no SCEP profile (most of a Fleet repository's) is left out
        // quietly, as a walk would, unless it was named on the command line.
        let input = match index {
            Some(i) => targets[i].0.clone(),
            None => Input {
                display: walk::display(&path),
                path: path.clone(),
                explicit: false,
                identity,
            },
        };
        let mut settings = (*cache.for_path(&input.path)?).clone();
        settings.vendor = Some(deployment.vendor);
        settings.deployment = Some(deployment);
        work.push((index, input, Arc::new(settings)));
    }
    // A deployed file open in an editor is checked as its buffer holds it.
    let checked: Vec<Outcome> = work
        .par_iter()
        .map(
            |(index, input, settings)| match index.and_then(|i| targets[i].1) {
                Some(bytes) => check_text(input, settings, Ok(bytes)),
                None => engine::check_input_guarded(input, settings),
            },
        )
        .collect();
    for ((index, ..), outcome) in work.iter().zip(checked) {
        match index {
            Some(i) => outcomes[*i] = outcome,
            None => outcomes.push(outcome),
        }
    }
    Ok(())
}
