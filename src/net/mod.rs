//! Classes over the network: the wire protocol (always built, serde only) and, with the `host`
//! feature, the classroom host and its archive.

#[cfg(feature = "host")]
pub mod archive;
#[cfg(feature = "host")]
pub mod host;
#[cfg(feature = "host")]
pub mod loadtest;
pub mod protocol;
