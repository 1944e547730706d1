//! Idle CPU: keep the reactive window asleep unless something really changes.
//!
//! bevy_egui 0.42 pushes an `egui::Event::ModifiersChanged` into egui's input on every frame,
//! changed or not (`write_egui_input_system`). egui treats any input event as a reason to
//! repaint at once, bevy_egui answers that with a `RequestRedraw`, and the next frame pushes
//! the event again: the window never sleeps (about 1.7 cores busy under Xvfb/llvmpipe). Here
//! the repeated event is dropped before the pass begins, so only real changes of Shift, Ctrl,
//! Alt reach egui. egui keeps the modifier state between frames, so nothing is lost.

use crate::app::egui;
use bevy::platform::collections::HashMap;
use bevy::prelude::*;
use bevy_egui::{EguiInput, EguiPreUpdateSet};

pub fn plugin(app: &mut App) {
    if std::env::var_os("DETENTE_REPAINT_DEBUG").is_some() {
        app.add_systems(bevy_egui::EguiPrimaryContextPass, debug_causes);
    }
    // For measuring: `DETENTE_NO_IDLE_FIX=1` shows the window's behaviour without the fix.
    if std::env::var_os("DETENTE_NO_IDLE_FIX").is_some() {
        app.insert_resource(bevy::winit::WinitSettings::desktop_app());
        return;
    }
    app.add_systems(
        PreUpdate,
        drop_repeated_modifiers
            .after(EguiPreUpdateSet::ProcessInput)
            .before(EguiPreUpdateSet::BeginPass),
    );
}

/// Remove `ModifiersChanged` events that repeat the last modifiers egui was told about.
pub fn drop_repeated_modifiers(
    mut inputs: Query<(Entity, &mut EguiInput)>,
    mut last: Local<HashMap<Entity, egui::Modifiers>>,
) {
    for (entity, mut input) in &mut inputs {
        let prev = last.entry(entity).or_default();
        input.0.events.retain(|ev| match ev {
            egui::Event::ModifiersChanged(m) => {
                if m == prev {
                    false
                } else {
                    *prev = *m;
                    true
                }
            }
            // egui forgets held modifiers when focus changes; tell it again afterwards.
            egui::Event::WindowFocused(_) => {
                *prev = egui::Modifiers::default();
                true
            }
            _ => true,
        });
    }
}

/// With `DETENTE_REPAINT_DEBUG` set, log every frame drawn: the time since the previous one
/// and why egui asked for it.
fn debug_causes(
    mut contexts: bevy_egui::EguiContexts,
    time: Res<Time<Real>>,
    mut n: Local<u32>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    *n += 1;
    info!(
        "frame {} dt {:.1} ms, repaint causes: {:?}",
        *n,
        time.delta_secs_f64() * 1000.0,
        ctx.repaint_causes()
    );
    Ok(())
}
