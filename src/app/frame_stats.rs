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
    frames: Vec<Duration>,
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

/// The `p`th percentile (0..=100) of sorted durations, in milliseconds.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn record(time: Res<Time<Real>>, mut st: ResMut<Stats>, mut exit: MessageWriter<AppExit>) {
    if st.warmup > 0 {
        st.warmup -= 1;
        return;
    }
    st.frames.push(time.delta());
    if Instant::now() < st.until {
        return;
    }
    let mut f = st.frames.clone();
    f.sort();
    eprintln!(
        "frame times over {} frames: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        f.len(),
        percentile_ms(&f, 50.0),
        percentile_ms(&f, 95.0),
        percentile_ms(&f, 100.0)
    );
    exit.write(AppExit::Success);
}
