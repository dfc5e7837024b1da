//! The layers of docs/architecture.md, enforced: the modules' `crate::` references form no
//! cycle, and the layers that must stay independent do (rules read only the model; containers
//! know nothing of MDMs; the model knows nothing of formats).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module and the other top-level modules its code (not its comments) names.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let module = relative
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned();
            if module == "main" || module == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let deps = graph.entry(module.clone()).or_default();
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for (at, _) in line.match_indices("crate::") {
                    let name: String = line[at + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module && name != "io_message" {
                        deps.insert(name);
                    }
                }
                // `use super::` inside a module stays inside it.
            }
        }
    }
    graph
}

#[test]
fn modules_form_no_cycle() {
    let graph = dependencies();
    assert!(graph.len() > 15, "found only {} modules", graph.len());
    // Kahn's algorithm: every module must be removable once what it depends on is.
    let mut remaining = graph.clone();
    loop {
        let free: Vec<String> = remaining
            .iter()
            .filter(|(_, deps)| deps.iter().all(|d| !remaining.contains_key(d)))
            .map(|(m, _)| m.clone())
            .collect();
        if free.is_empty() {
            break;
        }
        for module in free {
            remaining.remove(&module);
        }
    }
    assert!(remaining.is_empty(), "modules in a cycle: {remaining:#?}");
}

#[test]
fn the_layers_stay_apart() {
    let graph = dependencies();
    let forbidden: &[(&str, &[&str])] = &[
        (
            "model",
            &[
                "container",
                "mdm",
                "rules",
                "engine",
                "render",
                "cli",
                "secrets",
            ],
        ),
        (
            "container",
            &[
                "model", "mdm", "rules", "engine", "render", "cli", "secrets",
            ],
        ),
        (
            "rules",
            &[
                "container",
                "mdm",
                "engine",
                "render",
                "cli",
                "config",
                "output",
            ],
        ),
        ("mdm", &["engine", "render", "cli", "config", "output"]),
        ("secrets", &["mdm", "rules", "engine", "render", "cli"]),
        ("engine", &["render", "cli"]),
        ("render", &["cli", "mdm", "container"]),
    ];
    for (module, not) in forbidden {
        let deps = graph
            .get(*module)
            .unwrap_or_else(|| panic!("no module {module}"));
        for other in *not {
            assert!(
                !deps.contains(*other),
                "{module} depends on {other}: {deps:?}"
            );
        }
    }
}
