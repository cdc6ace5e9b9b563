//! `kubectl cp SRC DEST`: copies files between "this machine" and a container. kubectl streams
//! a tar archive through exec, so the container needs `tar` (scratch and distroless images have
//! none and fail as they do on a real cluster). This machine's files are the workspace's (a
//! script's directory, read-only) overlaid with what earlier `kubectl cp` commands copied out
//! of containers ([`Kubectl::local_files`]): a file copied out can be copied into another pod.

use std::collections::BTreeMap;

use cluster::{Cluster, ExecRefusal};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output, Workspace};

/// One side of the copy: a local path, or `[NAMESPACE/]POD:PATH`.
enum FileSpec {
    Local(String),
    Remote {
        namespace: Option<String>,
        pod: String,
        path: String,
    },
}

/// kubectl's `extractFileSpec`: `POD:PATH` and `NAMESPACE/POD:PATH` are remote; anything
/// else (including paths starting with `/` or `.`) is local.
fn file_spec(text: &str) -> FileSpec {
    if text.starts_with('/') || text.starts_with('.') {
        return FileSpec::Local(text.to_string());
    }
    let Some((target, path)) = text.split_once(':') else {
        return FileSpec::Local(text.to_string());
    };
    let (namespace, pod) = match target.split_once('/') {
        Some((namespace, pod)) => (Some(namespace.to_string()), pod.to_string()),
        None => (None, target.to_string()),
    };
    FileSpec::Remote {
        namespace,
        pod,
        path: path.to_string(),
    }
}

/// A local path as the overlay keys it: no `./`, no trailing `/`.
fn local_key(path: &str) -> String {
    let mut path = path.trim_end_matches('/');
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    if path.is_empty() || path == "." {
        ".".to_string()
    } else {
        path.to_string()
    }
}

fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// The local files under `path` as (path relative to `path`, content); the file itself has
/// the relative path "".
fn local_files(
    kubectl: &Kubectl,
    workspace: &dyn Workspace,
    path: &str,
) -> Option<Vec<(String, String)>> {
    let key = local_key(path);
    if let Some(content) = kubectl.local_files.get(&key) {
        return Some(vec![(String::new(), content.clone())]);
    }
    let prefix = format!("{key}/");
    let copied: Vec<(String, String)> = kubectl
        .local_files
        .iter()
        .filter_map(|(name, content)| {
            name.strip_prefix(&prefix)
                .map(|rest| (rest.to_string(), content.clone()))
        })
        .collect();
    if !copied.is_empty() {
        return Some(copied);
    }
    if let Ok(content) = workspace.read_file(path) {
        return Some(vec![(String::new(), content)]);
    }
    let entries = workspace.list_dir(path)?;
    Some(
        entries
            .into_iter()
            .filter_map(|name| {
                let file = format!("{}/{name}", path.trim_end_matches('/'));
                workspace
                    .read_file(&file)
                    .ok()
                    .map(|content| (name, content))
            })
            .collect(),
    )
}

fn join(directory: &str, relative: &str) -> String {
    if relative.is_empty() {
        directory.to_string()
    } else {
        format!("{}/{relative}", directory.trim_end_matches('/'))
    }
}

/// What kubectl prints when the container has no `tar`.
const NO_TAR: &str = "error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"4f1b7d2c9e0a8b6d5c3e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"tar\": executable file not found in $PATH: unknown";

fn refusal(error: ExecRefusal) -> Output {
    match error {
        ExecRefusal::Api(error) => Output::error(error.to_string()),
        ExecRefusal::Client(message) => Output::error(format!("error: {message}")),
    }
}

pub(crate) fn cp(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let specs = [
        value("container", Some('c')),
        boolean("no-preserve", None),
        value("retries", None),
    ];
    let parsed = match flags::parse(args, &specs, "cp") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let [source, destination] = parsed.positionals.as_slice() else {
        return Output::error(
            "error: source and destination are required\nSee 'kubectl cp -h' for help and examples",
        );
    };
    let default_namespace = super::namespace_of(kubectl, &parsed);
    let (source, destination) = (file_spec(source), file_spec(destination));
    let (remote_namespace, pod_name, remote_path, local_path, from_pod) =
        match (&source, &destination) {
            (FileSpec::Remote { .. }, FileSpec::Remote { .. }) => {
                return Output::error(
                    "error: one of src or dest must be a local file specification",
                )
            }
            (FileSpec::Local(_), FileSpec::Local(_)) => {
                return Output::error(
                    "error: one of src or dest must be a remote file specification",
                )
            }
            (
                FileSpec::Remote {
                    namespace,
                    pod,
                    path,
                },
                FileSpec::Local(local),
            ) => (namespace, pod, path, local, true),
            (
                FileSpec::Local(local),
                FileSpec::Remote {
                    namespace,
                    pod,
                    path,
                },
            ) => (namespace, pod, path, local, false),
        };
    if remote_path.is_empty() || local_path.is_empty() {
        return Output::error("error: filepath can not be empty");
    }
    let namespace = remote_namespace.clone().unwrap_or(default_namespace);
    // Copying to a pod checks the local source before it looks at the pod.
    let to_copy = if from_pod {
        None
    } else {
        match local_files(kubectl, workspace, local_path) {
            Some(files) => Some(files),
            None => {
                return Output::error(format!(
                    "error: {local_path} doesn't exist in local filesystem"
                ))
            }
        }
    };
    let pod = match super::logs::pod_for_name(cluster, &namespace, pod_name) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let pod_name = pod["metadata"]["name"].as_str().unwrap_or("").to_string();
    let mut out = Output::ok("");
    let container = match super::logs::chosen_container(&pod, parsed.value("container")) {
        Ok((chosen, note)) => {
            if let Some(note) = note {
                out.stderr.push_str(&note);
            }
            chosen
        }
        Err(error) => return error,
    };
    let image = ["containers", "initContainers"]
        .iter()
        .flat_map(|key| pod["spec"][*key].as_array().into_iter().flatten())
        .find(|c| c["name"] == container.as_str())
        .and_then(|c| c["image"].as_str())
        .unwrap_or("")
        .to_string();
    let busybox_tar = image.contains("busybox") || image.contains("alpine");
    match to_copy {
        None => {
            let files = match cluster.read_container_files(
                &namespace,
                &pod_name,
                &container,
                remote_path,
            ) {
                Ok(Some(files)) => files,
                Ok(None) => {
                    let mut failed = Output::error(NO_TAR);
                    failed.stderr.insert_str(0, &out.stderr);
                    return failed;
                }
                Err(e) => return refusal(e),
            };
            if remote_path.starts_with('/') {
                out.stderr.push_str(if busybox_tar {
                    "tar: removing leading '/' from member names\n"
                } else {
                    "tar: Removing leading `/' from member names\n"
                });
            }
            if files.is_empty() {
                out.stderr.push_str(&if busybox_tar {
                    format!("tar: {remote_path}: No such file or directory\n")
                } else {
                    format!("tar: {remote_path}: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\n")
                });
                out.exit_code = 1;
                return out;
            }
            let prefix = remote_path.trim_end_matches('/');
            let destination = local_key(local_path);
            for (name, content) in files {
                let relative = name
                    .strip_prefix(prefix)
                    .unwrap_or(&name)
                    .trim_start_matches('/');
                kubectl
                    .local_files
                    .insert(local_key(&join(&destination, relative)), content);
            }
            out
        }
        Some(files) => {
            // An existing directory as the destination receives the source by its name.
            let existing: BTreeMap<String, String> = cluster
                .read_container_files(&namespace, &pod_name, &container, "/")
                .ok()
                .flatten()
                .unwrap_or_default()
                .into_iter()
                .collect();
            let directory = format!("{}/", remote_path.trim_end_matches('/'));
            let mounts = pod["spec"]["containers"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|c| c["name"] == container.as_str())
                .flat_map(|c| c["volumeMounts"].as_array().into_iter().flatten())
                .filter_map(|m| m["mountPath"].as_str());
            let is_directory = remote_path == "/"
                || [
                    "/tmp", "/root", "/home", "/etc", "/var", "/usr", "/opt", "/srv",
                ]
                .contains(&remote_path.trim_end_matches('/'))
                || mounts
                    .into_iter()
                    .any(|m| m.trim_end_matches('/') == remote_path.trim_end_matches('/'))
                || existing.keys().any(|k| k.starts_with(&directory));
            let target = if is_directory {
                join(remote_path, base_name(local_path))
            } else {
                remote_path.to_string()
            };
            let writes: Vec<(String, String)> = files
                .into_iter()
                .map(|(relative, content)| (join(&target, &relative), content))
                .collect();
            match cluster.write_container_files(&namespace, &pod_name, &container, &writes) {
                Ok(true) => out,
                Ok(false) => {
                    let mut failed = Output::error(NO_TAR);
                    failed.stderr.insert_str(0, &out.stderr);
                    failed
                }
                Err(e) => refusal(e),
            }
        }
    }
}
