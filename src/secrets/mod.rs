//! Secrets: a profile's challenge lets anyone enroll a device as managed, and sceplint's output
//! is read in CI logs by people a repository does not trust. This layer finds every candidate
//! secret in what a run reads ([`candidates`]), hides them in code frames while a file's text is
//! in memory ([`mask`]), and replaces them in everything the run writes ([`redactor`], applied
//! by the report and by [`crate::output`], the one way out). See docs/security.md.

pub mod candidates;
pub mod mask;
pub mod redactor;
pub mod toml;
pub mod views;

pub use candidates::{Found, MIN_SEARCHED_CHARS, is_secret_key};
pub use redactor::Redactor;
