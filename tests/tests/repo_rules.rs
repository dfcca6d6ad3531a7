//! Rules of the repository that a test can hold: paired migrations, a sans-IO core,
//! no import circle in the hub, no Rust file over 600 lines.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

fn names(dir: &str) -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
    std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect()
}

#[test]
fn sqlite_and_postgres_migrations_have_the_same_names() {
    let sqlite = names("migrations/sqlite");
    let postgres = names("migrations/postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "every migration must exist for both databases"
    );
}

#[test]
fn the_shared_crate_does_no_io() {
    let tree = tree("fieldcase-shared");
    assert!(tree.contains("fieldcase-shared"), "{tree}");
    for forbidden in [
        "tokio", "sqlx", "rusqlite", "axum", "dioxus", "hyper", "reqwest",
    ] {
        let found: Vec<_> = tree
            .lines()
            .filter(|l| {
                l.split_whitespace()
                    .next()
                    .is_some_and(|c| c.starts_with(forbidden))
            })
            .collect();
        assert!(
            found.is_empty(),
            "fieldcase-shared must stay sans-IO but depends on {found:?}"
        );
    }
}

/// The fastlane lanes cannot run here (no SDKs, no RubyGems), but their Ruby must
/// parse, and they must be the lanes the README documents. `scripts/test.sh`
/// installs Debian's ruby when it is missing.
#[test]
fn the_fastlane_files_parse_and_define_the_documented_lanes() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    for file in ["fastlane/Fastfile", "fastlane/Appfile"] {
        let out = std::process::Command::new("ruby")
            .arg("-c")
            .arg(format!("{root}/{file}"))
            .output()
            .expect("ruby runs (scripts/test.sh installs Debian's ruby)");
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("Syntax OK"));
    }
    let fastfile = std::fs::read_to_string(format!("{root}/fastlane/Fastfile")).unwrap();
    let readme = std::fs::read_to_string(format!("{root}/fastlane/README.md")).unwrap();
    for lane in ["android_beta", "ios_beta"] {
        assert!(
            fastfile.contains(&format!("lane :{lane} do")),
            "{lane} in the Fastfile"
        );
        assert!(readme.contains(lane), "{lane} documented");
    }
    for action in [
        "upload_to_play_store",
        "upload_to_testflight",
        "match(",
        "dx bundle --platform android",
        "dx bundle --platform ios",
    ] {
        assert!(fastfile.contains(action), "the Fastfile uses {action}");
    }
    // Secrets come from the environment only.
    for line in fastfile.lines().chain(
        std::fs::read_to_string(format!("{root}/fastlane/Appfile"))
            .unwrap()
            .lines(),
    ) {
        let l = line.to_lowercase();
        if (l.contains("password") || l.contains("key")) && l.contains(": \"") {
            panic!("a literal secret in fastlane: {line}");
        }
    }
}

/// `cargo tree` of one package (normal and build edges), one crate a line.
fn tree(package: &str) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "tree",
            "-p",
            package,
            "--edges",
            "normal,build",
            "--prefix",
            "none",
            "--locked",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_hub_does_not_link_the_phone_crate() {
    let tree = tree("fieldcase-server");
    assert!(tree.contains("fieldcase-server"), "{tree}");
    for phone_only in ["fieldcase-device", "rusqlite"] {
        assert!(
            !tree
                .lines()
                .any(|l| l.starts_with(&format!("{phone_only} "))),
            "the hub must not depend on {phone_only} (the load simulator lives in sim/)"
        );
    }
}

/// The `crate::…` paths a Rust source file names (in `use` lines, groups
/// `crate::{a, b::c}` expanded, and inline paths).
fn crate_paths(source: &str) -> Vec<Vec<String>> {
    fn segment_char(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '_' || c == ':'
    }
    fn expand(prefix: &str, rest: &str, out: &mut Vec<Vec<String>>) {
        // `rest` starts right after a `crate::` or a group's `{`/`,`.
        let path: String = rest.chars().take_while(|c| segment_char(*c)).collect();
        let after = &rest[path.len()..];
        let full = format!("{prefix}{path}");
        if after.starts_with('{') {
            let mut depth = 0;
            let mut start = 1;
            for (i, c) in after.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            expand(&full, after[start..i].trim_start(), out);
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        expand(&full, after[start..i].trim_start(), out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else if !full.is_empty() {
            out.push(
                full.split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            );
        }
    }
    let mut out = Vec::new();
    for (i, _) in source.match_indices("crate::") {
        if source[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            continue; // `fieldcase_crate::` and the like
        }
        expand("", &source[i + "crate::".len()..], &mut out);
    }
    out
}

/// Every `.rs` file below `dir`, relative to it; build output, vendored and npm
/// folders are not ours.
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                if !["target", "vendor", "node_modules"].contains(&name.as_ref())
                    && !name.starts_with('.')
                {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_hubs_modules_import_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src");
    let files = rust_files(&src);
    let index = |p: &std::path::PathBuf| files.iter().position(|f| f == p);
    // file → the files whose items it names through `crate::…`
    let mut edges: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); files.len()];
    for (from, file) in files.iter().enumerate() {
        let source = std::fs::read_to_string(src.join(file)).unwrap();
        for path in crate_paths(&source) {
            // The longest prefix of the path that is a file of ours.
            let target = (1..=path.len()).rev().find_map(|n| {
                index(&std::path::PathBuf::from(format!(
                    "{}.rs",
                    path[..n].join("/")
                )))
            });
            if let Some(to) = target.filter(|to| *to != from) {
                edges[from].insert(to);
            }
        }
    }
    // Tarjan's strongly connected components: any with two files is a circle.
    struct Tarjan<'a> {
        edges: &'a [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        circles: Vec<Vec<usize>>,
    }
    impl Tarjan<'_> {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.next);
            self.low[v] = self.next;
            self.next += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            for &w in &self.edges[v].clone() {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(iw) if self.on_stack[w] => self.low[v] = self.low[v].min(iw),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.circles.push(component);
                }
            }
        }
    }
    let n = files.len();
    let mut t = Tarjan {
        edges: &edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        circles: Vec::new(),
    };
    for v in 0..n {
        if t.index[v].is_none() {
            t.visit(v);
        }
    }
    let circles: Vec<Vec<String>> = t
        .circles
        .iter()
        .map(|c| c.iter().map(|i| files[*i].display().to_string()).collect())
        .collect();
    assert!(
        circles.is_empty(),
        "import circles among server/src files: {circles:#?}"
    );
}

/// STYLE.md: a file past ~600 lines is probably two concepts. Split it by topic
/// (a test binary may keep its topics as modules in a folder beside it).
#[test]
fn no_rust_file_of_ours_is_over_600_lines() {
    const MAX_LINES: usize = 600;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut long = Vec::new();
    let mut seen = 0;
    for dir in [
        "server", "shared", "mobile", "tests", "sim", "bench", "fuzz",
    ] {
        let dir = root.join(dir);
        for file in rust_files(&dir) {
            let path = dir.join(&file);
            let lines = std::fs::read_to_string(&path).unwrap().lines().count();
            seen += 1;
            if lines > MAX_LINES {
                long.push(format!(
                    "{}: {lines}",
                    path.strip_prefix(&root).unwrap().display()
                ));
            }
        }
    }
    assert!(seen > 100, "only {seen} files found: wrong folders?");
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them by topic): {long:#?}"
    );
}

#[test]
fn crate_paths_are_read_with_groups() {
    let paths = crate_paths(
        "use crate::{auth, store::{Actor, Store}};\nlet x = crate::sync::SyncHub::new();",
    );
    assert_eq!(
        paths,
        vec![
            vec!["auth".to_owned()],
            vec!["store".to_owned(), "Actor".to_owned()],
            vec!["store".to_owned(), "Store".to_owned()],
            vec!["sync".to_owned(), "SyncHub".to_owned(), "new".to_owned()],
        ]
    );
}
