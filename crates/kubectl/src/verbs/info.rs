//! version, api-resources, api-versions, cluster-info, config, help.

use crate::flags::{self, boolean, value};
use crate::Output;
use model::sort::SortSlice;

/// `kubectl --help`: the commands the playground has, grouped as kubectl groups them, each
/// summed up in our own words.
pub(crate) const ROOT_HELP: &str = "kubectl talks to the (simulated) Kubernetes cluster.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create resources from files, standard input or a generator
  expose          Make a Service for a workload, a pod or another Service
  run             Start a pod that runs one image
  set             Change fields of existing objects, such as a container's image

Basic Commands (Intermediate):
  explain         Show the documentation of a resource type and its fields
  get             Show one or more resources
  edit            Edit an object in an editor and send back the result
  delete          Delete resources by name, by selector or from files

Deploy Commands:
  rollout         Follow, pause, resume, undo or restart a workload's rollout
  scale           Change the number of replicas of a workload
  autoscale       Let a HorizontalPodAutoscaler set the number of replicas of a workload

Cluster Management Commands:
  cluster-info    Show where the control plane and its services can be reached
  top             Show the CPU and memory use of pods and nodes
  cordon          Mark a node unschedulable
  uncordon        Mark a node schedulable again
  drain           Cordon a node and evict its pods before maintenance
  taint           Add, change or remove taints on nodes

Troubleshooting and Debugging Commands:
  describe        Show the details of resources
  logs            Print the log of a container in a pod
  attach          Attach to the output of a running container
  exec            Run a command in a container
  port-forward    Forward one or more local ports to a pod
  cp              Copy files and directories to and from containers
  auth            Check what a user may do
  debug           Create debugging sessions for pods and nodes
  events          List the cluster's events

Advanced Commands:
  diff            Show what apply would change
  apply           Make the cluster match the objects in files or standard input
  patch           Change fields of an object with a patch
  replace         Replace objects with what files or standard input describe
  wait            Wait until objects meet a condition

Settings Commands:
  label           Add, change or remove labels of objects
  annotate        Add, change or remove annotations of objects

Other Commands:
  api-resources   List the resource types the API server offers
  api-versions    List the API versions the server offers, as \"group/version\"
  config          Read and change the kubeconfig
  version         Show the version of kubectl and of the cluster

Usage:
  kubectl [flags] [options]

Use \"kubectl <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// The Kubernetes version the simulated cluster reports: the newest k8s-openapi models.
pub const KUBERNETES_VERSION: &str = "v1.37.1";
const KUSTOMIZE_VERSION: &str = "v5.8.1";

pub(crate) fn version(args: &[String]) -> Output {
    let parsed = match flags::parse(
        args,
        &[value("output", Some('o')), boolean("client", None)],
        "version",
    ) {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let client_only = parsed.flag("client");
    match parsed.value("output") {
        Some("json") | Some("yaml") => {
            let info = |_: &str| {
                serde_json::json!({
                    "major": "1", "minor": "37", "gitVersion": KUBERNETES_VERSION,
                    "gitCommit": "kubeplay", "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
                    "goVersion": "kubeplay", "compiler": "rustc", "platform": "wasm32/browser"
                })
            };
            let mut doc = serde_json::json!({ "clientVersion": info("client"), "kustomizeVersion": KUSTOMIZE_VERSION });
            if !client_only {
                doc["serverVersion"] = info("server");
            }
            if parsed.value("output") == Some("json") {
                Output::ok(format!(
                    "{}\n",
                    serde_json::to_string_pretty(&doc).unwrap_or_default()
                ))
            } else {
                // kubectl prints the YAML with Println: one extra blank line.
                Output::ok(model::decode::json_to_yaml(&doc) + "\n")
            }
        }
        Some(other) => Output::error(format!(
            "error: --output must be 'yaml' or 'json', got '{other}'"
        )),
        None => {
            let mut text = format!(
                "Client Version: {KUBERNETES_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
            );
            if !client_only {
                text.push_str(&format!("Server Version: {KUBERNETES_VERSION}\n"));
            }
            Output::ok(text)
        }
    }
}

pub(crate) fn api_resources(args: &[String]) -> Output {
    let parsed = match flags::parse(
        args,
        &[
            value("output", Some('o')),
            boolean("namespaced", None),
            boolean("no-headers", None),
            value("api-group", None),
        ],
        "api-resources",
    ) {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let wide = parsed.value("output") == Some("wide");
    let name_only = parsed.value("output") == Some("name");
    let mut header: Vec<String> = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if wide {
        header.push("VERBS".into());
        header.push("CATEGORIES".into());
    }
    let mut rows = Vec::new();
    let mut names = String::new();
    // Discovery's group order (the registry's: core first), each group's resources by name.
    let group_rank = |group: &str| {
        model::registry::RESOURCE_TYPES
            .iter()
            .position(|t| t.group == group)
            .unwrap_or(usize::MAX)
    };
    let mut resource_types: Vec<_> = model::registry::RESOURCE_TYPES.iter().collect();
    model::sort::SortSlice::sort_stable_by(&mut resource_types[..], |a, b| {
        (group_rank(a.group), a.plural).cmp(&(group_rank(b.group), b.plural))
    });
    for r in resource_types {
        if parsed.is_set("namespaced") && parsed.flag("namespaced") != r.namespaced {
            continue;
        }
        if let Some(group) = parsed.value("api-group") {
            if group != r.group {
                continue;
            }
        }
        if name_only {
            names.push_str(&r.qualified_plural());
            names.push('\n');
            continue;
        }
        let mut row = vec![
            r.plural.to_string(),
            r.short_names.join(","),
            r.api_version(),
            r.namespaced.to_string(),
            r.kind.to_string(),
        ];
        if wide {
            row.push(format!("[{}]", r.verbs.join(" ")));
            let all = [
                "Pod",
                "Service",
                "DaemonSet",
                "Deployment",
                "ReplicaSet",
                "StatefulSet",
                "HorizontalPodAutoscaler",
                "CronJob",
                "Job",
                "ReplicationController",
            ];
            row.push(if all.contains(&r.kind) {
                "all".to_string()
            } else {
                String::new()
            });
        }
        rows.push(row);
    }
    if name_only {
        return Output::ok(names);
    }
    Output::ok(crate::table::render(
        &header,
        &rows,
        parsed.flag("no-headers"),
    ))
}

pub(crate) fn api_versions() -> Output {
    let mut versions: Vec<String> = model::registry::RESOURCE_TYPES
        .iter()
        .flat_map(|r| {
            r.versions
                .iter()
                .map(|v| model::registry::group_version(r.group, v))
        })
        .collect();
    versions.sort_stable();
    versions.dedup();
    Output::ok(versions.join("\n") + "\n")
}

pub(crate) fn cluster_info() -> Output {
    Output::ok(
        "Kubernetes control plane is running at https://control-plane:6443\nCoreDNS is running at https://control-plane:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    )
}
