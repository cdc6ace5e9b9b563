//! Scenarios and transcripts: what a tutorial, an exercise or a test script is, and how it runs.
//!
//! - [`session`]: a [`Session`] is one simulated cluster plus one kubectl client state — what the
//!   page's terminal and the `kubeplay` CLI both drive.
//! - [`script`]: the script language (`kubectl …`, `sleep 30s`, `cluster …`, `curl …`,
//!   `# comments`, heredocs), split into words the way a POSIX shell splits them.
//! - [`cluster_commands`]: the `cluster …` script commands (faults, nodes joining and leaving).
//! - [`outside`]: the `curl` script line — requests from outside the cluster.
//! - [`transcript`]: running a script into a golden transcript (`$ command` + output) and checking
//!   a transcript against a fresh run.
//!
//! The scenario format (cluster shape, steps, checks) and share links come with later issues.

pub mod cluster_commands;
pub mod outside;
pub mod script;
pub mod session;
pub mod transcript;

pub use session::Session;
