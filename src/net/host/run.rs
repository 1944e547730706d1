//! `detente host` from the command line: serve until Ctrl-C, and print the codes.

use super::*;

/// `detente host`: serve a class on `addr` until Ctrl-C. With `announce_json`, standard output
/// gets one JSON line instead of the text for people (for a program that starts the host, such
/// as `detente loadtest`). Returns the exit code.
pub fn run(cfg: HostConfig, addr: SocketAddr, announce_json: bool) -> i32 {
    run_then(cfg, addr, announce_json, None)
}

/// [`run`], telling `ready` where the host listens and its instructor code once it serves (the
/// console window that `detente host` opens connects with them).
pub fn run_then(
    cfg: HostConfig,
    addr: SocketAddr,
    announce_json: bool,
    ready: Option<std::sync::mpsc::Sender<(SocketAddr, String)>>,
) -> i32 {
    // One thread: every move goes through the one lock on the class anyway, and a move's
    // work (microseconds) is less than handing it between threads, which a pool of workers
    // did several times a move, waking and parking threads.
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            say(&format!("cannot start: {e}"));
            return 1;
        }
    };
    rt.block_on(async move {
        let db = cfg.db.clone();
        let host = match start(cfg, addr).await {
            Ok(h) => h,
            Err(e) => {
                say(&e.to_string());
                return 1;
            }
        };
        if announce_json {
            println!("{}", announcement(&host, &db));
        } else {
            print_codes(&host, &db);
        }
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if let Some(tx) = ready {
            let _ = tx.send((host.addr, host.instructor.clone()));
        }
        ended().await;
        host.stop().await;
        0
    })
}

/// The `--announce-json` line: where the host listens, its process, archive and codes.
fn announcement(host: &Host, db: &Path) -> serde_json::Value {
    serde_json::json!({
        "addr": host.addr.to_string(),
        "port": host.addr.port(),
        "pid": std::process::id(),
        "resumed": host.resumed,
        "archive": db.display().to_string(),
        "instructor": host.instructor,
        "seats": host.codes.iter().map(|c| serde_json::json!({
            "table": c.table,
            "side": c.side,
            "code": c.code,
            "claimed": c.claimed,
        })).collect::<Vec<_>>(),
    })
}

fn print_codes(host: &Host, db: &Path) {
    let port = host.addr.port();
    let address = match lan_address() {
        Some(ip) if host.addr.ip().is_unspecified() => format!("{ip}:{port}"),
        _ if !host.addr.ip().is_unspecified() => host.addr.to_string(),
        _ => format!("<this computer's address>:{port}"),
    };
    println!(
        "Détente class {} on port {port}. Students press \"Join a class\" and type {address} with their seat code (or run `detente join {address} CODE`).",
        if host.resumed { "resumed" } else { "started" },
    );
    println!("Archive: {}", db.display());
    println!(
        "Instructor code (keep it to yourself: it opens the class console, which steers every table): {}",
        host.instructor
    );
    println!(
        "The class console: `detente console {address} {}`, or \"Join a class\" with the instructor code.",
        host.instructor
    );
    for c in &host.codes {
        println!(
            "  table {:>2} seat {:?}: {}{}",
            c.table,
            c.side,
            c.code,
            if c.claimed { " (taken)" } else { "" }
        );
    }
    println!("Ctrl-C ends the session; `detente host --resume` takes it up again.");
}

/// This computer's address on the network its default route leads to, as students would type
/// it. Nothing is sent: connecting a UDP socket only picks the route. `None` offline.
fn lan_address() -> Option<std::net::IpAddr> {
    let probe = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    // A documentation address (RFC 5737): never answered, only routed.
    probe.connect("192.0.2.1:9").ok()?;
    let ip = probe.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// Ctrl-C, or (on Unix) the polite stop a service manager sends.
async fn ended() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
