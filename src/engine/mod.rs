//! Linting one file: load, read into the model, run the rules, place the findings.
//!
//! Everything that depends on a file's text (positions, code frames, masking) happens here,
//! while the text is in memory; a [`FileReport`] keeps only what reports need. By job:
//! [`settings`] (what applies to a file), [`input`] (reading it safely), [`check`] (the
//! pipeline), [`place`] (positions and frames), [`report`] (what is kept), [`cross_file`] (the
//! one rule that compares files).

pub mod check;
pub mod cross_file;
pub mod input;
mod place;
pub mod report;
pub mod settings;

pub use check::{MAX_FINDINGS_PER_RULE, check_bytes};
pub use input::{
    Outcome, check_input, check_input_guarded, check_read, guarded, may_hold_scep, read_limited,
};
pub use report::{FileReport, FileStatus};
pub use settings::{RuleLevels, Settings};
