//! The house's layering, read from the source (`docs/architecture.md`, "Layers"): the kernel
//! and the plumbing (`http`, `db`) know no context; a context imports only lower ones, through
//! their `model`, `service` or `policy` (an api room may also share a lower context's api
//! views); only an api room or a jobs room (entry points both) sees the assembled `state`;
//! entities hold no logic; migrations never import entities. A rule broken anywhere fails here with the file, the line and the rule.

use std::path::{Path, PathBuf};

/// Shared values every layer may use.
const KERNEL: &[&str] = &[
    "clock",
    "config",
    "paging",
    "principal",
    "refusal",
    "tables",
    "validation",
    "values",
];
/// Shared machinery that knows no context (`synced!` is db's macro, exported at the root).
const PLUMBING: &[&str] = &["http", "db", "synced"];
/// The bounded contexts, lowest first.
const CONTEXTS: &[&str] = &[
    "accounts",
    "catalogue",
    "enrolment",
    "attendance",
    "documents",
    "clubs",
    "quality",
    "calendar",
    "sync",
    "evidence",
    "notifications",
    "privacy",
];
/// What a context shows the ones above it.
const FACES: &[&str] = &["model", "service", "policy"];

enum Layer {
    Kernel,
    Plumbing,
    Context(usize),
    /// The assembly (`lib.rs`, `state.rs`, `main.rs`, operations, start-up): may use anything.
    Assembly,
}

fn layer(module: &str) -> Layer {
    if KERNEL.contains(&module) {
        Layer::Kernel
    } else if PLUMBING.contains(&module) {
        Layer::Plumbing
    } else if let Some(rank) = CONTEXTS.iter().position(|c| *c == module) {
        Layer::Context(rank)
    } else {
        Layer::Assembly
    }
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Every `crate::a::b` a line of code names (comments and `$crate` excluded), as `(a, b)`.
fn references(line: &str) -> Vec<(String, String)> {
    let code = line.split("//").next().unwrap_or_default();
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let escaped = at > 0 && rest.as_bytes()[at - 1] == b'$';
        rest = &rest[at + "crate::".len()..];
        if escaped {
            continue;
        }
        let ident = |s: &str| -> String {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect()
        };
        let first = ident(rest);
        let second = rest[first.len()..]
            .strip_prefix("::")
            .map(ident)
            .unwrap_or_default();
        found.push((first, second));
    }
    found
}

/// What is wrong with `file` (under `src/`, in module `module`) naming `crate::target::face`.
fn broken_rule(module: &str, in_api_room: bool, target: &str, face: &str) -> Option<String> {
    if target == module {
        return None;
    }
    match (layer(module), layer(target)) {
        (Layer::Assembly, _) => None,
        (Layer::Kernel, Layer::Kernel) => None,
        (Layer::Kernel, _) => Some(format!("the kernel uses only the kernel, not `{target}`")),
        (Layer::Plumbing, Layer::Kernel | Layer::Plumbing) => None,
        (Layer::Plumbing, _) => Some(format!("http and db know no context, not `{target}`")),
        (Layer::Context(_), Layer::Kernel | Layer::Plumbing) => None,
        (Layer::Context(_), Layer::Assembly) if target == "state" && in_api_room => None,
        (Layer::Context(_), Layer::Assembly) => {
            Some(format!("a context sees `{target}` only from its api room"))
        }
        (Layer::Context(from), Layer::Context(to)) if to > from => Some(format!(
            "`{module}` may not import `{target}`, which is above it"
        )),
        (Layer::Context(_), Layer::Context(_)) => {
            let face_ok = FACES.contains(&face) || (face == "api" && in_api_room);
            (!face_ok).then(|| {
                format!("`{module}` reaches `{target}` through `{face}`, not its model, service or policy")
            })
        }
    }
}

#[test]
fn every_module_imports_only_what_its_layer_allows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut broken = Vec::new();
    for file in rust_files(&src) {
        let relative = file.strip_prefix(&src).unwrap();
        let mut parts = relative.iter().map(|p| p.to_string_lossy().into_owned());
        let first = parts.next().unwrap();
        let module = first.trim_end_matches(".rs").to_owned();
        let in_api_room = relative
            .iter()
            .nth(1)
            .is_some_and(|p| p == "api" || p == "api.rs" || p == "jobs");
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            for (target, face) in references(line) {
                if let Some(rule) = broken_rule(&module, in_api_room, &target, &face) {
                    broken.push(format!("src/{}:{}: {rule}", relative.display(), number + 1));
                }
            }
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
}

#[test]
fn the_layering_check_catches_an_arrow_that_points_up() {
    assert!(broken_rule("catalogue", true, "enrolment", "service").is_some());
    assert!(broken_rule("http", false, "accounts", "service").is_some());
    assert!(broken_rule("catalogue", false, "state", "AppState").is_some());
    assert!(broken_rule("enrolment", false, "catalogue", "store").is_some());
    assert!(broken_rule("enrolment", false, "catalogue", "service").is_none());
    assert!(broken_rule("catalogue", true, "state", "AppState").is_none());
    assert_eq!(
        references("use crate::a::b; // crate::c::d"),
        vec![("a".to_owned(), "b".to_owned())]
    );
    assert!(references("$crate::synced!(x)").is_empty());
}

#[test]
fn entities_hold_no_logic_and_migrations_never_import_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    for file in rust_files(&root.join("entity/src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("fn ") || code.starts_with("pub fn ") || code.contains(" fn ") {
                // Only the relation definitions sea-orm asks for.
                if !code.starts_with("fn to()") && !code.starts_with("fn def(") {
                    broken.push(format!(
                        "{}:{}: logic in an entity",
                        file.display(),
                        number + 1
                    ));
                }
            }
        }
    }
    for file in rust_files(&root.join("migration/src")) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if code.contains("use entity") || code.contains("entity::") {
                broken.push(format!(
                    "{}:{}: a migration imports an entity",
                    file.display(),
                    number + 1
                ));
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}
