//! What a container's program answers to the kubelet's probes: `exec` runs the command in the
//! mini shell against the container's files as they were at that instant; `httpGet` and
//! `tcpSocket` ask the program's listener (nginx serves `/` and 404s elsewhere, agnhost
//! `liveness` is healthy for 10 s then answers 500, other servers answer 200). Failures carry
//! the prober's wording (`HTTP probe failed with statuscode: 500`, `dial tcp …: connect:
//! connection refused`).

use super::programs::{HttpBehaviour, Listener};
use super::shell_vm::{Progress, ShellMachine, ShellState};
use super::Process;
use crate::SimTime;

/// One probe's action, from the container spec.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbeAction {
    Exec(Vec<String>),
    Http {
        port: u16,
        path: String,
        scheme: String,
    },
    Tcp {
        port: u16,
    },
    Grpc {
        port: u16,
    },
}

/// The answer: success, or the message the `Unhealthy` event carries after "… probe failed: ".
pub type ProbeResult = Result<(), String>;

/// The container a probe asks.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub process: Option<&'a Process>,
    pub listener: Option<&'a Listener>,
    pub started: SimTime,
    pub pod_ip: &'a str,
    pub environment: &'a [(String, String)],
    pub hostname: &'a str,
    /// What an exec probe's `wget`/`curl` reach.
    pub network: &'a super::network::NetworkHandle,
}

/// Runs `action` against a container at `at`.
pub fn check(
    action: &ProbeAction,
    target: &Target,
    at: SimTime,
    timeout_millis: u64,
) -> ProbeResult {
    let Target {
        process,
        listener,
        started,
        pod_ip,
        environment,
        hostname,
        network,
    } = *target;
    let listening = |port: u16| {
        listener
            .is_some_and(|l| l.ports.contains(&port) && at.since(started).0 >= l.ready_after_millis)
    };
    match action {
        ProbeAction::Exec(argv) => exec(
            argv,
            process,
            at,
            timeout_millis,
            environment,
            hostname,
            network,
        ),
        ProbeAction::Http { port, path, scheme } => {
            let url = format!("{}://{pod_ip}:{port}{path}", scheme.to_lowercase());
            if !listening(*port) {
                return Err(format!(
                    "Get \"{url}\": dial tcp {pod_ip}:{port}: connect: connection refused"
                ));
            }
            let behaviour = listener.map_or(HttpBehaviour::AnyPath, |l| l.http);
            let status = match behaviour {
                HttpBehaviour::AnyPath => 200,
                HttpBehaviour::StaticSite => {
                    if matches!(path.as_str(), "/" | "" | "/index.html") {
                        200
                    } else {
                        404
                    }
                }
                HttpBehaviour::HealthyFor(millis) => {
                    if at.since(started).0 < millis {
                        200
                    } else {
                        500
                    }
                }
                HttpBehaviour::None => {
                    return Err(format!("Get \"{url}\": EOF"));
                }
            };
            if status < 400 {
                Ok(())
            } else {
                Err(format!("HTTP probe failed with statuscode: {status}"))
            }
        }
        ProbeAction::Tcp { port } => {
            if listening(*port) {
                Ok(())
            } else {
                Err(format!(
                    "dial tcp {pod_ip}:{port}: connect: connection refused"
                ))
            }
        }
        ProbeAction::Grpc { port } => {
            if listening(*port) {
                Ok(())
            } else {
                Err(format!(
                    "timeout: failed to connect service \"{pod_ip}:{port}\" within 1s: context deadline exceeded"
                ))
            }
        }
    }
}

fn exec(
    argv: &[String],
    process: Option<&Process>,
    at: SimTime,
    timeout_millis: u64,
    environment: &[(String, String)],
    hostname: &str,
    network: &super::network::NetworkHandle,
) -> ProbeResult {
    if argv.is_empty() {
        return Err("command is empty".to_string());
    }
    let (shell_name, script, positional) = super::shell_invocation(argv);
    let mut variables: std::collections::BTreeMap<String, String> =
        environment.iter().cloned().collect();
    variables.insert("HOSTNAME".into(), hostname.to_string());
    let state = ShellState {
        shell_name,
        variables,
        positional: if positional.is_empty() {
            vec!["sh".to_string()]
        } else {
            positional
        },
        files: process.map(|p| p.files_at(at)).unwrap_or_default(),
        status: 0,
        now: at,
        random_state: 1,
        exported: Default::default(),
        file_log: Vec::new(),
        network: network.clone(),
        read_only: Vec::new(),
    };
    let mut machine = ShellMachine::new(&script, state);
    let progress = machine.run_until(SimTime(at.0 + timeout_millis));
    let output: Vec<String> = machine.output.iter().map(|(_, l)| l.clone()).collect();
    match progress {
        Progress::Exited(_, 0) => Ok(()),
        Progress::Exited(_, _) => Err(output.join("\n")),
        Progress::SleepingUntil(_) | Progress::Forever | Progress::NeedsClusterAt(_) => {
            Err(format!("command \"{}\" timed out", argv.join(" ")))
        }
    }
}
