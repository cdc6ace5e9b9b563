//! Workload controllers checked after every event on the simulated clock: a rolling update
//! never goes below `replicas - maxUnavailable` available pods nor above `replicas + maxSurge`
//! pods; Recreate leaves a moment with no pod; and random sequences of scale / image update /
//! pod deletion / node failure over many seeds keep the invariants (no child without its owner,
//! no pod on a node that does not exist) and converge (every Deployment ends with exactly its
//! replicas, all ready, in one ReplicaSet).

use cluster::{Cluster, SimDuration};
use model::Object;

fn apply(cluster: &mut Cluster, yaml: &str) {
    for object in model::decode_documents(yaml).expect("fixture decodes") {
        cluster.create(object).expect("fixture is valid");
    }
}

fn resource(plural: &str) -> &'static model::ResourceType {
    model::registry::resolve(plural).expect("registered")
}

/// Moves the clock to the next thing the cluster has planned (or one second when idle).
fn step(cluster: &mut Cluster) {
    let now = cluster.now();
    let next = cluster.next_wakeup().filter(|t| *t > now);
    let by = next.map_or(1_000, |t| t.since(now).as_millis().min(1_000));
    cluster.advance(SimDuration(by));
}

fn pods_of(cluster: &Cluster, app: &str) -> Vec<serde_json::Value> {
    cluster
        .list(resource("pods"), Some("default"))
        .iter()
        .map(|p| p.to_json_value())
        .filter(|p| p["metadata"]["labels"]["app"] == app)
        .collect()
}

fn terminating(pod: &serde_json::Value) -> bool {
    !pod["metadata"]["deletionTimestamp"].is_null()
}

fn ready(pod: &serde_json::Value) -> bool {
    pod["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == "Ready" && c["status"] == "True")
}

fn deployment(name: &str, replicas: u32, image: &str, strategy: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: default}}\nspec:\n  replicas: {replicas}\n  strategy: {strategy}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      terminationGracePeriodSeconds: 5\n      containers: [{{name: web, image: {image}, resources: {{requests: {{cpu: 10m, memory: 16Mi}}}}}}]\n"
    )
}

fn set_image(cluster: &mut Cluster, name: &str, image: &str) {
    let current = cluster
        .get(resource("deployments"), "default", name)
        .expect("deployment exists");
    let mut value = current.to_json_value();
    value["spec"]["template"]["spec"]["containers"][0]["image"] = image.into();
    cluster
        .update(Object::from_json_value(value).expect("decodes"))
        .expect("update is valid");
}

fn scale(cluster: &mut Cluster, name: &str, replicas: u32) {
    let current = cluster
        .get(resource("deployments"), "default", name)
        .expect("deployment exists");
    let mut value = current.to_json_value();
    value["spec"]["replicas"] = replicas.into();
    cluster
        .update(Object::from_json_value(value).expect("decodes"))
        .expect("update is valid");
}

fn settle(cluster: &mut Cluster, seconds: u64) {
    cluster.advance(SimDuration::from_secs(seconds));
}

#[test]
fn a_rolling_update_stays_within_surge_and_unavailability_after_every_event() {
    // (replicas, strategy, max surge, max unavailable) as upstream rounds them.
    let cases = [
        (3, "{type: RollingUpdate}", 1, 0),
        (
            10,
            "{type: RollingUpdate, rollingUpdate: {maxSurge: 3, maxUnavailable: 2}}",
            3,
            2,
        ),
        (
            4,
            "{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 50%}}",
            0,
            2,
        ),
    ];
    for (replicas, strategy, surge, unavailable) in cases {
        let mut cluster = Cluster::new(11);
        apply(
            &mut cluster,
            &deployment("web", replicas, "nginx:1.27", strategy),
        );
        settle(&mut cluster, 60);
        assert_eq!(
            pods_of(&cluster, "web").iter().filter(|p| ready(p)).count(),
            replicas as usize
        );
        set_image(&mut cluster, "web", "nginx:1.28");
        let mut events = 0;
        loop {
            step(&mut cluster);
            events += 1;
            let pods = pods_of(&cluster, "web");
            let live: Vec<_> = pods.iter().filter(|p| !terminating(p)).collect();
            let available = live.iter().filter(|p| ready(p)).count();
            assert!(
                live.len() <= (replicas + surge) as usize,
                "{strategy}: {} pods > {replicas} + {surge} at {:?}",
                live.len(),
                cluster.now()
            );
            assert!(
                available + unavailable as usize >= replicas as usize,
                "{strategy}: {available} available < {replicas} - {unavailable} at {:?}",
                cluster.now()
            );
            let updated = live
                .iter()
                .filter(|p| p["spec"]["containers"][0]["image"] == "nginx:1.28" && ready(p))
                .count();
            if updated == replicas as usize && live.len() == replicas as usize {
                break;
            }
            assert!(events < 2_000, "{strategy}: the rollout never finished");
        }
    }
}

#[test]
fn recreate_leaves_a_moment_without_pods() {
    let mut cluster = Cluster::new(5);
    apply(
        &mut cluster,
        &deployment("web", 3, "nginx:1.27", "{type: Recreate}"),
    );
    settle(&mut cluster, 60);
    set_image(&mut cluster, "web", "nginx:1.28");
    let mut saw_gap = false;
    for _ in 0..2_000 {
        step(&mut cluster);
        let pods = pods_of(&cluster, "web");
        let images: Vec<_> = pods
            .iter()
            .map(|p| p["spec"]["containers"][0]["image"].clone())
            .collect();
        // Never old and new pods at once.
        assert!(
            !(images.contains(&"nginx:1.27".into()) && images.contains(&"nginx:1.28".into())),
            "old and new pods together: {images:?}"
        );
        saw_gap |= !pods.iter().any(ready);
        if pods.iter().filter(|p| ready(p)).count() == 3 && images.iter().all(|i| i == "nginx:1.28")
        {
            break;
        }
    }
    assert!(saw_gap, "Recreate has an instant with no ready pod");
}

/// A tiny deterministic generator (the property test needs no crate).
struct Draws(u64);

impl Draws {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

fn check_invariants(cluster: &Cluster, seed: u64) {
    let nodes: Vec<String> = cluster
        .list(resource("nodes"), None)
        .iter()
        .map(|n| n.name().to_string())
        .collect();
    let uids: std::collections::BTreeSet<String> = ["deployments", "replicasets", "daemonsets"]
        .iter()
        .flat_map(|plural| cluster.list(resource(plural), None))
        .filter_map(|o| o.metadata().uid.clone())
        .collect();
    for plural in ["replicasets", "pods"] {
        for object in cluster.list(resource(plural), Some("default")) {
            for owner in object.metadata().owner_references.iter().flatten() {
                assert!(
                    uids.contains(&owner.uid),
                    "seed {seed}: {plural} {} outlived its owner {} at {:?}",
                    object.name(),
                    owner.name,
                    cluster.now()
                );
            }
        }
    }
    for pod in cluster.list(resource("pods"), None) {
        let value = pod.to_json_value();
        if let Some(node) = value["spec"]["nodeName"].as_str() {
            assert!(
                nodes.iter().any(|n| n == node),
                "seed {seed}: pod {} is on {node}, which does not exist",
                pod.name()
            );
        }
    }
}

#[test]
fn random_scale_update_delete_and_node_failures_keep_the_invariants_and_converge() {
    for seed in 0..5u64 {
        let mut cluster = Cluster::new(seed);
        let mut draws = Draws(seed ^ 0x5eed);
        let mut replicas = [2u32, 3u32];
        for (i, name) in ["alpha", "beta"].iter().enumerate() {
            apply(
                &mut cluster,
                &deployment(name, replicas[i], "nginx:1.27", "{type: RollingUpdate}"),
            );
        }
        let mut failed: Vec<String> = Vec::new();
        for _ in 0..25 {
            let which = draws.next(2) as usize;
            let name = ["alpha", "beta"][which];
            match draws.next(6) {
                0 => {
                    replicas[which] = draws.next(6) as u32;
                    scale(&mut cluster, name, replicas[which]);
                }
                1 => {
                    let image = ["nginx:1.27", "nginx:1.28", "httpd:2.4"][draws.next(3) as usize];
                    set_image(&mut cluster, name, image);
                }
                2 => {
                    let pods = pods_of(&cluster, name);
                    if !pods.is_empty() {
                        let pod = &pods[draws.next(pods.len() as u64) as usize];
                        let _ = cluster.delete(
                            resource("pods"),
                            "default",
                            pod["metadata"]["name"].as_str().unwrap_or(""),
                        );
                    }
                }
                3 => {
                    let node = format!("node-{}", 1 + draws.next(3));
                    if failed.len() < 2 && !failed.contains(&node) {
                        cluster.fail_node(&node).expect("node exists");
                        failed.push(node);
                    }
                }
                4 => {
                    if let Some(node) = failed.pop() {
                        cluster.recover_node(&node).expect("node exists");
                    }
                }
                _ => {}
            }
            // Let some events happen, checking after each.
            for _ in 0..draws.next(40) {
                step(&mut cluster);
                check_invariants(&cluster, seed);
            }
        }
        for node in failed.drain(..) {
            cluster.recover_node(&node).expect("node exists");
        }
        settle(&mut cluster, 900);
        check_invariants(&cluster, seed);
        for (i, name) in ["alpha", "beta"].iter().enumerate() {
            let pods = pods_of(&cluster, name);
            let live: Vec<_> = pods.iter().filter(|p| !terminating(p)).collect();
            assert_eq!(
                live.len(),
                replicas[i] as usize,
                "seed {seed}: {name} has {} pods, wants {}",
                live.len(),
                replicas[i]
            );
            assert!(
                live.iter().all(|p| ready(p)),
                "seed {seed}: {name} has pods that are not ready: {:#?}",
                live.iter()
                    .map(|p| (
                        p["metadata"]["name"].clone(),
                        p["spec"]["nodeName"].clone(),
                        p["status"]["phase"].clone(),
                        p["status"]["containerStatuses"].clone(),
                        p["status"]["conditions"].clone()
                    ))
                    .collect::<Vec<_>>()
            );
            let scaled: Vec<_> = cluster
                .list(resource("replicasets"), Some("default"))
                .iter()
                .map(|r| r.to_json_value())
                .filter(|r| r["metadata"]["labels"]["app"] == *name)
                .filter(|r| r["spec"]["replicas"].as_u64().unwrap_or(0) > 0)
                .collect();
            assert!(
                scaled.len() <= 1,
                "seed {seed}: {name} ends with {} scaled ReplicaSets",
                scaled.len()
            );
        }
    }
}
