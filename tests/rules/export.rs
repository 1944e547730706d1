//! Keeping the record of a class: two tables played to the end by scripted students against a
//! real host, then `detente sessions` and `detente export` on its archive. Every figure is held
//! against the match the host itself handed the students at the end, replayed here.

use crate::net::{Client, a_move, code, config, db, start};
use detente::net::protocol::ServerMsg;
use detente::report::class::ending_key;
use detente::report::{Report, export_html};
use detente::sim::{Action, Ending, Event, Match, MatchRecord, Need, Side, SideView, Stage};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

/// The hotline student, except that at every implementation it quietly breaks all it promised.
fn breaker(c: &Client) -> Option<Action> {
    let v = c.view.as_ref()?;
    if v.needs.first() == Some(&Need::Implement) {
        let breaks = v
            .commitments
            .iter()
            .filter(|k| k.by == v.side)
            .map(|k| k.id)
            .collect();
        return Some(Action::Implement {
            side: v.side,
            breaks,
        });
    }
    a_move(c)
}

/// Play until the match ends; the record the host sends at the end.
async fn play_to_end(
    a: &mut Client,
    b: &mut Client,
    pick: fn(&Client) -> Option<Action>,
) -> MatchRecord {
    play_until(a, b, pick, |v| v.stage == Stage::Ended).await;
    a.until(|m| match m {
        ServerMsg::Ended { record, .. } => Some(record.clone()),
        _ => None,
    })
    .await
}

/// Play until `done` holds for A's view.
async fn play_until(
    a: &mut Client,
    b: &mut Client,
    pick: fn(&Client) -> Option<Action>,
    done: fn(&SideView) -> bool,
) {
    for _ in 0..600 {
        if done(a.view.as_ref().unwrap()) {
            return;
        }
        let (mover, other) = if pick(a).is_some() {
            (&mut *a, &mut *b)
        } else {
            (&mut *b, &mut *a)
        };
        let action = pick(mover).expect("someone has a move to make");
        mover.act(action).await;
        mover.view_update().await;
        other.view_update().await;
    }
    panic!("not done after 600 moves");
}

fn detente(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(args)
        .output()
        .expect("detente runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Rows of an RFC 4180 file, quoted fields unquoted.
fn csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    rows
}

/// The number a summary page tags with `attr='key'`.
fn tagged(page: &str, attr: &str, key: &str) -> u32 {
    let at = page
        .find(&format!("{attr}='{key}'"))
        .unwrap_or_else(|| panic!("no {attr}='{key}' in the summary"));
    let rest = &page[at..];
    let digits: String = rest[rest.find('>').unwrap()..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap()
}

fn fresh_dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("export-{name}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[tokio::test]
async fn a_class_played_to_the_end_is_exported_table_by_table() {
    let dir = fresh_dir("class");
    // Each table on its own copy of the tutorial, so one can be edited without the other.
    let files: Vec<PathBuf> = ["first.ron", "second.ron"]
        .iter()
        .map(|n| {
            let p = dir.join(n);
            std::fs::copy("levels/tutorial.ron", &p).unwrap();
            p
        })
        .collect();
    let archive = db("export");
    // Tables 1 and 3 on the first file, table 2 on the second.
    let mut cfg = config(archive.clone(), 3);
    cfg.levels = files.clone();
    let h = start(cfg).await;
    let codes: Vec<(u32, Side, String)> = [1, 2, 3]
        .into_iter()
        .flat_map(|t| Side::BOTH.map(|s| (t, s, code(&h, t, s))))
        .collect();
    let mut records = Vec::new();
    for (table, pick) in [
        (1, a_move as fn(&Client) -> Option<Action>),
        (2, breaker as fn(&Client) -> Option<Action>),
    ] {
        let mut a = Client::join(&h, table, Side::A).await;
        let mut b = Client::join(&h, table, Side::B).await;
        records.push(play_to_end(&mut a, &mut b, pick).await);
    }
    // Table 3 stops after its first round: still running.
    let mut a = Client::join(&h, 3, Side::A).await;
    let mut b = Client::join(&h, 3, Side::B).await;
    play_until(&mut a, &mut b, a_move, |v| v.round > 1).await;
    h.stop().await;

    let level = Arc::new(detente::level::load(&files[0]).unwrap());
    let matches: Vec<Match> = records
        .iter()
        .map(|r| Match::replay(level.clone(), r).expect("the host's record replays"))
        .collect();
    assert!(matches.iter().all(Match::is_over));
    assert!(
        !matches[1].breaches.is_empty(),
        "the breaker's table has breaches to report"
    );
    let count = |f: fn(&Ending) -> bool| matches.iter().filter(|m| f(&m.ending.unwrap())).count();
    let endings = [
        ("normalization", count(|e| *e == Ending::Normalization)),
        ("clash", count(|e| *e == Ending::Clash)),
        ("round_limit", count(|e| *e == Ending::RoundLimit)),
        ("ousted", count(|e| matches!(e, Ending::Ousted(_)))),
        ("running", 1),
        ("unreadable", 0),
    ];
    let caught: usize = matches
        .iter()
        .map(|m| m.breaches.iter().filter(|b| b.caught).count())
        .sum();
    let hidden: usize = matches.iter().map(|m| m.breaches.len()).sum::<usize>() - caught;

    // The session is listed with its three tables, ended (or not) as they did.
    let out = detente(&["sessions", "--db", s(&archive), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(listed.len(), 1);
    let session = &listed[0];
    assert_eq!(session["tables"], 3);
    assert_eq!(session["levels"], serde_json::json!(["tutorial"]));
    let tally_key = |k: &'static str| match k {
        "normalization" => "normalised",
        "clash" => "clashed",
        other => other,
    };
    for (key, n) in endings {
        assert_eq!(session["tally"][tally_key(key)], n, "{key}");
    }

    // The export: a debrief and a transcript per table, the results and the summary.
    let out_dir = dir.join("out");
    let out = detente(&["export", "--db", s(&archive), "--out", s(&out_dir)]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    for (k, m) in matches.iter().enumerate() {
        let html = out_dir.join(format!("table-0{}-debrief.html", k + 1));
        let transcript = out_dir.join(format!("table-0{}-transcript.txt", k + 1));
        assert!(printed.contains(s(&html)) && printed.contains(s(&transcript)));
        // Students in both seats: the page is the debrief of the match the host ended.
        assert_eq!(
            std::fs::read_to_string(&html).unwrap(),
            export_html(m, None)
        );
        // Every line of the debrief's timeline, in order, hidden breaches included.
        let t = std::fs::read_to_string(&transcript).unwrap();
        let mut at = 0;
        for line in Report::new(m, None).timeline {
            let found = t[at..].find(&line.text).unwrap_or_else(|| {
                panic!("table {}: {:?} missing or out of order", k + 1, line.text)
            });
            at += found + line.text.len();
        }
    }
    // The unfinished table has its debrief and transcript too.
    assert!(out_dir.join("table-03-debrief.html").exists());
    assert!(out_dir.join("table-03-transcript.txt").exists());
    for name in ["results.csv", "class-summary.html"] {
        assert!(
            printed.contains(s(&out_dir.join(name))),
            "{name} not reported"
        );
    }
    let no_temp_left = std::fs::read_dir(&out_dir)
        .unwrap()
        .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp"));
    assert!(no_temp_left);

    // One row per student seat, each with the replayed match's own figures.
    let rows = csv(&std::fs::read_to_string(out_dir.join("results.csv")).unwrap());
    let head = &rows[0];
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len() - 1, codes.len());
    for (row, (table, side, code)) in rows[1..].iter().zip(&codes) {
        assert_eq!(row[col("table")], table.to_string());
        assert_eq!(row[col("side")], format!("{side:?}"));
        assert_eq!(&row[col("code")], code);
        let Some(m) = matches.get(*table as usize - 1) else {
            assert_eq!(row[col("ending")], "running");
            assert_eq!(row[col("rounds")], "1");
            continue;
        };
        let i = side.idx();
        assert_eq!(row[col("state")], m.scenario.side(*side).name);
        assert_eq!(row[col("level")], "tutorial");
        assert_eq!(row[col("ending")], ending_key(m.ending));
        assert_eq!(row[col("rounds")], m.history.len().to_string());
        let score: f32 = row[col("score")].parse().unwrap();
        assert!((score - m.scores().utility[i]).abs() < 6e-4, "{score}");
        let no_deal: f32 = row[col("no_deal_score")].parse().unwrap();
        assert!((no_deal - m.frontier_played().disagreement[i]).abs() < 6e-4);
        let ratios: Vec<f32> = m
            .deal_reports()
            .iter()
            .filter_map(|d| d.nash_ratio)
            .collect();
        match ratios.len() {
            0 => assert_eq!(row[col("nash_ratio")], ""),
            n => {
                let got: f32 = row[col("nash_ratio")].parse().unwrap();
                let mean = ratios.iter().sum::<f32>() / n as f32;
                assert!((got - mean).abs() < 6e-4, "{got} against {mean}");
            }
        }
        let own = |caught: bool| {
            m.breaches
                .iter()
                .filter(|b| b.side == *side && b.caught == caught)
                .count()
                .to_string()
        };
        assert_eq!(row[col("breaches_caught")], own(true));
        assert_eq!(row[col("breaches_hidden")], own(false));
        assert_eq!(row[col("computer_took_over")], "no");
        assert_eq!(row[col("note")], "");
    }
    // Seasons kept honestly, as the rules count them on each commitment still on the books
    // (the breaker's table: none, though every unseen breach looked kept at the time).
    for (k, m) in matches.iter().enumerate() {
        let lapsed = m
            .log
            .iter()
            .any(|l| matches!(l.event, Event::CommitmentEnded { .. }));
        for side in Side::BOTH {
            let row = rows[1..]
                .iter()
                .find(|r| {
                    r[col("table")] == (k + 1).to_string() && r[col("side")] == format!("{side:?}")
                })
                .unwrap();
            let kept: u32 = row[col("commitments_kept")].parse().unwrap();
            let on_books: u32 = m
                .commitments
                .iter()
                .filter(|c| c.by == side)
                .map(|c| c.kept)
                .sum();
            if !lapsed {
                assert_eq!(kept, on_books, "table {} {side:?}", k + 1);
            }
            if k == 1 {
                assert_eq!(kept, 0, "the breaker kept nothing");
            }
        }
    }

    // The summary counts the endings and breaches as the matches had them.
    let summary = std::fs::read_to_string(out_dir.join("class-summary.html")).unwrap();
    for (key, n) in endings {
        assert_eq!(tagged(&summary, "data-ending", key) as usize, n, "{key}");
    }
    assert_eq!(tagged(&summary, "data-count", "caught") as usize, caught);
    assert_eq!(tagged(&summary, "data-count", "hidden") as usize, hidden);

    // Table 2's level is edited: it is refused by the file's name, table 1 still exported.
    let edited =
        std::fs::read_to_string(&files[1])
            .unwrap()
            .replacen("rounds: 6,", "rounds: 7,", 1);
    std::fs::write(&files[1], edited).unwrap();
    for (case, out_dir) in [
        ("edited", dir.join("edited")),
        ("missing", dir.join("missing")),
    ] {
        if case == "missing" {
            std::fs::remove_file(&files[1]).unwrap();
        }
        let out = detente(&["export", "--db", s(&archive), "--out", s(&out_dir)]);
        assert_eq!(out.status.code(), Some(3), "{case}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains(s(&files[1])),
            "{case}: the file is named: {}",
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).contains(s(&files[0])), "{case}");
        assert_eq!(
            std::fs::read_to_string(out_dir.join("table-01-debrief.html")).unwrap(),
            export_html(&matches[0], None),
            "{case}"
        );
        assert!(!out_dir.join("table-02-debrief.html").exists(), "{case}");
        assert!(out_dir.join("table-03-debrief.html").exists(), "{case}");
        assert!(!out_dir.join("table-02-transcript.txt").exists(), "{case}");
        let rows = csv(&std::fs::read_to_string(out_dir.join("results.csv")).unwrap());
        assert_eq!(
            rows.len() - 1,
            codes.len(),
            "{case}: every student still listed"
        );
        for r in &rows[1..] {
            let refused = r[col("table")] == "2";
            assert_eq!(r[col("score")].is_empty(), refused, "{case}");
            assert_eq!(r[col("note")].contains(s(&files[1])), refused, "{case}");
        }
        let summary = std::fs::read_to_string(out_dir.join("class-summary.html")).unwrap();
        assert_eq!(tagged(&summary, "data-ending", "unreadable"), 1, "{case}");
    }
    let out = detente(&["sessions", "--db", s(&archive), "--json"]);
    let listed: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(listed["tally"]["unreadable"], 1);
    assert_eq!(listed["tables"], 3);

    // No archive, no session: said, not created.
    let nowhere = dir.join("nowhere.sqlite");
    let out = detente(&["export", "--db", s(&nowhere), "--out", s(&dir.join("x"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!nowhere.exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_student_who_played_the_computer_is_graded_alone_and_told_what_it_believed() {
    let archive = db("export-computer");
    let mut cfg = config(archive.clone(), 1);
    cfg.vs_computer = true;
    let h = start(cfg).await;
    let code = code(&h, 1, Side::A);
    let mut a = Client::join(&h, 1, Side::A).await;
    for _ in 0..300 {
        if a.view.as_ref().unwrap().stage == Stage::Ended {
            break;
        }
        let m = a_move(&a).expect("the computer never keeps the student waiting");
        a.act(m).await;
        a.view_update().await;
    }
    let record = a
        .until(|m| match m {
            ServerMsg::Ended { record, .. } => Some(record.clone()),
            _ => None,
        })
        .await;
    h.stop().await;

    let db = detente::net::archive::Archive::open_existing(&archive).unwrap();
    let class = detente::net::export::read_class(&db, None).unwrap();
    assert_eq!(class.tables.len(), 1);
    let t = &class.tables[0];
    assert_eq!(t.codes, [Some(code.clone()), None]);
    let p = t.played.as_ref().expect("the tutorial is where it was");
    let m = Match::replay(
        detente::level::load(Path::new("levels/tutorial.ron"))
            .unwrap()
            .into(),
        &record,
    )
    .unwrap();
    assert_eq!(p.report.scores, m.scores());
    let beliefs = p.report.beliefs.as_ref().expect("the computer's beliefs");
    assert_eq!(beliefs.about, Side::A);
    assert_eq!(beliefs.truth, m.scenario.weights()[0]);

    let out = fresh_dir("computer");
    let written = detente::net::export::write_class(&class, &out).unwrap();
    assert!(written.refused.is_empty());
    let rows = csv(&std::fs::read_to_string(out.join("results.csv")).unwrap());
    assert_eq!(rows.len(), 2, "a header and the one student");
    let at = rows[0].iter().position(|h| h == "code").unwrap();
    assert_eq!(rows[1][at], code);
    let page = std::fs::read_to_string(out.join("table-01-debrief.html")).unwrap();
    assert_eq!(page, p.report.html());
    assert_ne!(page, export_html(&m, None), "the page shows the beliefs");
    let _ = std::fs::remove_dir_all(&out);
}
