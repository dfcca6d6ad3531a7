//! The `fieldcase` binary as an operator meets it: bad configuration, an
//! unreachable database, bad arguments, and a graceful stop on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn fieldcase() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fieldcase"));
    // Nothing from the developer's environment may leak into these runs.
    for (key, _) in std::env::vars() {
        if key.starts_with("FIELDCASE_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("RUST_LOG", "warn");
    cmd
}

fn run(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn version_and_help_answer() {
    let out = fieldcase().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("fieldcase "));
    let help = fieldcase().args(["demo", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--no-serve"));
}

#[test]
fn an_invalid_config_file_names_the_key_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fieldcase.toml");
    std::fs::write(&file, "listen = \"nowhere\"\n").unwrap();
    let (code, err) = run(fieldcase().arg("--config").arg(&file).arg("migrate"));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("listen") && err.contains("invalid configuration"),
        "{err}"
    );

    std::fs::write(&file, "session_minutes = 0\n").unwrap();
    let (code, err) = run(fieldcase().arg("--config").arg(&file).arg("migrate"));
    assert_eq!(code, 1);
    assert!(err.contains("session_minutes"), "{err}");

    let (code, err) = run(fieldcase().args(["--config", "/nonexistent/fieldcase.toml", "serve"]));
    assert_eq!(code, 1);
    assert!(err.contains("not found"), "{err}");

    let (code, err) = run(fieldcase()
        .args(["migrate"])
        .env("FIELDCASE_MAX_FAILED_LOGINS", "many")
        .current_dir(dir.path()));
    assert_eq!(code, 1);
    assert!(err.to_lowercase().contains("max_failed_logins"), "{err}");
}

#[test]
fn an_unreachable_database_fails_fast_and_clearly() {
    let started = Instant::now();
    let (code, err) = run(fieldcase().args([
        "--database-url",
        "postgres://postgres:secret@127.0.0.1:1/test",
        "serve",
    ]));
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot connect to the database at postgres://postgres:***@127.0.0.1:1/test"),
        "{err}"
    );
    assert!(!err.contains("secret"), "the password must not be printed");
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn user_add_checks_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let base = [
        "--data-dir",
        dir.path().to_str().unwrap(),
        "user",
        "add",
        "--email",
        "eva@example.cz",
        "--name",
        "Eva",
    ];
    let (code, err) = run(fieldcase().args(base).args(["--role", "wizard"]));
    assert_eq!(code, 1);
    assert!(
        err.contains("unknown role") && err.contains("admin"),
        "{err}"
    );
    let (code, err) = run(fieldcase()
        .args(base)
        .args(["--role", "admin"])
        .env("FIELDCASE_NEW_PASSWORD", "short"));
    assert_eq!(code, 1);
    assert!(err.contains("8 to 256"), "{err}");
    let ok = fieldcase()
        .args(base)
        .args(["--role", "admin"])
        .env("FIELDCASE_NEW_PASSWORD", "long enough 123")
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let (code, err) = run(fieldcase()
        .args(base)
        .args(["--role", "admin"])
        .env("FIELDCASE_NEW_PASSWORD", "long enough 123"));
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn serve_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = fieldcase()
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "serve",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "graceful shutdown exits 0, got {status}");
            break;
        }
        assert!(Instant::now() < deadline, "the hub did not stop on SIGTERM");
        std::thread::yield_now();
    }
}

#[test]
fn device_code_issues_a_one_time_code() {
    let dir = tempfile::tempdir().unwrap();
    let data = ["--data-dir", dir.path().to_str().unwrap()];
    let seeded = fieldcase()
        .args(data)
        .args(["demo", "--small", "--no-serve"])
        .output()
        .unwrap();
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let out = fieldcase()
        .args(data)
        .args([
            "device",
            "code",
            "--adviser",
            "p0001",
            "--by",
            "admin@demo.fieldcase.cz",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert_eq!(code.len(), 11, "{code}");
    let (status, err) = run(fieldcase().args(data).args([
        "device",
        "code",
        "--adviser",
        "X999",
        "--by",
        "admin@demo.fieldcase.cz",
    ]));
    assert_eq!(status, 1);
    assert!(err.contains("no active adviser"), "{err}");
    let (status, err) = run(fieldcase().args(data).args([
        "device",
        "code",
        "--adviser",
        "P0001",
        "--by",
        "poradce001@demo.fieldcase.cz",
    ]));
    assert_eq!(status, 1);
    assert!(err.contains("may not issue"), "{err}");
}

#[test]
fn catalog_price_changes_a_price_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let data = ["--data-dir", dir.path().to_str().unwrap()];
    let seeded = fieldcase()
        .args(data)
        .args(["demo", "--small", "--no-serve"])
        .output()
        .unwrap();
    assert!(
        seeded.status.success(),
        "{}",
        String::from_utf8_lossy(&seeded.stderr)
    );
    let price = |args: &[&str]| {
        let mut cmd = fieldcase();
        cmd.args(data)
            .args(["catalog", "price", "--by", "admin@demo.fieldcase.cz"])
            .args(args);
        run(&mut cmd)
    };
    let (status, err) = price(&["--sku", "S-000", "--price", "1 490,50"]);
    assert_eq!(status, 0, "{err}");
    let (status, err) = price(&["--sku", "S-000", "--price", "levně"]);
    assert_eq!(status, 1);
    assert!(err.contains("price"), "{err}");
    let (status, err) = price(&["--sku", "NENI-TAKOVY", "--price", "100"]);
    assert_eq!(status, 1);
    assert!(err.contains("sku"), "{err}");
    let (status, err) = price(&[
        "--sku",
        "S-000",
        "--price",
        "100",
        "--from",
        "2999-01-01T00:00:00Z",
    ]);
    assert_eq!(status, 1);
    assert!(err.contains("from"), "{err}");
}
