//! The class subcommands: `detente host`, `sessions`, `export` and `loadtest`.

use super::{Done, join, say, tell};
use std::path::PathBuf;

/// `detente host`: serve the class; unless `headless`, open the instructor's console window
/// on it too. Closing the window leaves the class running until Ctrl-C.
pub(super) fn host(
    cfg: crate::net::host::HostConfig,
    addr: std::net::SocketAddr,
    announce_json: bool,
    headless: bool,
) -> i32 {
    let display = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|d| !d.is_empty()));
    let window = cfg!(feature = "gui") && !headless && (display || !cfg!(target_os = "linux"));
    if !window {
        if !headless && cfg!(feature = "gui") {
            tell(
                "no display here: serving without the console window (open it elsewhere with `detente console ADDR CODE`)",
            );
        }
        return crate::net::host::run(cfg, addr, announce_json);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    // When the class ends (Ctrl-C, SIGTERM), the process ends with it, window or not.
    let server = std::thread::spawn(move || {
        let code = crate::net::host::run_then(cfg, addr, false, Some(tx));
        std::process::exit(code)
    });
    let Ok((at, code)) = rx.recv() else {
        // The host stopped before serving (it said why), and ended the process.
        let _ = server.join();
        return 1;
    };
    let local = format!("127.0.0.1:{}", at.port());
    let _ = join(&local, &code);
    tell(
        "the console window is closed; the class goes on until Ctrl-C (reopen the console with `detente console ADDR CODE`)",
    );
    server.join().unwrap_or(1)
}

/// `detente sessions`: one line (or JSON object) per session of the archive.
pub(super) fn sessions(db: &std::path::Path, json: bool) -> Done {
    use crate::net::{archive::Archive, export};
    let list = match Archive::open_existing(db)
        .map_err(export::ExportError::from)
        .and_then(|a| export::overview(&a))
    {
        Ok(l) => l,
        Err(e) => {
            tell(&format!("detente sessions: {e}"));
            return Ok(1);
        }
    };
    if json {
        for s in &list {
            match serde_json::to_string(s) {
                Ok(j) => say(&format!("{j}\n"))?,
                Err(e) => {
                    tell(&format!("cannot write JSON: {e}"));
                    return Ok(1);
                }
            }
        }
        return Ok(0);
    }
    if list.is_empty() {
        say(&format!("{}: no session yet\n", db.display()))?;
        return Ok(0);
    }
    let mut out = format!(
        "{:>4}  {:<20}  {:>6}  {:>8} {:>10} {:>7} {:>11} {:>6} {:>7} {:>10}  levels\n",
        "id",
        "started",
        "tables",
        "finished",
        "normalised",
        "clashed",
        "round limit",
        "ousted",
        "running",
        "unreadable"
    );
    for s in &list {
        let t = &s.tally;
        out += &format!(
            "{:>4}  {:<20}  {:>6}  {:>8} {:>10} {:>7} {:>11} {:>6} {:>7} {:>10}  {}{}\n",
            s.id,
            s.started,
            s.tables,
            t.finished(),
            t.normalised,
            t.clashed,
            t.round_limit,
            t.ousted,
            t.running,
            t.unreadable,
            s.levels.join(", "),
            if s.vs_computer { " (vs computer)" } else { "" }
        );
    }
    say(&out)?;
    Ok(0)
}

/// `detente export`: a session's files into `out`; exit 1 if the archive cannot be read or a
/// file cannot be written, 3 when some table could not be replayed (the rest are written).
pub(super) fn export(db: &std::path::Path, session: Option<i64>, out: &std::path::Path) -> Done {
    use crate::net::{archive::Archive, export};
    let class = match Archive::open_existing(db)
        .map_err(export::ExportError::from)
        .and_then(|a| export::read_class(&a, session))
    {
        Ok(c) => c,
        Err(e) => {
            tell(&format!("detente export: {e}"));
            return Ok(1);
        }
    };
    for why in class.tables.iter().filter_map(|t| t.played.as_ref().err()) {
        tell(&format!("detente export: {why}"));
    }
    let written = match export::write_class(&class, out) {
        Ok(w) => w,
        Err(e) => {
            tell(&format!("detente export: {e}"));
            return Ok(1);
        }
    };
    let mut text = format!(
        "Session {} ({} tables) from {}:\n",
        class.session,
        class.tables.len(),
        db.display()
    );
    for f in &written.files {
        text += &format!("  wrote {}\n", f.display());
    }
    if !written.refused.is_empty() {
        text += &format!(
            "{} table(s) left out; their students are in the results without scores\n",
            written.refused.len()
        );
    }
    say(&text)?;
    Ok(if written.refused.is_empty() { 0 } else { 3 })
}

pub(super) fn loadtest(
    tables: u32,
    json: bool,
    levels: Vec<PathBuf>,
    seed: u64,
    max_seconds: f64,
    think_ms: u64,
) -> Done {
    use crate::net::loadtest;
    let host_exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            tell(&format!("cannot find this program to start the host: {e}"));
            return Ok(2);
        }
    };
    let cfg = loadtest::LoadConfig {
        host_exe,
        levels,
        tables,
        seed,
        max_seconds,
        think: std::time::Duration::from_millis(think_ms),
    };
    let report = match loadtest::run(&cfg) {
        Ok(r) => r,
        Err(e) => {
            tell(&e);
            return Ok(2);
        }
    };
    let text = if json {
        serde_json::to_string(&report).unwrap_or_default() + "\n"
    } else {
        loadtest::describe(&report)
    };
    say(&text)?;
    Ok(if !report.sound() {
        1
    } else if report.matches_finished < report.tables {
        3
    } else {
        0
    })
}
