//! The debrief as one HTML page: inline styles and SVG charts, nothing fetched, so the file
//! can be mailed or opened offline.

use super::{BELIEFS_TITLE, Beliefs, ChartData, DEALS_TITLE, Report};
use crate::sim::{Area, Match, Side};
use std::fmt::Write;

/// The whole debrief of `m` as one self-contained HTML page.
pub fn export_html(m: &Match, beliefs: Option<&Beliefs>) -> String {
    Report::new(m, beliefs).html()
}

pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A series' colour on a light page: tension red, state A green, state B blue.
fn ink(side: Option<Side>) -> &'static str {
    match side {
        None => "#c33",
        Some(Side::A) => "#393",
        Some(Side::B) => "#36c",
    }
}

/// An SVG line chart over the rounds, from 0 to the chart's top.
fn svg_chart(c: &ChartData) -> String {
    let (w, h, pad) = (560.0, 220.0, 30.0);
    let ymax = c.chart.ymax();
    let rounds: Vec<u32> = c
        .series
        .first()
        .map(|s| s.points.iter().map(|p| p.0).collect())
        .unwrap_or_default();
    let n = rounds.len().max(2) as f32;
    let x = |i: usize| pad + (w - 2.0 * pad) * i as f32 / (n - 1.0);
    let y = |v: f32| h - pad - (h - 2.0 * pad) * (v / ymax).clamp(0.0, 1.0);
    let mut s = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' viewBox='0 0 {w} {h}'><rect width='100%' height='100%' fill='#fafafa'/>"
    );
    let _ = write!(
        s,
        "<line x1='{pad}' y1='{}' x2='{}' y2='{}' stroke='#999'/>",
        h - pad,
        w - pad,
        h - pad
    );
    for (i, round) in rounds.iter().enumerate() {
        let _ = write!(
            s,
            "<text x='{}' y='{}' font-size='10' text-anchor='middle'>{round}</text>",
            x(i),
            h - pad + 14.0
        );
    }
    let mut legend_x = pad;
    for series in &c.series {
        let colour = ink(series.meter.side());
        let p: Vec<String> = series
            .points
            .iter()
            .enumerate()
            .map(|(i, (_, v))| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let _ = write!(
            s,
            "<polyline fill='none' stroke='{colour}' stroke-width='2' points='{}'/>",
            p.join(" ")
        );
        let _ = write!(
            s,
            "<text x='{legend_x}' y='14' font-size='11' fill='{colour}'>{}</text>",
            esc(&series.name)
        );
        // About 6 px a character at this size, so long legends do not overlap.
        legend_x += 6.0 * series.name.chars().count() as f32 + 24.0;
    }
    s.push_str("</svg>");
    s
}

/// The beliefs section: the sentence and a table with bars.
fn beliefs_html(h: &mut String, b: &Beliefs) {
    let _ = write!(
        h,
        "<h2>{}</h2><p><strong>{}</strong></p><table><tr><th>Area</th><th>It believed</th><th>You really valued</th><th></th></tr>",
        BELIEFS_TITLE,
        esc(&b.sentence())
    );
    let bar = |w: f32, colour: &str| {
        format!(
            "<span style='display:inline-block;width:{:.0}px;height:10px;background:{colour}'></span> {:.0}%",
            (w * 300.0).round(),
            w * 100.0
        )
    };
    for (i, area) in Area::ALL.into_iter().enumerate() {
        let mark = b.mark(area);
        let name = if mark.is_empty() {
            esc(area.label())
        } else {
            format!("<strong>{}</strong>", esc(area.label()))
        };
        let _ = write!(
            h,
            "<tr><td>{name}</td><td>{}</td><td>{}</td><td>{mark}</td></tr>",
            bar(b.believed[i], "#d90"),
            bar(b.truth[i], "#393")
        );
    }
    let _ = write!(h, "</table><p><small>{}</small></p>", esc(&b.how_learnt()));
}

/// The report as a page.
pub(super) fn page(r: &Report) -> String {
    let s = &r.scores;
    let d = &r.deals;
    let [a, b] = &r.sides;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html><head><meta charset='utf-8'><title>Détente debrief — {}</title><style>body{{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}}td,th{{padding:2px 10px;text-align:left}}.breach{{color:#b30}}.round{{margin-top:1em;font-weight:bold}}</style></head><body>",
        esc(&r.title)
    );
    let _ = write!(
        h,
        "<h1>Debrief: {}</h1><p>Seed {} · {} rounds played</p><h2>{}</h2>",
        esc(&r.title),
        r.seed,
        r.rounds,
        esc(&r.ending_text())
    );
    if let Some(epilogue) = &r.epilogue {
        let _ = write!(h, "<p><em>{}</em></p>", esc(epilogue));
    }
    h.push_str("<table><tr><th></th><th>score</th><th>approval</th></tr>");
    for side in Side::BOTH {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{:.2}</td><td>{:.0}%</td></tr>",
            esc(&r.side(side).name),
            s.utility[side.idx()],
            s.approval[side.idx()]
        );
    }
    let _ = write!(h, "</table><p>Joint stability: {:.0}/100</p>", s.stability);
    for c in &r.charts {
        let _ = write!(h, "<h2>{}</h2>{}", esc(c.chart.title()), svg_chart(c));
    }
    let _ = write!(
        h,
        "<h2>The deal against the frontier</h2><p>Final package: worth {:.2} to {} and {:.2} to {}. Nash bargaining point: {:.2} / {:.2}. Distance to the Pareto frontier: {:.2}.</p>",
        d.final_point[0],
        esc(&a.name),
        d.final_point[1],
        esc(&b.name),
        d.frontier.nash[0],
        d.frontier.nash[1],
        d.gap
    );
    let _ = write!(h, "<h2>{DEALS_TITLE}</h2><ul>");
    if d.each.is_empty() {
        h.push_str("<li>No agreement was signed.</li>");
    }
    for deal in &d.each {
        let _ = write!(h, "<li>{}</li>", esc(&deal.text));
    }
    h.push_str("</ul>");
    if let Some(b) = &r.beliefs {
        beliefs_html(&mut h, b);
    }
    h.push_str("<h2>Broken commitments</h2><ul>");
    if r.breaches.is_empty() {
        h.push_str("<li>None: every promise was kept.</li>");
    }
    for br in &r.breaches {
        let _ = write!(h, "<li class='breach'>{}</li>", esc(&r.breach_text(br)));
    }
    h.push_str("</ul><h2>Timeline</h2>");
    let mut last = 0;
    for line in &r.timeline {
        if line.round != last {
            let _ = write!(h, "<div class='round'>Round {}</div>", line.round);
            last = line.round;
        }
        let _ = write!(
            h,
            "<div class='{}'>{}</div>",
            line.kind.name(),
            esc(&line.text)
        );
    }
    h.push_str("</body></html>\n");
    h
}
