//! `detente agent` run as a program: a whole session of the line protocol, with bad lines on
//! the way answered by errors and the session going on after them.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

struct Agent {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
}

impl Agent {
    fn start(args: &[&str]) -> Agent {
        let mut child = Command::new(env!("CARGO_BIN_EXE_detente"))
            .arg("agent")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("detente runs");
        let input = child.stdin.take().expect("stdin");
        let output = BufReader::new(child.stdout.take().expect("stdout"));
        Agent {
            child,
            input,
            output,
        }
    }

    /// Send one line and read the one line that answers it.
    fn send(&mut self, line: &str) -> Value {
        writeln!(self.input, "{line}").expect("the agent reads");
        self.input.flush().expect("flush");
        let mut reply = String::new();
        self.output
            .read_line(&mut reply)
            .expect("the agent answers");
        assert!(reply.ends_with('\n'), "one whole line: {reply:?}");
        serde_json::from_str(&reply).unwrap_or_else(|e| panic!("{e}: {reply}"))
    }

    /// Close the input and wait for the agent to stop.
    fn finish(self) -> std::process::Output {
        drop(self.input);
        let mut out = self.child.wait_with_output().expect("the agent stops");
        let mut rest = String::new();
        let mut output = self.output;
        output.read_line(&mut rest).expect("read");
        out.stdout = rest.into_bytes();
        out
    }
}

/// Price (low is good for the agent) and delivery; the other side wants the opposite price.
fn init(deadline: u32, reservation: f64) -> String {
    json!({
        "type": "init",
        "id": 1,
        "issues": [
            {"name": "price", "values": [10, 20, 30, 40], "weight": 0.7,
             "utilities": [1.0, 0.7, 0.3, 0.0]},
            {"name": "delivery", "values": ["fast", "slow"], "weight": 0.3,
             "utilities": {"fast": 1.0, "slow": 0.0}},
        ],
        "reservation": reservation,
        "deadline": deadline,
        "opens": false,
    })
    .to_string()
}

/// The agent's utility of an offer, by the weights above.
fn utility(offer: &Value) -> f64 {
    let price = [10, 20, 30, 40]
        .iter()
        .position(|p| offer["price"] == json!(p))
        .expect("a price");
    let fast = offer["delivery"] == json!("fast");
    0.7 * [1.0, 0.7, 0.3, 0.0][price] + 0.3 * if fast { 1.0 } else { 0.0 }
}

#[test]
fn a_whole_session_through_the_binary_ends_in_a_deal_above_the_reservation() {
    let deadline = 20;
    let mut agent = Agent::start(&[]);
    let ready = agent.send(&init(deadline, 0.25));
    assert_eq!(ready["type"], "ready", "{ready}");
    assert_eq!(ready["id"], 1);
    assert_eq!(ready["outcomes"], 8);
    // The other side opens at the highest price and comes down one step every other turn.
    let mut agreement = None;
    let mut asked = Vec::new();
    for step in (0..deadline).step_by(2) {
        let price = [40, 30, 20, 10][(step as usize / 6).min(3)];
        let offer = json!({"price": price, "delivery": "slow"});
        let r = agent.send(&json!({"type": "respond", "offer": offer, "step": step}).to_string());
        match r["type"].as_str() {
            Some("accept") => {
                assert!(utility(&offer) >= 0.25);
                agreement = Some(offer);
                break;
            }
            Some("reject") => {}
            other => panic!("{other:?}: {r}"),
        }
        let p = agent.send(&json!({"type": "propose", "step": step + 1}).to_string());
        assert_eq!(p["type"], "offer", "{p}");
        let u = utility(&p["offer"]);
        assert!((p["utility"].as_f64().expect("a number") - u).abs() < 1e-9);
        assert!(u >= 0.25, "offered below its reservation: {p}");
        asked.push(u);
        // Accept the agent's offer once it asks for a price of 30 or less.
        if p["offer"]["price"].as_i64().expect("a price") <= 30 {
            agreement = Some(p["offer"].clone());
            break;
        }
    }
    let deal = agreement.expect("a deal before the deadline");
    assert!(asked.windows(2).all(|w| w[1] <= w[0] + 1e-9), "{asked:?}");
    let end = agent.send(&json!({"type": "end", "agreement": deal}).to_string());
    assert_eq!(end["type"], "ended");
    assert_eq!(end["agreement"], true);
    assert!((end["utility"].as_f64().expect("a number") - utility(&deal)).abs() < 1e-9);
    let out = agent.finish();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "nothing after the last answer");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn bad_lines_get_an_error_line_and_the_session_goes_on() {
    let mut agent = Agent::start(&["--personality", "hawk", "--difficulty", "normal"]);
    let before = agent.send(&json!({"type": "propose", "step": 0}).to_string());
    assert_eq!(before["type"], "error", "propose before init: {before}");
    assert_eq!(agent.send(&init(10, 0.0))["type"], "ready");
    let bad = [
        "not json at all".to_string(),
        "[1, 2, 3]".to_string(),
        json!({"no": "type"}).to_string(),
        json!({"type": "haggle"}).to_string(),
        json!({"type": "propose"}).to_string(),
        json!({"type": "propose", "step": -1}).to_string(),
        json!({"type": "respond", "step": 1}).to_string(),
        json!({"type": "respond", "step": 1, "offer": {"price": 10}}).to_string(),
        json!({"type": "respond", "step": 1, "offer": {"price": 15, "delivery": "fast"}}).to_string(),
        json!({"type": "respond", "step": 1, "offer": {"price": 10, "delivery": "fast", "colour": "red"}}).to_string(),
        json!({"type": "respond", "step": 1, "offer": [10]}).to_string(),
        json!({"type": "init", "issues": []}).to_string(),
        json!({"type": "init", "issues": [{"name": "x", "values": [1, 2], "utilities": [1]}]}).to_string(),
        json!({"type": "init", "issues": [{"name": "x", "values": [1, 1], "utilities": [1, 0]}]}).to_string(),
        json!({"type": "propose", "step": 0, "time": 1.5}).to_string(),
        "{\"type\": \"respond\", \"step\": 1e400}".to_string(),
    ];
    for line in &bad {
        let r = agent.send(line);
        assert_eq!(r["type"], "error", "{line} -> {r}");
        assert!(r["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // The session from before the bad lines is still there, and an offer may be a list.
    let r = agent.send(
        &json!({"type": "respond", "step": 9, "offer": ["10", "fast"], "id": "x"}).to_string(),
    );
    assert_eq!(r["type"], "accept", "the best offer on the last turn: {r}");
    assert_eq!(r["id"], "x");
    let end = agent.send(&json!({"type": "end", "agreement": null}).to_string());
    assert_eq!(end["agreement"], false);
    assert_eq!(end["utility"], 0.0);
    let out = agent.finish();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn it_walks_away_only_when_no_agreement_beats_the_reservation() {
    let mut agent = Agent::start(&[]);
    assert_eq!(agent.send(&init(10, 1.5))["type"], "ready");
    let p = agent.send(&json!({"type": "propose", "step": 0}).to_string());
    assert_eq!(p["type"], "end", "{p}");
    assert_eq!(agent.send(&init(10, 0.9))["type"], "ready");
    let p = agent.send(&json!({"type": "propose", "time": 0.0}).to_string());
    assert_eq!(p["type"], "offer", "{p}");
    let r = agent.send(
        &json!({"type": "respond", "step": 9, "offer": {"price": 40, "delivery": "fast"}})
            .to_string(),
    );
    assert_eq!(
        r["type"], "reject",
        "below the reservation even at the end: {r}"
    );
    agent.finish();
}

#[test]
fn an_unknown_personality_is_refused_with_an_exit_code() {
    let out = Command::new(env!("CARGO_BIN_EXE_detente"))
        .args(["agent", "--personality", "shark"])
        .stdin(Stdio::null())
        .output()
        .expect("detente runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn without_a_deadline_it_runs_on_the_share_of_time_given() {
    let mut agent = Agent::start(&[]);
    let mut init: Value = serde_json::from_str(&init(1, 0.2)).expect("json");
    init.as_object_mut().expect("object").remove("deadline");
    assert_eq!(agent.send(&init.to_string())["type"], "ready");
    let r = agent.send(&json!({"type": "propose", "step": 3}).to_string());
    assert_eq!(
        r["type"], "error",
        "a step means nothing without a deadline: {r}"
    );
    // Its moves come at a steady pace, so it can tell when the time is nearly up.
    let worst = json!({"price": 40, "delivery": "fast"});
    let mut accepted_at = None;
    for k in 0..100 {
        let t = k as f64 / 100.0;
        let r = agent.send(&json!({"type": "respond", "offer": worst, "time": t}).to_string());
        if r["type"] == "accept" {
            accepted_at = Some(t);
            break;
        }
        let p = agent.send(&json!({"type": "propose", "time": t + 0.005}).to_string());
        assert_eq!(p["type"], "offer", "{p}");
    }
    let t = accepted_at.expect("it takes an offer above its reservation before the time is up");
    assert!(t >= 0.9, "only at the very end: {t}");
    agent.finish();
}
