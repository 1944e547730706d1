//! Classes over the network: the wire protocol (always built, serde only) and, with the `host`
//! feature, the classroom host, its archive and the class's record drawn from it; with `join`, a
//! student's connection to it.

#[cfg(feature = "host")]
pub mod archive;
#[cfg(feature = "join")]
pub mod client;
#[cfg(feature = "host")]
pub mod export;
#[cfg(feature = "host")]
pub mod host;
#[cfg(feature = "host")]
pub mod loadtest;
pub mod protocol;
