//! What shapes how one file is checked: the defaults, then its configuration file and the
//! overrides that match it, then the command line.

use crate::container::Limits;
use crate::model::Vendor;
use crate::rules::{self, Options};
use crate::severity::Severity;

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
    /// What the file that deploys this one says about it (a Terraform resource, a Fleet GitOps
    /// entry), when the profile is checked as that file's.
    pub deployment: Option<crate::model::Deployment>,
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
            deployment: None,
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
