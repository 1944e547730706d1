//! The line protocol of `detente agent`: one JSON object a line in, one a line out, each with a
//! `type`. No input stops it: a line it cannot use is answered with an `error` line and the next
//! line is read as if the bad one had not come. The messages are documented in docs/AI.md.

use super::{Additive, Bargainer, Moment, Response, Stance};
use serde_json::{Map, Value, json};

/// Most issues an `init` may declare.
pub const MAX_ISSUES: usize = 64;

/// One `detente agent` process: a character and the session under way, if any.
#[derive(Debug, Clone)]
pub struct Agent {
    stance: Stance,
    session: Option<Session>,
}

#[derive(Debug, Clone)]
struct Session {
    names: Vec<String>,
    values: Vec<Vec<Value>>,
    bargainer: Bargainer,
    deadline: Option<u32>,
}

/// A message that cannot be used, and why.
type Refusal = String;

impl Agent {
    /// An agent bargaining in `stance`; it waits for an `init`.
    pub fn new(stance: Stance) -> Self {
        Agent {
            stance,
            session: None,
        }
    }

    /// The answer to one input line, as one line of JSON (without the newline); `None` for a
    /// blank line.
    pub fn handle(&mut self, line: &str) -> Option<String> {
        let line = line.trim();
        if line.is_empty() {
            return None;
        }
        let msg: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => return Some(error(None, &format!("not a JSON object: {e}"))),
        };
        let id = msg.get("id").cloned();
        let Some(obj) = msg.as_object() else {
            return Some(error(id, "not a JSON object"));
        };
        let reply = match obj.get("type").and_then(Value::as_str) {
            Some("init") => self.init(obj),
            Some("propose") => self.propose(obj),
            Some("respond") => self.respond(obj),
            Some("end") => self.end(obj),
            Some(other) => Err(format!(
                "unknown type '{other}' (init, propose, respond, end)"
            )),
            None => Err("no \"type\" (init, propose, respond, end)".into()),
        };
        Some(match reply {
            Ok(mut v) => {
                if let (Some(id), Some(o)) = (id, v.as_object_mut()) {
                    o.insert("id".into(), id);
                }
                v.to_string()
            }
            Err(why) => error(id, &why),
        })
    }

    fn init(&mut self, m: &Map<String, Value>) -> Result<Value, Refusal> {
        let issues = m
            .get("issues")
            .and_then(Value::as_array)
            .ok_or("init needs \"issues\": a list of {name, values, weight, utilities}")?;
        if issues.is_empty() || issues.len() > MAX_ISSUES {
            return Err(format!("{} issues (1 to {MAX_ISSUES})", issues.len()));
        }
        let (mut names, mut values, mut weights, mut utils) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (i, issue) in issues.iter().enumerate() {
            let (name, vals, w, u) = parse_issue(i, issue)?;
            if names.contains(&name) {
                return Err(format!("issue '{name}' is declared twice"));
            }
            names.push(name);
            values.push(vals);
            weights.push(w);
            utils.push(u);
        }
        // No reservation (absent, null or "-inf"): any agreement beats none.
        let reservation = match m.get("reservation") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if matches!(s.as_str(), "-inf" | "-Infinity" | "none") => None,
            Some(v) => Some(
                v.as_f64()
                    .ok_or("\"reservation\" must be a number (or null for none)")?,
            ),
        };
        let deadline = match m.get("deadline") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .filter(|&d| d >= 1 && d <= u32::MAX as u64)
                    .ok_or("\"deadline\" must be a whole number of steps, at least 1")?
                    as u32,
            ),
        };
        let opens = match m.get("opens") {
            None | Some(Value::Null) => false,
            Some(v) => v.as_bool().ok_or("\"opens\" must be true or false")?,
        };
        let seed = match m.get("seed") {
            None | Some(Value::Null) => 0,
            Some(v) => v.as_u64().ok_or("\"seed\" must be a whole number")?,
        };
        let mut own = Additive::new(&weights, &utils, reservation.unwrap_or(0.0))?;
        if reservation.is_none() {
            own.reservation = own.worst().1;
        }
        let bargainer = Bargainer::new(own, self.stance, seed);
        let outcomes = bargainer.own.outcomes();
        let best = bargainer.own.best().1;
        self.session = Some(Session {
            names,
            values,
            bargainer,
            deadline,
        });
        Ok(json!({
            "type": "ready",
            "issues": issues.len(),
            "outcomes": outcomes,
            "best_utility": best,
            "opens": opens,
        }))
    }

    fn session(&mut self) -> Result<&mut Session, Refusal> {
        self.session
            .as_mut()
            .ok_or_else(|| "no session: send an init first".to_string())
    }

    fn propose(&mut self, m: &Map<String, Value>) -> Result<Value, Refusal> {
        let s = self.session()?;
        let now = s.moment(m)?;
        Ok(match s.bargainer.propose(now) {
            Some(o) => json!({
                "type": "offer",
                "offer": s.show(&o),
                "utility": s.bargainer.own.utility(&o),
            }),
            None => json!({"type": "end"}),
        })
    }

    fn respond(&mut self, m: &Map<String, Value>) -> Result<Value, Refusal> {
        let s = self.session()?;
        let now = s.moment(m)?;
        let offer = s.read(m.get("offer").ok_or("respond needs an \"offer\"")?)?;
        let u = s.bargainer.own.utility(&offer);
        let kind = match s.bargainer.respond(&offer, now) {
            Response::Accept => "accept",
            Response::Reject => "reject",
            Response::End => "end",
        };
        Ok(json!({"type": kind, "utility": u}))
    }

    fn end(&mut self, m: &Map<String, Value>) -> Result<Value, Refusal> {
        let s = self.session()?;
        let agreement = match m.get("agreement") {
            None | Some(Value::Null) => None,
            Some(v) => Some(s.read(v)?),
        };
        let utility = agreement
            .as_ref()
            .map_or(s.bargainer.own.reservation, |o| s.bargainer.own.utility(o));
        self.session = None;
        Ok(json!({
            "type": "ended",
            "agreement": agreement.is_some(),
            "utility": utility,
        }))
    }
}

impl Session {
    /// Time from `time` (0..1) if given, else from `step` over the deadline.
    fn moment(&self, m: &Map<String, Value>) -> Result<Moment, Refusal> {
        let step = match m.get("step") {
            None | Some(Value::Null) => None,
            Some(v) => Some(v.as_u64().ok_or("\"step\" must be a whole number from 0")?),
        };
        let time = match m.get("time") {
            None | Some(Value::Null) => None,
            Some(v) => Some(
                v.as_f64()
                    .filter(|t| (0.0..=1.0).contains(t))
                    .ok_or("\"time\" must be a number from 0 to 1")?,
            ),
        };
        let turns_left = match (step, self.deadline) {
            (Some(s), Some(d)) => Some((d as u64).saturating_sub(s) as u32),
            _ => None,
        };
        let t = match (time, step, self.deadline) {
            (Some(t), _, _) => t,
            (None, Some(s), Some(d)) => (s as f64 / d as f64).min(1.0),
            (None, Some(_), None) => {
                return Err("no deadline was given at init: send \"time\" (0 to 1)".into());
            }
            (None, None, _) => return Err("needs \"step\" (or \"time\", 0 to 1)".into()),
        };
        Ok(Moment { t, turns_left })
    }

    /// An offer as an object from issue name to value.
    fn show(&self, o: &[u16]) -> Value {
        let mut out = Map::new();
        for ((name, vals), &v) in self.names.iter().zip(&self.values).zip(o) {
            out.insert(name.clone(), vals[v as usize].clone());
        }
        Value::Object(out)
    }

    /// An offer given as an object from issue name to value, or as a list of values in issue
    /// order. A value matches as written, or by its text (`"3"` for `3`).
    fn read(&self, v: &Value) -> Result<Vec<u16>, Refusal> {
        let given: Vec<(usize, &Value)> = match v {
            Value::Object(o) => {
                if let Some(k) = o.keys().find(|k| !self.names.contains(k)) {
                    return Err(format!("the offer names an unknown issue '{k}'"));
                }
                let mut out = Vec::new();
                for (i, n) in self.names.iter().enumerate() {
                    out.push((
                        i,
                        o.get(n)
                            .ok_or(format!("the offer has no value for '{n}'"))?,
                    ));
                }
                out
            }
            Value::Array(a) => {
                if a.len() != self.names.len() {
                    return Err(format!(
                        "the offer has {} values for {} issues",
                        a.len(),
                        self.names.len()
                    ));
                }
                a.iter().enumerate().collect()
            }
            _ => return Err("an offer is an object (issue name to value) or a list".into()),
        };
        given
            .into_iter()
            .map(|(i, x)| {
                let vals = &self.values[i];
                vals.iter()
                    .position(|v| v == x)
                    .or_else(|| vals.iter().position(|v| text(v) == text(x)))
                    .map(|k| k as u16)
                    .ok_or(format!(
                        "'{}' is not a value of issue '{}'",
                        text(x),
                        self.names[i]
                    ))
            })
            .collect()
    }
}

/// A value's text: a string as it is, anything else as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One issue of an `init`: name, values, weight and value utilities.
fn parse_issue(i: usize, v: &Value) -> Result<(String, Vec<Value>, f64, Vec<f64>), Refusal> {
    let o = v.as_object().ok_or(format!(
        "issue {i} is not an object {{name, values, weight, utilities}}"
    ))?;
    let name = match o.get("name") {
        Some(Value::String(s)) => s.clone(),
        None => i.to_string(),
        Some(_) => return Err(format!("issue {i}: \"name\" must be a string")),
    };
    let values = o
        .get("values")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty() && a.len() <= super::MAX_VALUES)
        .ok_or(format!(
            "issue '{name}' needs \"values\": a list of 1 or more values"
        ))?
        .clone();
    if values.iter().any(|v| v.is_object() || v.is_array()) {
        return Err(format!(
            "issue '{name}': a value is a string, number or boolean"
        ));
    }
    for (k, x) in values.iter().enumerate() {
        if values[..k].iter().any(|y| text(y) == text(x)) {
            return Err(format!("issue '{name}' lists '{}' twice", text(x)));
        }
    }
    let weight = match o.get("weight") {
        None | Some(Value::Null) => 1.0,
        Some(w) => w
            .as_f64()
            .ok_or(format!("issue '{name}': \"weight\" must be a number"))?,
    };
    let utils = match o.get("utilities") {
        Some(Value::Array(a)) if a.len() == values.len() => a
            .iter()
            .map(|x| x.as_f64())
            .collect::<Option<Vec<f64>>>()
            .ok_or(format!("issue '{name}': every utility must be a number"))?,
        Some(Value::Array(a)) => {
            return Err(format!(
                "issue '{name}' has {} utilities for {} values",
                a.len(),
                values.len()
            ));
        }
        Some(Value::Object(u)) => values
            .iter()
            .map(|v| {
                u.get(&text(v)).and_then(Value::as_f64).ok_or(format!(
                    "issue '{name}': no utility for value '{}'",
                    text(v)
                ))
            })
            .collect::<Result<Vec<f64>, Refusal>>()?,
        _ => {
            return Err(format!(
                "issue '{name}' needs \"utilities\": a list (one per value) or an object (value to utility)"
            ));
        }
    };
    Ok((name, values, weight, utils))
}

fn error(id: Option<Value>, message: &str) -> String {
    let mut v = json!({"type": "error", "message": message});
    if let (Some(id), Some(o)) = (id, v.as_object_mut()) {
        o.insert("id".into(), id);
    }
    v.to_string()
}
