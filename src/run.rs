//! What a run does once every file is checked, shared by the command line, the tests and (later)
//! the language server: find the secrets of all the files, scrub every report of them, and give
//! back the [`Output`] that hides them in whatever is written.

use rayon::prelude::*;

use crate::engine::FileReport;
use crate::output::Output;
use crate::secrets::Redactor;
use crate::secrets::redactor::Scrubber;

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
