//! `kubectl attach (POD | TYPE/NAME) [-c CONTAINER]`: the output of a container's running main
//! process from now on — a stream like `logs -f` without the lines already written (in a
//! script it covers the next `sleep`, in the page it runs until Ctrl+C). Typing into the
//! process (`-i`) is not simulated: the containers' programs read no terminal.

use cluster::Cluster;

use super::logs::LogFollow;
use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

pub(crate) fn attach(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        value("container", Some('c')),
        value("detach-keys", None),
        value("pod-running-timeout", None),
        boolean("quiet", Some('q')),
        boolean("stdin", Some('i')),
        boolean("tty", Some('t')),
    ];
    let parsed = match flags::parse(args, &specs, "attach") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let [target] = parsed.positionals.as_slice() else {
        return Output::error(if parsed.positionals.is_empty() {
            "error: at least 1 argument is required for attach\nSee 'kubectl attach -h' for help and examples"
        } else {
            "error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw extra arguments\nSee 'kubectl attach -h' for help and examples"
        });
    };
    let pod = match super::logs::pod_for_name(cluster, &namespace, target) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let pod_name = pod["metadata"]["name"].as_str().unwrap_or("").to_string();
    let phase = pod["status"]["phase"].as_str().unwrap_or("Pending");
    if phase == "Succeeded" || phase == "Failed" {
        return Output::error(format!(
            "error: cannot attach a container in a completed pod; current phase is {phase}"
        ));
    }
    let mut out = Output::ok("");
    let quiet = parsed.flag("quiet");
    let container = match super::logs::chosen_container(&pod, parsed.value("container")) {
        Ok((chosen, note)) => {
            if let (Some(note), false) = (note, quiet) {
                out.stderr.push_str(&note);
            }
            chosen
        }
        Err(error) => return error,
    };
    let status = ["containerStatuses", "initContainerStatuses"]
        .iter()
        .flat_map(|key| pod["status"][*key].as_array().into_iter().flatten())
        .find(|s| s["name"] == container.as_str());
    let declared = ["containers", "initContainers"]
        .iter()
        .flat_map(|key| pod["spec"][*key].as_array().into_iter().flatten())
        .any(|c| c["name"] == container.as_str());
    if !declared {
        return Output::error(format!(
            "error: container {container} not found in pod {pod_name}"
        ));
    }
    if !status.is_some_and(|s| s["state"]["running"].is_object()) {
        out.stderr.push_str(&format!(
            "error: unable to upgrade connection: container not found (\"{container}\")\n"
        ));
        out.exit_code = 1;
        return out;
    }
    if parsed.flag("tty") && !quiet {
        out.stderr
            .push_str("If you don't see a command prompt, try pressing enter.\n");
    }
    kubectl.follow = Some(LogFollow::from_now(
        cluster, &namespace, &pod_name, &container,
    ));
    out
}
