//! The `detente` command line, run as a program: refused arguments, oversized files and output
//! that cannot be written end with an exit code, never a panic.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

fn detente() -> Command {
    Command::new(env!("CARGO_BIN_EXE_detente"))
}

fn run(args: &[&str]) -> Output {
    detente().args(args).output().expect("detente runs")
}

/// Ended by itself with an exit code (not by a signal), without a panic.
fn assert_orderly(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.status.code().is_some(),
        "ended by a signal: {:?}",
        out.status
    );
}

/// A file in the temporary folder, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!("detente-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).expect("temporary file");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temporary path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn zero_games_is_refused() {
    for cmd in ["sim", "tournament"] {
        let out = run(&[cmd, "--level", "levels/tutorial.ron", "--games", "0"]);
        assert_orderly(&out);
        assert!(!out.status.success(), "{cmd}");
        assert!(out.stdout.is_empty(), "{cmd} played anyway");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--games"));
    }
}

#[test]
fn a_screenshot_at_an_interface_scale_the_game_does_not_offer_is_refused() {
    // Refused before any window opens, so this needs no display.
    for scale in ["3", "0.1", "NaN"] {
        let out = run(&[
            "screenshot",
            "--level",
            "levels/tutorial.ron",
            "--ui-scale",
            scale,
            "--out",
            "/nonexistent/never.png",
        ]);
        assert_orderly(&out);
        assert_eq!(out.status.code(), Some(2), "--ui-scale {scale}");
        // The refusal names the option, so it is not a window that failed to open.
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("--ui-scale"),
            "--ui-scale {scale}"
        );
        assert!(
            !std::path::Path::new("/nonexistent/never.png").exists(),
            "--ui-scale {scale}"
        );
    }
}

#[test]
fn too_many_games_are_refused_before_playing() {
    let huge = (detente::cli::MAX_SIM_GAMES as u64 + 1).to_string();
    let out = run(&["sim", "--level", "levels/tutorial.ron", "--games", &huge]);
    assert_orderly(&out);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let huge = (detente::cli::MAX_TOURNAMENT_GAMES + 1).to_string();
    let out = run(&[
        "tournament",
        "--level",
        "levels/tutorial.ron",
        "--games",
        &huge,
    ]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    // Far beyond what the number type holds is refused the same way.
    let out = run(&[
        "sim",
        "--level",
        "levels/tutorial.ron",
        "--games",
        "99999999999999",
    ]);
    assert_orderly(&out);
    assert!(!out.status.success());
}

#[test]
fn an_oversized_level_is_refused_naming_the_file() {
    let mut bytes = std::fs::read("levels/tutorial.ron").unwrap();
    bytes.resize(detente::level::MAX_LEVEL_BYTES as usize + 1, b' ');
    let big = TempFile::new("big.ron", &bytes);
    for args in [
        vec!["check", big.path()],
        vec!["sim", "--level", big.path()],
    ] {
        let out = run(&args);
        assert_orderly(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).contains(big.path()));
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // Far more output than a pipe holds, so the writer must meet the closed end.
    let files = vec!["levels/tutorial.ron"; 2000];
    let mut child = detente()
        .arg("check")
        .args(&files)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("detente runs");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("ok"), "{first}");
    // The reader is dropped here, as `| head -1` would after its line.
    let out = child.wait_with_output().unwrap();
    assert_orderly(&out);
    assert_eq!(out.status.code(), Some(detente::cli::EXIT_PIPE_CLOSED));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A transcript whose reader is gone before it is written.
    let mut child = detente()
        .args(["sim", "--level", "levels/tutorial.ron"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("detente runs");
    drop(child.stdout.take());
    assert_orderly(&child.wait_with_output().unwrap());
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_reported() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = detente()
        .args(["sim", "--level", "levels/tutorial.ron"])
        .stdout(full)
        .output()
        .expect("detente runs");
    assert_orderly(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(!out.stderr.is_empty());
}

#[test]
fn tournament_exploits_prints_one_json_object_with_a_row_per_strategy_and_opponent() {
    let out = run(&[
        "tournament",
        "--level",
        "levels/tutorial.ron",
        "--exploits",
        "--games",
        "1",
        "--json",
    ]);
    assert_orderly(&out);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    let rows = v["strategies"].as_array().expect("a list of strategies");
    assert_eq!(
        rows.len(),
        detente::eval::exploits::STRATEGIES.len() * detente::eval::tournament::pool().len()
    );
}
