//! Repositories that keep profiles as code: Terraform modules, Fleet GitOps repositories and
//! IntuneCD backups under `fixtures/profiles-as-code/`, each linted as a folder, the way CI runs
//! sceplint. Profiles a `.tf` or GitOps file deploys by path are checked once, as that MDM's.

mod common;

use serde_json::Value;

fn run_json(folder: &str) -> Value {
    let output = common::sceplint()
        .args(["check", "--isolated", "--format", "json"])
        .arg(format!("fixtures/profiles-as-code/{folder}"))
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{folder}: not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn concise(folder: &str) -> String {
    let output = common::sceplint()
        .args(["check", "--isolated", "--format", "concise"])
        .arg(format!("fixtures/profiles-as-code/{folder}"))
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

/// The (path, vendor, code) of every finding.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or_default().to_owned(),
                d["vendor"].as_str().unwrap_or_default().to_owned(),
                d["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_layout_reads_as_its_mdm() {
    for folder in [
        "terraform-jamf",
        "terraform-jamfplatform",
        "terraform-intune",
        "fleet-gitops",
        "intunecd",
    ] {
        insta::with_settings!({ snapshot_path => "snapshots/profiles-as-code", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(folder, concise(folder));
        });
    }
}

#[test]
fn a_terraform_file_reference_is_linted_once_as_jamfs() {
    let report = run_json("terraform-jamf");
    let found = findings(&report);
    let profile = "fixtures/profiles-as-code/terraform-jamf/profiles/okta-scep.mobileconfig";
    let key_size: Vec<_> = found
        .iter()
        .filter(|(path, _, code)| path == profile && code == "SCEP003")
        .collect();
    assert_eq!(key_size.len(), 1, "{found:#?}");
    assert_eq!(key_size[0].1, "jamf");
    // The missing second profile is a finding in the .tf, at its path.
    assert!(
        found
            .iter()
            .any(|(path, _, code)| path.ends_with("main.tf") && code == "SCEP026")
    );
    // The resource deploys it at computer level, so the Jamf export's unknowns are known.
    assert!(
        !found
            .iter()
            .any(|(path, _, code)| path == profile && code == "SCEP012")
    );
}

#[test]
fn a_gitops_path_is_linted_once_as_fleets() {
    let report = run_json("fleet-gitops");
    let found = findings(&report);
    let apple = "fixtures/profiles-as-code/fleet-gitops/lib/macos/okta-scep.mobileconfig";
    let windows = "fixtures/profiles-as-code/fleet-gitops/lib/windows/okta-scep.xml";
    // The macOS profile is named by a path and by a glob, and found by the walk: one report.
    let renewal: Vec<_> = found
        .iter()
        .filter(|(path, _, code)| path == apple && code == "SCEP001")
        .collect();
    assert_eq!(renewal.len(), 1, "{found:#?}");
    assert_eq!(renewal[0].1, "fleet");
    assert!(
        found
            .iter()
            .any(|(path, vendor, code)| path == windows && vendor == "fleet" && code == "SCEP004")
    );
    assert!(
        found
            .iter()
            .any(|(path, _, code)| path.ends_with("teams/workstations.yml") && code == "SCEP026")
    );
}

#[test]
fn a_terraform_variable_is_unknown_never_an_error() {
    let report = run_json("terraform-intune");
    let key_size: Vec<&Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "SCEP003")
        .collect();
    assert!(
        key_size
            .iter()
            .all(|d| d["severity"] == "info" || d["message"].as_str().unwrap().contains("1024")),
        "{key_size:#?}"
    );
}

fn run_dir_json(dir: &std::path::Path) -> Value {
    let output = common::sceplint()
        .args(["check", "--isolated", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn computed_terraform_values_are_unknown_and_comments_suppress_blocks() {
    let dir = common::scratch("tf-computed");
    std::fs::write(
        dir.join("main.tf"),
        r##"# sceplint: ignore not-checked
resource "msgraph_resource" "computed" {
  url  = "deviceManagement/deviceConfigurations"
  body = jsonencode({ "@odata.type" = "#microsoft.graph.macOSScepCertificateProfile" })
}

resource "microsoft365_graph_beta_device_management_windows_custom_configuration" "okta" {
  display_name = "Okta"
  oma_settings = [
    { odata_type = "#microsoft.graph.omaSettingInteger", display_name = "KeyUsage", oma_uri = "./User/Vendor/MSFT/ClientCertificateInstall/SCEP/Okta/Install/KeyUsage", value = var.key_usage },
    { odata_type = "#microsoft.graph.omaSettingString", display_name = "Hash", oma_uri = "./User/Vendor/MSFT/ClientCertificateInstall/SCEP/Okta/Install/HashAlgorithm", value = var.hash },
  ]
}
"##,
    )
    .unwrap();
    let report = run_dir_json(&dir);
    let codes: Vec<(&str, &str)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
        .collect();
    // The computed KeyUsage is information, not an error; no "no Data"; the computed body is
    // not checked, and the comment before its block silences that.
    assert!(codes.contains(&("SCEP004", "info")), "{codes:?}");
    assert!(
        !codes
            .iter()
            .any(|(c, _)| *c == "SCEP023" || *c == "SCEP026" || *c == "SCEP100"),
        "{codes:?}"
    );
    // The computed hash is not "not set" (the missing KeyProtection still is).
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(
        !messages
            .iter()
            .any(|m| m.contains("`HashAlgorithm` is not set")),
        "{messages:#?}"
    );
}

#[test]
fn deployed_paths_are_reported_without_dot_dot_and_intune_payload_files_are_followed() {
    let dir = common::scratch("tf-paths");
    std::fs::create_dir_all(dir.join("module")).unwrap();
    std::fs::create_dir_all(dir.join("profiles")).unwrap();
    std::fs::copy(
        "fixtures/key-size/generic-fail-string.mobileconfig",
        dir.join("profiles/okta.mobileconfig"),
    )
    .unwrap();
    std::fs::write(
        dir.join("module/main.tf"),
        r#"resource "microsoft365_graph_beta_device_management_macos_device_configuration_templates" "okta" {
  display_name = "Okta"
  custom_configuration = {
    payload = file("${path.module}/../profiles/okta.mobileconfig")
  }
}
"#,
    )
    .unwrap();
    let report = run_dir_json(&dir.join("module"));
    let paths: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert!(
        !paths.is_empty() && paths.iter().all(|p| !p.contains("..")),
        "{paths:?}"
    );
    assert!(
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["vendor"] == "intune")
    );
}
