//! Frame times for measuring, not for play: with `DETENTE_FRAME_STATS=S` the window draws
//! continuously for `S` seconds, then prints how long its frames took (median, 95th
//! percentile, worst) on standard error and closes. docs/PERFORMANCE.md gives the commands.

use bevy::prelude::*;
use std::time::{Duration, Instant};

/// The run being measured.
#[derive(Resource)]
struct Stats {
    until: Instant,
    /// Frames to leave out at the start (loading, the first layout).
    warmup: u32,
    /// Milliseconds between frames.
    frames: Vec<f64>,
}

pub fn plugin(app: &mut App) {
    let Some(secs) = std::env::var("DETENTE_FRAME_STATS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
    else {
        return;
    };
    app.insert_resource(bevy::winit::WinitSettings::game())
        .insert_resource(Stats {
            until: Instant::now() + Duration::from_secs_f64(secs + 2.0),
            warmup: 30,
            frames: Vec::new(),
        })
        .add_systems(Last, record);
}

/// The median, 95th percentile and largest of `ms` (not empty), sorting it.
pub fn percentiles(ms: &mut [f64]) -> (f64, f64, f64) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), ms[ms.len() - 1])
}

fn record(time: Res<Time<Real>>, mut st: ResMut<Stats>, mut exit: MessageWriter<AppExit>) {
    if st.warmup > 0 {
        st.warmup -= 1;
        return;
    }
    st.frames.push(time.delta_secs_f64() * 1000.0);
    if Instant::now() < st.until {
        return;
    }
    let n = st.frames.len();
    let (p50, p95, max) = percentiles(&mut st.frames);
    eprintln!("frame times over {n} frames: p50 {p50:.1} ms, p95 {p95:.1} ms, max {max:.1} ms");
    exit.write(AppExit::Success);
}
