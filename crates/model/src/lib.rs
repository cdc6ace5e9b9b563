//! The Kubernetes object model of kubeplay: no behaviour, no I/O.
//!
//! - [`registry`]: every supported kind with its group, served versions, plural, short names and
//!   scope (what `kubectl api-resources` prints), and the lookup kubectl does from `po`, `pods`,
//!   `deployments.apps`, … to a resource.
//! - [`object`]: the [`Object`] enum over the supported kinds, each variant holding the real
//!   `k8s-openapi` type, so a manifest means exactly what it means to a real API server.
//! - [`decode`]: YAML (block and KYAML flow style, multi-document) and JSON, including `List`,
//!   into [`Object`]s with strict field validation and line:column errors; hostile input (alias
//!   bombs, deep nesting, oversized documents) is rejected with a clear error, never a panic.
//! - [`strict`]: the one deserializer every typed object is built through (from JSON), naming
//!   unknown fields and the path of a wrongly typed value.
//! - [`defaults`]: the API server's defaulting (SetDefaults_*), Secret `stringData` merging.
//! - [`validation`]: the API server's validation with its own messages (names, labels, pod specs,
//!   workloads, Services, Secrets, immutable fields on update).
//! - [`quantity`]: exact resource quantities (`100m`, `1.5Gi`) with upstream's canonical form.
//! - [`merge`]: client-side apply's three-way merge, strategic merge, merge and JSON patch.
//! - [`sort`]: stable sorting through one compiled sort (the page's size).
//! - [`selector`], [`duration`], [`pod`] (QoS class), [`yaml`] (kubectl's YAML style).

// Decode errors carry their position and the object identity (~150 bytes); they are the rare
// path, so they are returned by value rather than boxed.
#![allow(clippy::result_large_err)]

pub mod decode;
pub mod defaults;
pub mod duration;
pub mod merge;
pub mod object;
pub mod pod;
pub mod quantity;
pub mod registry;
pub mod selector;
pub mod sort;
pub mod strict;
pub mod validation;
pub mod yaml;

pub use decode::{decode_documents, DecodeError, DecodeErrorKind};
pub use k8s_openapi;
pub use object::Object;
pub use registry::ResourceType;
pub use selector::Selector;
