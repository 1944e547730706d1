//! One connection: its seat or role, its rate limit, and the answer to each of its frames.

use super::*;

/// Seat a connection holds, the last seq it sent, and where others reach it.
pub(super) struct Conn {
    pub(super) id: u64,
    pub(super) seat: Option<(usize, Side)>,
    /// Whether the connection joined with the instructor's code.
    pub(super) instructor: bool,
    /// The level hash of the seat's table, once seated.
    pub(super) level: String,
    pub(super) last_seq: u64,
    pub(super) out_seq: u64,
    pub(super) tx: mpsc::UnboundedSender<Out>,
}

/// A token bucket: `burst` at once, `per_second` after.
pub(super) struct Bucket {
    tokens: f64,
    last: Instant,
    burst: f64,
    rate: f64,
}

impl Bucket {
    fn new(l: &Limits) -> Bucket {
        Bucket {
            tokens: f64::from(l.burst),
            last: Instant::now(),
            burst: f64::from(l.burst),
            rate: l.per_second,
        }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens =
            (self.tokens + now.duration_since(self.last).as_secs_f64() * self.rate).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

pub(super) fn refused(to: u64, reason: Reason) -> ServerMsg {
    ServerMsg::Refused { to, reason }
}

/// Answer one text frame.
pub(super) fn on_text(sh: &Shared, conn: &mut Conn, text: &str) -> Vec<ServerMsg> {
    let env = match parse_client(text) {
        Ok(e) => e,
        Err((to, r)) => return vec![refused(to, r)],
    };
    if env.seq <= conn.last_seq {
        return vec![refused(
            env.seq,
            Reason::BadSeq {
                last: conn.last_seq,
            },
        )];
    }
    conn.last_seq = env.seq;
    if conn.seat.is_some() && env.level != conn.level {
        return vec![refused(env.seq, Reason::WrongLevel)];
    }
    let Ok(mut class) = sh.class.lock() else {
        return vec![refused(env.seq, Reason::Archive)];
    };
    let seq = env.seq;
    match env.body {
        ClientMsg::Ping => vec![ServerMsg::Pong],
        ClientMsg::Join { .. } | ClientMsg::Resume { .. }
            if conn.seat.is_some() || conn.instructor =>
        {
            vec![refused(seq, Reason::AlreadySeated)]
        }
        ClientMsg::Join { code } if same_secret(&normal_code(&code), &class.instructor) => {
            conn.instructor = true;
            class.watchers.push((conn.id, conn.tx.clone()));
            say(&format!("connection {}: instructor", conn.id));
            vec![class.status()]
        }
        ClientMsg::Join { code } => {
            let Some(&(k, side)) = class.by_code.get(&normal_code(&code)) else {
                return vec![refused(seq, Reason::UnknownCode)];
            };
            let slot = &class.tables[k];
            if slot.seats[side.idx()].claimed {
                return vec![refused(seq, Reason::SeatTaken)];
            }
            if !slot.table.is_person(side) {
                return vec![refused(seq, Reason::HeldByCounterpart)];
            }
            if let Err(e) = class.db.claim(slot.id, side) {
                say(&format!("cannot archive a join ({e})"));
                return vec![refused(seq, Reason::Archive)];
            }
            class.tables[k].seats[side.idx()].claimed = true;
            say(&format!("table {} seat {side:?} joined", k + 1));
            let out = class.bind(k, side, conn);
            class.notify();
            out
        }
        ClientMsg::Resume { token } => {
            let Some(&(k, side)) = class.by_token.get(token.trim()) else {
                return vec![refused(seq, Reason::UnknownToken)];
            };
            say(&format!("table {} seat {side:?} resumed", k + 1));
            let out = class.bind(k, side, conn);
            class.notify();
            out
        }
        ClientMsg::Act { table, action } => match class.act(conn, seq, table, action) {
            // The view comes through the seat's channel, with the other seat's.
            Ok(()) => {
                if let Some((k, _)) = conn.seat {
                    class.touched(k);
                }
                class.notify();
                Vec::new()
            }
            Err(r) => vec![refused(seq, r)],
        },
        ref m if m.instructors_only() && !conn.instructor => {
            vec![refused(seq, Reason::NotInstructor)]
        }
        ClientMsg::Steer { table, steer } => match class.steer(table, steer) {
            Ok(done) => {
                class.notify();
                vec![done]
            }
            Err(r) => vec![refused(seq, r)],
        },
        ClientMsg::Watch { table } => match class.follow(conn.id, &conn.tx, table) {
            Ok(out) => out,
            Err(r) => vec![refused(seq, r)],
        },
        ClientMsg::Summary => vec![class.summary()],
        ClientMsg::Export => match class.export() {
            Ok(done) => vec![done],
            Err(r) => vec![refused(seq, r)],
        },
        ClientMsg::Broadcast { text } => {
            let text = text.trim();
            if text.is_empty()
                || text.chars().count() > MAX_BROADCAST
                || text.chars().any(char::is_control)
            {
                return vec![refused(seq, Reason::BadBroadcast)];
            }
            // Kept before it is sent, like every instructor action.
            if let Err(e) = class.db.notice(class.session, text) {
                say(&format!("cannot archive a broadcast ({e})"));
                return vec![refused(seq, Reason::Archive)];
            }
            say(&format!("instructor to every screen: {text}"));
            let msg = ServerMsg::Notice { text: text.into() };
            for slot in &class.tables {
                for side in Side::BOTH {
                    slot.tell(side, vec![msg.clone()]);
                }
            }
            for (_, tx) in &class.watchers {
                let _ = tx.send(Out::Msg(msg.clone()));
            }
            Vec::new()
        }
        ClientMsg::TakeOver { table, side } => match class.take_over(table, side) {
            // Every instructor's connection, this one too, hears of it.
            Ok(()) => {
                if let Ok(k) = class.index(table) {
                    class.touched(k);
                }
                class.notify();
                Vec::new()
            }
            Err(r) => vec![refused(seq, r)],
        },
    }
}

pub(super) async fn send(ws: &mut WebSocket, conn: &mut Conn, msg: ServerMsg) -> Result<(), ()> {
    conn.out_seq += 1;
    let env = Envelope::new(conn.level.clone(), conn.out_seq, msg);
    let text = serde_json::to_string(&env).map_err(|_| ())?;
    ws.send(Message::Text(text.into())).await.map_err(|_| ())
}

pub(super) fn who(conn: &Conn) -> String {
    match conn.seat {
        Some((k, s)) => format!("connection {} (table {} seat {s:?})", conn.id, k + 1),
        None if conn.instructor => format!("connection {} (instructor)", conn.id),
        None => format!("connection {}", conn.id),
    }
}

pub(super) async fn serve_socket(mut ws: WebSocket, sh: Arc<Shared>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut conn = Conn {
        id: sh.next_conn.fetch_add(1, Ordering::Relaxed),
        seat: None,
        instructor: false,
        level: String::new(),
        last_seq: 0,
        out_seq: 0,
        tx,
    };
    let mut bucket = Bucket::new(&sh.limits);
    let mut stop = sh.stop.clone();
    let idle = tokio::time::sleep(sh.limits.idle);
    tokio::pin!(idle);
    'conn: loop {
        let replies = tokio::select! {
            incoming = ws.recv() => {
                let Some(Ok(msg)) = incoming else { break };
                idle.as_mut().reset(tokio::time::Instant::now() + sh.limits.idle);
                let text = match msg {
                    Message::Text(t) => Some(t),
                    Message::Binary(_) => None,
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => continue,
                };
                if !bucket.take() {
                    vec![refused(0, Reason::RateLimited)]
                } else {
                    match text {
                        Some(t) if t.len() > MAX_FRAME => vec![refused(0, Reason::TooLarge)],
                        Some(t) => on_text(&sh, &mut conn, t.as_str()),
                        None => vec![refused(0, Reason::Malformed)],
                    }
                }
            }
            Some(out) = rx.recv() => match out {
                Out::Msg(m) => vec![m],
                Out::Close(r) => {
                    let _ = send(&mut ws, &mut conn, refused(0, r)).await;
                    break;
                }
            },
            _ = &mut idle => {
                say(&format!("{}: idle, closed", who(&conn)));
                let _ = send(&mut ws, &mut conn, refused(0, Reason::Idle)).await;
                break;
            }
            _ = stop.changed() => break,
        };
        for r in replies {
            if let ServerMsg::Refused { reason, .. } = &r {
                say(&format!("{}: refused {reason:?}", who(&conn)));
            }
            if send(&mut ws, &mut conn, r).await.is_err() {
                break 'conn;
            }
        }
    }
    if let Ok(mut class) = sh.class.lock() {
        if let Some((k, side)) = conn.seat {
            let seat = &mut class.tables[k].seats[side.idx()];
            if seat.conn.as_ref().is_some_and(|(id, _)| *id == conn.id) {
                seat.conn = None;
            }
        }
        class.watchers.retain(|(id, _)| *id != conn.id);
        class.following.retain(|(id, _, _)| *id != conn.id);
        // The instructor sees a student leave.
        class.notify();
    }
    let _ = ws.send(Message::Close(None)).await;
}
