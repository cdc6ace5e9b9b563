//! The pod status the kubelet writes: container statuses (waiting/running/terminated, last
//! state, ids, readiness), the conditions, and the phase as the kubelet's `getPhase` decides it.

use super::*;
use model::sort::SortSlice;

/// `nginx` → `docker.io/library/nginx:latest`, as container statuses name images.
pub(super) fn full_image_name(image: &str) -> String {
    match catalog::parse_reference(image) {
        Ok(reference) => reference.full_name(),
        Err(_) => image.to_string(),
    }
}

/// A 64-hex-digit id (container ids, image digests) that looks random but is a pure function
/// of `parts` (FNV-1a, then SplitMix64 to spread the bits).
pub(super) fn hex_id(parts: &[&str]) -> String {
    let mut state = fnv(&parts.join("/"));
    let mut text = String::with_capacity(64);
    for _ in 0..4 {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        text.push_str(&format!("{:016x}", z ^ (z >> 31)));
    }
    text
}

/// The pod phase from its containers, as the kubelet's `getPhase` decides it.
pub(super) fn pod_phase(state: &KubeletPod) -> &'static str {
    let (init, rest) = state.containers.split_at(state.init_count);
    let app: Vec<&ContainerRun> = rest.iter().filter(|c| !c.ephemeral).collect();
    let mut pending_init = 0;
    let mut failed_init = 0;
    for c in init.iter().filter(|c| !c.sidecar) {
        match &c.state {
            ContainerState::Terminated(t) if t.exit_code == 0 => {}
            ContainerState::Terminated(_) => failed_init += 1,
            ContainerState::Waiting { .. }
                if c.last_terminated.as_ref().is_some_and(|t| t.exit_code != 0) =>
            {
                failed_init += 1
            }
            _ => pending_init += 1,
        }
    }
    if failed_init > 0 && state.restart_policy == "Never" {
        return "Failed";
    }
    if pending_init > 0 || failed_init > 0 {
        return "Pending";
    }
    let (mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0);
    // A running sidecar keeps the pod Running (a stopped one does not count).
    for c in init.iter().filter(|c| c.sidecar) {
        match &c.state {
            ContainerState::Running { .. } => running += 1,
            ContainerState::Waiting { .. } if c.last_terminated.is_none() => waiting += 1,
            _ => {}
        }
    }
    for c in app {
        match &c.state {
            ContainerState::Running { .. } => running += 1,
            ContainerState::Terminated(t) => {
                stopped += 1;
                if t.exit_code == 0 {
                    succeeded += 1;
                }
            }
            ContainerState::Waiting { .. } if c.last_terminated.is_some() => stopped += 1,
            ContainerState::Waiting { .. } => waiting += 1,
        }
    }
    if waiting > 0 {
        "Pending"
    } else if running > 0 {
        "Running"
    } else if stopped > 0 {
        if state.restart_policy == "Always" {
            "Running"
        } else if stopped == succeeded {
            "Succeeded"
        } else if state.restart_policy == "Never" {
            "Failed"
        } else {
            "Running"
        }
    } else {
        "Pending"
    }
}

impl Cluster {
    /// The node's pod subnet (`10.244.1` of `10.244.1.0/24`) and InternalIP.
    pub(super) fn node_network(&self, node: &str) -> (String, String) {
        let node = self
            .api_store()
            .get(&crate::api::key_for(
                model::registry::resolve("nodes").expect("registered"),
                "",
                node,
            ))
            .map(|n| n.to_json_value())
            .unwrap_or_default();
        let subnet = node["spec"]["podCIDR"]
            .as_str()
            .and_then(|c| c.strip_suffix(".0/24"))
            .unwrap_or("10.244.0")
            .to_string();
        let address = node["status"]["addresses"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|a| a["type"] == "InternalIP")
            .and_then(|a| a["address"].as_str())
            .unwrap_or("192.168.49.2")
            .to_string();
        (subnet, address)
    }

    pub(super) fn pod_status(&self, pod: &Value, state: &KubeletPod, now: SimTime) -> Value {
        let mut status = pod["status"].clone();
        let timestamp = |t: SimTime| serde_json::to_value(t.to_k8s_time()).unwrap_or_default();
        let node_ip = {
            let nodes = self.list(model::registry::resolve("nodes").expect("registered"), None);
            nodes
                .iter()
                .find(|n| n.name() == state.node)
                .and_then(|n| {
                    n.to_json_value()["status"]["addresses"]
                        .as_array()
                        .and_then(|a| a.iter().find(|x| x["type"] == "InternalIP").cloned())
                })
                .and_then(|a| a["address"].as_str().map(str::to_string))
                .unwrap_or_default()
        };
        status["hostIP"] = json!(node_ip);
        status["hostIPs"] = json!([{ "ip": node_ip }]);
        status["startTime"] = timestamp(state.seen_at);
        if let Some(ip) = &state.pod_ip {
            status["podIP"] = json!(ip);
            status["podIPs"] = json!([{ "ip": ip }]);
        }
        let terminated_json = |t: &Terminated| {
            let mut v = json!({
                "containerID": t.container_id,
                "exitCode": t.exit_code,
                "reason": t.reason,
                "startedAt": timestamp(t.started_at),
                "finishedAt": timestamp(t.finished_at),
            });
            if t.started_at == SimTime(0) && t.reason == "StartError" {
                v["startedAt"] = json!("1970-01-01T00:00:00Z");
            }
            if let Some(m) = &t.message {
                v["message"] = json!(m);
            }
            v
        };
        let container_status = |c: &ContainerRun| -> Value {
            let full = full_image_name(&c.image);
            let mut s = json!({
                "name": c.name,
                "image": full,
                "imageID": "",
                "ready": false,
                "restartCount": c.restart_count,
                "started": false,
                "lastState": {},
            });
            // The runtime reports the image's digest once it has made the container.
            if c.pulled && (c.process.is_some() || c.last_terminated.is_some()) {
                s["imageID"] = json!(format!(
                    "{}@sha256:{}",
                    full.rsplit_once(':').map_or(full.as_str(), |(n, _)| n),
                    hex_id(&[&c.image, "digest"])
                ));
            }
            if let Some(last) = &c.last_terminated {
                s["lastState"] = json!({ "terminated": terminated_json(last) });
            }
            match &c.state {
                ContainerState::Waiting { reason, message } => {
                    let mut w = json!({ "reason": reason });
                    if let Some(m) = message {
                        w["message"] = json!(m);
                    }
                    s["state"] = json!({ "waiting": w });
                    // A container waiting to restart keeps naming its last instance.
                    if let Some(last) = &c.last_terminated {
                        s["containerID"] = json!(last.container_id);
                    }
                }
                ContainerState::Running { started_at } => {
                    s["containerID"] = json!(format!(
                        "containerd://{}",
                        hex_id(&[&c.name, &state.node, &started_at.0.to_string(), &c.image])
                    ));
                    s["state"] = json!({ "running": { "startedAt": timestamp(*started_at) } });
                    s["ready"] = json!((!c.init || c.sidecar) && c.ready);
                    s["started"] = json!(c.started_ok);
                }
                ContainerState::Terminated(t) => {
                    s["containerID"] = json!(t.container_id);
                    s["state"] = json!({ "terminated": terminated_json(t) });
                    s["ready"] = json!(c.init && !c.sidecar && t.exit_code == 0);
                }
            }
            s
        };
        let (init, rest) = state.containers.split_at(state.init_count);
        let app: Vec<&ContainerRun> = rest.iter().filter(|c| !c.ephemeral).collect();
        let ephemeral: Vec<Value> = rest
            .iter()
            .filter(|c| c.ephemeral)
            .map(|c| {
                let mut s = container_status(c);
                if let Some(map) = s.as_object_mut() {
                    map.remove("started");
                    map.insert("ready".into(), json!(false));
                }
                s
            })
            .collect();
        if !ephemeral.is_empty() {
            status["ephemeralContainerStatuses"] = json!(ephemeral);
        }
        if !init.is_empty() {
            status["initContainerStatuses"] =
                json!(init.iter().map(container_status).collect::<Vec<_>>());
        }
        // The kubelet reports app containers sorted by name (init containers in spec order).
        let mut app_statuses: Vec<Value> = app.iter().map(|c| container_status(c)).collect();
        app_statuses.sort_stable_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
        status["containerStatuses"] = json!(app_statuses);
        let phase = pod_phase(state);
        let initialized_pending: Vec<&str> = init
            .iter()
            .filter(|c| match &c.state {
                ContainerState::Terminated(t) => !c.sidecar && t.exit_code != 0,
                ContainerState::Running { .. } => !c.sidecar,
                ContainerState::Waiting { .. } => true,
            })
            .map(|c| c.name.as_str())
            .collect();
        let unready: Vec<&str> = app
            .iter()
            .filter(|c| !matches!(c.state, ContainerState::Running { .. }) || !c.ready)
            .map(|c| c.name.as_str())
            .collect();
        let mut value = json!({ "status": status });
        let now_ts = timestamp(now);
        let terminal = phase == "Succeeded" || phase == "Failed";
        // The sandbox of a finished pod is torn down: the condition follows it.
        set_condition(
            &mut value,
            "PodReadyToStartContainers",
            if state.pod_ip.is_some() && !terminal {
                "True"
            } else {
                "False"
            },
            None,
            None,
            &now_ts,
        );
        if initialized_pending.is_empty() {
            set_condition(&mut value, "Initialized", "True", None, None, &now_ts);
        } else {
            set_condition(
                &mut value,
                "Initialized",
                "False",
                Some("ContainersNotInitialized"),
                Some(&format!(
                    "containers with incomplete status: [{}]",
                    initialized_pending.join(" ")
                )),
                &now_ts,
            );
        }
        if terminal {
            for kind in ["Ready", "ContainersReady"] {
                set_condition(
                    &mut value,
                    kind,
                    "False",
                    Some("PodCompleted"),
                    None,
                    &now_ts,
                );
            }
        } else if unready.is_empty() && initialized_pending.is_empty() {
            set_condition(&mut value, "Ready", "True", None, None, &now_ts);
            set_condition(&mut value, "ContainersReady", "True", None, None, &now_ts);
        } else {
            let message = format!("containers with unready status: [{}]", unready.join(" "));
            for kind in ["Ready", "ContainersReady"] {
                set_condition(
                    &mut value,
                    kind,
                    "False",
                    Some("ContainersNotReady"),
                    Some(&message),
                    &now_ts,
                );
            }
        }
        let mut status = value["status"].take();
        status["phase"] = json!(phase);
        if let Some(conditions) = status["conditions"].as_array_mut() {
            let order = [
                "PodReadyToStartContainers",
                "Initialized",
                "Ready",
                "ContainersReady",
                "PodScheduled",
            ];
            conditions.sort_stable_by_key(|c| {
                order
                    .iter()
                    .position(|o| c["type"] == *o)
                    .unwrap_or(order.len())
            });
        }
        status
    }
}
