//! Probes of running containers: the startup, liveness and readiness probes of a container
//! spec with their timings and counters, and the kubelet's prober — `Unhealthy` events,
//! readiness flips, and a kill (then the usual restart) when liveness or startup fails.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ProbeKind {
    Startup,
    Liveness,
    Readiness,
}

impl ProbeKind {
    fn title(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
        }
    }
}

/// One probe of a running container and its counters.
#[derive(Debug, Clone)]
pub(super) struct ProbeRun {
    pub(super) kind: ProbeKind,
    pub(super) action: ProbeAction,
    pub(super) period_millis: u64,
    pub(super) timeout_millis: u64,
    pub(super) success_threshold: u32,
    pub(super) failure_threshold: u32,
    pub(super) successes: u32,
    pub(super) failures: u32,
    pub(super) next_at: Option<SimTime>,
    /// The probe's own `terminationGracePeriodSeconds` (liveness and startup kills use it
    /// instead of the pod's).
    pub(super) termination_grace_millis: Option<u64>,
}

/// The probes of a container spec, first due `initialDelaySeconds` after `started`.
pub(super) fn probes_of(spec: &Value, started: SimTime) -> Vec<ProbeRun> {
    let ports: Vec<(String, u16)> = spec["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some((
                p["name"].as_str().unwrap_or("").to_string(),
                p["containerPort"].as_u64()? as u16,
            ))
        })
        .collect();
    let port_of = |value: &Value| -> u16 {
        match value {
            Value::Number(n) => n.as_u64().unwrap_or(0) as u16,
            Value::String(name) => ports
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, p)| *p)
                .or_else(|| name.parse().ok())
                .unwrap_or(0),
            _ => 0,
        }
    };
    let mut probes = Vec::new();
    for (key, kind) in [
        ("startupProbe", ProbeKind::Startup),
        ("livenessProbe", ProbeKind::Liveness),
        ("readinessProbe", ProbeKind::Readiness),
    ] {
        let probe = &spec[key];
        if !probe.is_object() {
            continue;
        }
        let action = if probe["exec"].is_object() {
            ProbeAction::Exec(string_list(&probe["exec"]["command"]))
        } else if probe["httpGet"].is_object() {
            ProbeAction::Http {
                port: port_of(&probe["httpGet"]["port"]),
                path: probe["httpGet"]["path"].as_str().unwrap_or("/").to_string(),
                scheme: probe["httpGet"]["scheme"]
                    .as_str()
                    .unwrap_or("HTTP")
                    .to_string(),
            }
        } else if probe["tcpSocket"].is_object() {
            ProbeAction::Tcp {
                port: port_of(&probe["tcpSocket"]["port"]),
            }
        } else if probe["grpc"].is_object() {
            ProbeAction::Grpc {
                port: port_of(&probe["grpc"]["port"]),
            }
        } else {
            continue;
        };
        let seconds = |field: &str, default: u64| probe[field].as_u64().unwrap_or(default);
        probes.push(ProbeRun {
            kind,
            action,
            period_millis: seconds("periodSeconds", 10).clamp(1, 86_400) * 1000,
            timeout_millis: seconds("timeoutSeconds", 1).clamp(1, 86_400) * 1000,
            success_threshold: seconds("successThreshold", 1).max(1) as u32,
            failure_threshold: seconds("failureThreshold", 3).max(1) as u32,
            successes: 0,
            failures: 0,
            next_at: Some(SimTime(started.0.saturating_add(
                seconds("initialDelaySeconds", 0).min(1 << 40) * 1000,
            ))),
            termination_grace_millis: probe["terminationGracePeriodSeconds"]
                .as_u64()
                .filter(|_| kind != ProbeKind::Readiness)
                .map(|g| g.min(1 << 40) * 1000),
        });
    }
    probes
}

impl Cluster {
    /// Runs the probes of container `index` due at `at`: `Unhealthy` events on failures,
    /// readiness flips, and a kill (then restart) when liveness or startup fails too often.
    /// Whether the pod status changed.
    pub(super) fn run_probes(
        &mut self,
        pod: &Object,
        state: &mut KubeletPod,
        index: usize,
        at: SimTime,
        source: &EventSource,
    ) -> bool {
        let pod_ip = state.pod_ip.clone().unwrap_or_default();
        let probes_use_network = state.containers.iter().any(|c| {
            c.probes.iter().any(|p| match &p.action {
                probe::ProbeAction::Exec(argv) => argv.iter().any(|a| {
                    crate::runtime::network::NETWORK_TOOLS
                        .iter()
                        .any(|tool| a.contains(tool))
                }),
                _ => false,
            })
        });
        let network = if probes_use_network {
            self.network_handle_for_pod(&state.namespace, &pod_ip)
        } else {
            Default::default()
        };
        let hostname = pod.name().to_string();
        let grace_millis = match pod {
            Object::Pod(typed) => typed
                .spec
                .as_ref()
                .and_then(|s| s.termination_grace_period_seconds)
                .map_or(30, |g| g.clamp(0, 1 << 40) as u64),
            _ => 30,
        } * 1000;
        // A kill is followed by a restart unless the pod never restarts (a sidecar always).
        let restarts = state.restart_policy != "Never" || state.containers[index].sidecar;
        let container = &mut state.containers[index];
        let container_name = container.name.clone();
        let started = match container.state {
            ContainerState::Running { started_at } => started_at,
            _ => return false,
        };
        let mut changed = false;
        let mut events: Vec<(EventType, &'static str, String)> = Vec::new();
        let mut kill: Option<(ProbeKind, Option<u64>)> = None;
        for i in 0..container.probes.len() {
            if container.probes[i].next_at != Some(at) {
                continue;
            }
            let kind = container.probes[i].kind;
            container.probes[i].next_at = Some(SimTime(at.0 + container.probes[i].period_millis));
            if kind != ProbeKind::Startup && !container.started_ok {
                continue;
            }
            let result = probe::check(
                &container.probes[i].action,
                &probe::Target {
                    process: container.process.as_ref(),
                    listener: container.listener.as_ref(),
                    started,
                    pod_ip: &pod_ip,
                    environment: &container.environment,
                    hostname: &hostname,
                    network: &network,
                },
                at,
                container.probes[i].timeout_millis,
            );
            let has_readiness = container
                .probes
                .iter()
                .any(|p| p.kind == ProbeKind::Readiness);
            // A probe whose answer cannot change while this container runs (a port that is
            // open, a server that answers every request the same) has nothing more to say once
            // it has succeeded and the container is ready: it is not run again. What the pod
            // shows is the same; an idle cluster stays idle (kubeadm's control-plane pods
            // probe every second).
            let answer_fixed = match &container.probes[i].action {
                probe::ProbeAction::Http { .. } => container.listener.as_ref().is_some_and(|l| {
                    !matches!(
                        l.http,
                        crate::runtime::programs::HttpBehaviour::HealthyFor(_)
                    )
                }),
                probe::ProbeAction::Tcp { .. } | probe::ProbeAction::Grpc { .. } => true,
                probe::ProbeAction::Exec(_) => false,
            };
            let succeeded = result.is_ok();
            let run = &mut container.probes[i];
            match result {
                Ok(()) => {
                    run.failures = 0;
                    run.successes += 1;
                    if run.successes >= run.success_threshold {
                        match kind {
                            ProbeKind::Startup => {
                                run.next_at = None;
                                container.started_ok = true;
                                if !has_readiness {
                                    container.ready = true;
                                }
                                changed = true;
                            }
                            ProbeKind::Readiness if !container.ready => {
                                container.ready = true;
                                changed = true;
                            }
                            _ => {}
                        }
                    }
                }
                Err(message) => {
                    run.successes = 0;
                    run.failures += 1;
                    events.push((
                        EventType::Warning,
                        "Unhealthy",
                        format!("{} probe failed: {message}", kind.title()),
                    ));
                    if run.failures >= run.failure_threshold {
                        match kind {
                            ProbeKind::Readiness => {
                                if container.ready {
                                    container.ready = false;
                                    changed = true;
                                }
                            }
                            _ => kill = Some((kind, run.termination_grace_millis)),
                        }
                    }
                }
            }
            if succeeded
                && answer_fixed
                && (kind != ProbeKind::Readiness || container.ready)
                && container.probes[i].successes >= container.probes[i].success_threshold
            {
                container.probes[i].next_at = None;
            }
            if kill.is_some() {
                break;
            }
        }
        if let Some((kind, probe_grace_millis)) = kill {
            let name = container.name.clone();
            events.push((
                EventType::Normal,
                "Killing",
                format!(
                    "Container {name} failed {} probe{}",
                    kind.title().to_lowercase(),
                    if restarts { ", will be restarted" } else { "" }
                ),
            ));
            let grace_millis = probe_grace_millis.unwrap_or(grace_millis);
            let (exit_at, code) =
                sigterm_outcome(container.sigterm_exit, at, kill_deadline(at, grace_millis));
            for run in &mut container.probes {
                run.next_at = None;
            }
            let natural = match &container.action {
                Some((t, Action::Exited { code })) if *t <= exit_at => Some((*t, *code)),
                _ => None,
            };
            let (exit_at, code) = natural.unwrap_or((exit_at, code));
            container.action = Some((exit_at, Action::Exited { code }));
            changed = true;
        }
        for (kind, reason, message) in events {
            let _ =
                self.record_container_event(pod, &container_name, kind, reason, &message, source);
        }
        changed
    }
}
