//! Rules of the repository that a test can hold: paired migrations, a sans-IO core.

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
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "tree",
            "-p",
            "fieldcase-shared",
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
    let tree = String::from_utf8_lossy(&out.stdout);
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
