//! The `cluster …` script commands: what kubectl cannot do to a cluster.
//!
//! - `cluster add-node NAME [--cpu 4] [--memory 8Gi] [--pods 110] [--zone Z] [--labels k=v,…]
//!   [--taints k=v:Effect,…]`
//! - `cluster fail-node NAME` / `cluster recover-node NAME` / `cluster remove-node NAME`
//! - `cluster crash POD [-c CONTAINER] [-n NS]` (the container exits with code 1) and
//!   `cluster kill POD [-n NS]` (every container is killed, exit code 137)
//! - `cluster stop-control-plane` / `cluster start-control-plane`

use cluster::nodes::NodeShape;
use cluster::Cluster;
use kubectl::Output;

const USAGE: &str = "usage: cluster add-node NAME [--cpu N] [--memory Q] [--pods N] [--zone Z] [--labels k=v,…] [--taints k=v:Effect,…] | fail-node NAME | recover-node NAME | remove-node NAME | crash POD [-c CONTAINER] [-n NS] | kill POD [-n NS] | stop-control-plane | start-control-plane";

/// A command's positional words and its `--flag value` pairs.
type SplitArguments = (Vec<String>, Vec<(String, String)>);

/// `--flag value` pairs and positional words.
fn split(args: &[String]) -> Result<SplitArguments, String> {
    let mut positional = Vec::new();
    let mut flags = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if let Some(name) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) {
            let (name, value) = match name.split_once('=') {
                Some((n, v)) => (n.to_string(), v.to_string()),
                None => match iter.next() {
                    Some(v) => (name.to_string(), v.clone()),
                    None => return Err(format!("error: flag needs an argument: {arg}")),
                },
            };
            flags.push((name, value));
        } else {
            positional.push(arg.clone());
        }
    }
    Ok((positional, flags))
}

fn flag<'a>(flags: &'a [(String, String)], names: &[&str]) -> Option<&'a str> {
    flags
        .iter()
        .rev()
        .find(|(n, _)| names.contains(&n.as_str()))
        .map(|(_, v)| v.as_str())
}

pub fn run(cluster: &mut Cluster, args: &[String]) -> Output {
    let Some((command, rest)) = args.split_first() else {
        return Output::error(USAGE);
    };
    let (positional, flags) = match split(rest) {
        Ok(s) => s,
        Err(e) => return Output::error(e),
    };
    let known: &[&str] = match command.as_str() {
        "add-node" => &["cpu", "memory", "pods", "zone", "labels", "taints"],
        "crash" => &["c", "container", "n", "namespace"],
        "kill" => &["n", "namespace"],
        _ => &[],
    };
    if let Some((unknown, _)) = flags.iter().find(|(n, _)| !known.contains(&n.as_str())) {
        return Output::error(format!("error: unknown flag: --{unknown}\n{USAGE}"));
    }
    let one_name = || -> Result<String, Output> {
        match positional.as_slice() {
            [name] => Ok(name.clone()),
            _ => Err(Output::error(format!(
                "error: cluster {command} takes one name\n{USAGE}"
            ))),
        }
    };
    let namespace = flag(&flags, &["n", "namespace"])
        .unwrap_or("default")
        .to_string();
    let result: Result<String, String> = match command.as_str() {
        "add-node" => {
            let name = match one_name() {
                Ok(n) => n,
                Err(o) => return o,
            };
            let pods = match flag(&flags, &["pods"]).map(str::parse::<u32>) {
                None => 110,
                Some(Ok(n)) if n > 0 => n,
                Some(_) => return Output::error("error: --pods takes a positive number"),
            };
            let mut labels = Vec::new();
            for pair in flag(&flags, &["labels"])
                .unwrap_or("")
                .split(',')
                .filter(|p| !p.is_empty())
            {
                match pair.split_once('=') {
                    Some((k, v)) => labels.push((k.to_string(), v.to_string())),
                    None => {
                        return Output::error(format!(
                            "error: invalid label {pair:?}: want key=value"
                        ))
                    }
                }
            }
            let mut taints = Vec::new();
            for taint in flag(&flags, &["taints"])
                .unwrap_or("")
                .split(',')
                .filter(|p| !p.is_empty())
            {
                let Some((key_value, effect)) = taint.rsplit_once(':') else {
                    return Output::error(format!(
                        "error: invalid taint {taint:?}: want key[=value]:Effect"
                    ));
                };
                if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect) {
                    return Output::error(format!(
                        "error: invalid taint effect: {effect}, unsupported taint effect"
                    ));
                }
                let (key, value) = key_value.split_once('=').unwrap_or((key_value, ""));
                taints.push((key.to_string(), value.to_string(), effect.to_string()));
            }
            let shape = NodeShape {
                name: name.clone(),
                cpu: flag(&flags, &["cpu"]).unwrap_or("4").to_string(),
                memory: flag(&flags, &["memory"]).unwrap_or("8Gi").to_string(),
                pods,
                zone: flag(&flags, &["zone"]).unwrap_or("zone-a").to_string(),
                control_plane: false,
                labels,
                taints,
            };
            cluster
                .add_node(&shape)
                .map(|()| format!("node/{name} joined the cluster"))
        }
        "fail-node" => match one_name() {
            Ok(name) => cluster
                .fail_node(&name)
                .map(|()| format!("node/{name}: its kubelet stopped (the machine is unreachable)")),
            Err(o) => return o,
        },
        "recover-node" => match one_name() {
            Ok(name) => cluster
                .recover_node(&name)
                .map(|()| format!("node/{name}: its kubelet is back")),
            Err(o) => return o,
        },
        "remove-node" => match one_name() {
            Ok(name) => cluster
                .remove_node(&name)
                .map(|()| format!("node/{name} removed from the cluster")),
            Err(o) => return o,
        },
        "crash" | "kill" => {
            let pod = match one_name() {
                Ok(n) => n,
                Err(o) => return o,
            };
            let (container, code) = if command == "crash" {
                (flag(&flags, &["c", "container"]), 1)
            } else {
                (None, 137)
            };
            cluster
                .inject_container_exit(&namespace, &pod, container, code)
                .map(|n| {
                    let what = if command == "crash" {
                        "crashed"
                    } else {
                        "killed"
                    };
                    format!("pod/{pod}: {n} container(s) {what} (exit code {code})")
                })
        }
        "stop-control-plane" => {
            cluster.stop_control_plane();
            Ok("kube-controller-manager and kube-scheduler stopped".to_string())
        }
        "start-control-plane" => {
            cluster.start_control_plane();
            Ok("kube-controller-manager and kube-scheduler started".to_string())
        }
        other => Err(format!("unknown cluster command \"{other}\"\n{USAGE}")),
    };
    match result {
        Ok(text) => Output::ok(format!("{text}\n")),
        Err(e) => Output::error(format!("error: {e}")),
    }
}
