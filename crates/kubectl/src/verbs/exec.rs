//! `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] -- COMMAND [args…]`: runs a command in a
//! running container through the simulated kubelet ([`cluster::Cluster::exec`]) and prints
//! what it printed; a non-zero exit is kubectl's `command terminated with exit code N`.

use cluster::{Cluster, ExecRefusal};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

pub(crate) fn exec(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        value("container", Some('c')),
        value("filename", Some('f')),
        value("pod-running-timeout", None),
        boolean("quiet", Some('q')),
        boolean("stdin", Some('i')),
        boolean("tty", Some('t')),
    ];
    let parsed = match flags::parse(args, &specs, "exec") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let command: Vec<String> = parsed.after_dash_dash.as_ref().cloned().unwrap_or_default();
    let positionals = &parsed.positionals;
    if positionals.is_empty() {
        return Output::error(
            "error: pod, type/name or --filename must be specified\nSee 'kubectl exec -h' for help and examples",
        );
    }
    if positionals.len() > 1 && parsed.after_dash_dash.is_none() {
        return Output::error(
            "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples",
        );
    }
    if command.is_empty() {
        return Output::error(
            "error: you must specify at least one command for the container\nSee 'kubectl exec -h' for help and examples",
        );
    }
    let pod = match super::logs::pod_for_name(cluster, &namespace, &positionals[0]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let pod_name = pod["metadata"]["name"].as_str().unwrap_or("").to_string();
    // kubectl reads the pod, then the API server authorizes `create pods/exec`.
    if let Err(denied) = super::check_pod_connect(cluster, &parsed, &namespace, &pod_name, "exec") {
        return denied;
    }
    let mut out = Output::ok("");
    let container = match super::logs::chosen_container(&pod, parsed.value("container")) {
        Ok((chosen, note)) => {
            if let (Some(note), false) = (note, parsed.flag("quiet")) {
                out.stderr.push_str(&note);
            }
            chosen
        }
        Err(error) => return error,
    };
    match cluster.exec(&namespace, &pod_name, &container, &command) {
        Ok(done) => {
            out.stdout.push_str(&done.output);
            if done.exit_code != 0 {
                out.stderr.push_str(&format!(
                    "command terminated with exit code {}\n",
                    done.exit_code
                ));
                out.exit_code = done.exit_code;
            }
            out
        }
        Err(ExecRefusal::Api(error)) => {
            out.stderr.push_str(&format!("{error}\n"));
            out.exit_code = 1;
            out
        }
        Err(ExecRefusal::Client(message)) => {
            out.stderr.push_str(&format!("error: {message}\n"));
            out.exit_code = 1;
            out
        }
    }
}
