//! Benchmarks (`cargo bench -p cli`): wall time of the engine's hot paths, natively.
//!
//! - apply pipeline: decode + default + validate + admit + store of a 1,000-object multi-document
//!   file through `kubectl apply -f`, beside a bare `serde_yaml` decode of the same bytes (the
//!   ratio is the figure that matters);
//! - `kubectl get pods -o wide` over 10,000 pods;
//! - memory: bytes of store per pod (DESIGN.md budgets 3 KB);
//! - a running cluster: 300 pods of a Deployment scheduled, started and rolled to a new image
//! - a 1,000-replica Deployment rolled to a new image on a 12-worker shape (wall time, writes)
//! - the scheduler at 5,000 nodes: 2,000 pods bound (pods/s) and all Running (pods/s)
//!   (`run`), and 2,000 bare pods applied and run for a simulated minute (`crowd`).
//!
//! A benchmark measures the wall clock by definition, so this file (and only this file) may call
//! `Instant::now`; the engine itself never does.
#![allow(clippy::disallowed_methods)]

use std::time::{Duration, Instant};

use scenario::script::{Command, NoFiles};
use scenario::Session;

fn manifest(count: usize) -> String {
    let mut text = String::new();
    for i in 0..count {
        text.push_str(&format!(
            "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-{i}\n  labels:\n    app: web\n    tier: frontend\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n    resources:\n      requests:\n        cpu: 100m\n        memory: 64Mi\n"
        ));
    }
    text
}

fn kubectl(session: &mut Session, args: &[&str], stdin: Option<String>) -> kubectl::Output {
    let command = Command::Kubectl {
        args: args.iter().map(|s| s.to_string()).collect(),
        stdin,
    };
    session.execute(&command, &NoFiles)
}

/// Runs `work` until at least `budget` has passed (at least 3 times); returns the median.
fn measure(budget: Duration, mut work: impl FnMut()) -> Duration {
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 3 || started.elapsed() < budget {
        let t = Instant::now();
        work();
        samples.push(t.elapsed());
        if samples.len() >= 50 {
            break;
        }
    }
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));

    if wanted("apply") {
        let text = manifest(1000);
        let bare = measure(Duration::from_secs(2), || {
            for document in serde_yaml::Deserializer::from_str(&text) {
                let value: serde_yaml::Value =
                    serde::Deserialize::deserialize(document).unwrap_or_default();
                std::hint::black_box(value);
            }
        });
        let pipeline = measure(Duration::from_secs(3), || {
            let mut session = Session::new(1);
            let output = kubectl(&mut session, &["apply", "-f", "-"], Some(text.clone()));
            assert_eq!(output.exit_code, 0, "{}", output.stderr);
            std::hint::black_box(output);
        });
        println!(
            "apply pipeline, 1,000 pods ({} KB): {:.1} ms; bare serde_yaml decode: {:.1} ms; ratio {:.1}x",
            text.len() / 1024,
            pipeline.as_secs_f64() * 1e3,
            bare.as_secs_f64() * 1e3,
            pipeline.as_secs_f64() / bare.as_secs_f64()
        );
    }

    if wanted("get") || wanted("memory") {
        let mut session = Session::new(1);
        let text = manifest(10_000);
        let t = Instant::now();
        let output = kubectl(&mut session, &["apply", "-f", "-"], Some(text));
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let load = t.elapsed();
        if wanted("get") {
            let get = measure(Duration::from_secs(3), || {
                let output = kubectl(&mut session, &["get", "pods", "-o", "wide"], None);
                assert_eq!(output.stdout.lines().count(), 10_001);
                std::hint::black_box(output);
            });
            println!(
                "kubectl get pods -o wide, 10,000 pods: {:.1} ms (loading them: {:.2} s)",
                get.as_secs_f64() * 1e3,
                load.as_secs_f64()
            );
        }
        if wanted("memory") {
            let snapshot = session.cluster.snapshot();
            let bytes: usize = snapshot
                .store
                .values()
                .map(|o| {
                    serde_json::to_vec(&o.to_json_value())
                        .map(|v| v.len())
                        .unwrap_or(0)
                })
                .sum();
            println!(
                "store: {} objects; serialized JSON {:.1} KB per pod (in-memory typed objects are ~2-3x that; DESIGN.md budget: 3 KB)",
                snapshot.store.len(),
                bytes as f64 / 10_000.0 / 1024.0
            );
        }
    }

    if wanted("run") {
        let started = Instant::now();
        let mut session = Session::new(1);
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 300\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        resources:\n          requests: {cpu: 10m, memory: 16Mi}\n".to_string();
        let output = kubectl(&mut session, &["apply", "-f", "-"], Some(deployment));
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let t = Instant::now();
        let output = kubectl(&mut session, &["rollout", "status", "deployment/web"], None);
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let rollout_in = t.elapsed();
        let t = Instant::now();
        kubectl(
            &mut session,
            &["set", "image", "deployment/web", "nginx=nginx:1.28"],
            None,
        );
        let output = kubectl(&mut session, &["rollout", "status", "deployment/web"], None);
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        println!(
            "Deployment of 300 pods: up in {:.2} s, rolled to a new image in {:.2} s (total with boot {:.2} s)",
            rollout_in.as_secs_f64(),
            t.elapsed().as_secs_f64(),
            started.elapsed().as_secs_f64()
        );
    }

    if wanted("rollout1000") {
        // Issue 5's benchmark: a 1,000-replica Deployment rolled to a new image, on a cluster
        // shaped to hold it (12 workers × 110 pods).
        let shape = cluster::nodes::ClusterShape::from_yaml("workers: 12\n").expect("shape");
        let mut session = Session::with_shape(1, &shape);
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1000\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n        resources:\n          requests: {cpu: 10m, memory: 16Mi}\n".to_string();
        let output = kubectl(&mut session, &["apply", "-f", "-"], Some(deployment));
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let output = kubectl(&mut session, &["rollout", "status", "deployment/web"], None);
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let writes_before = session.cluster.resource_version();
        let simulated_before = session.cluster.now();
        let t = Instant::now();
        kubectl(
            &mut session,
            &["set", "image", "deployment/web", "nginx=nginx:1.28"],
            None,
        );
        let output = kubectl(&mut session, &["rollout", "status", "deployment/web"], None);
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        println!(
            "Deployment of 1,000 pods rolled to a new image: {:.2} s wall, {} API writes (watch events) over {} simulated s",
            t.elapsed().as_secs_f64(),
            session.cluster.resource_version() - writes_before,
            session.cluster.now().since(simulated_before).as_millis() / 1000
        );
    }

    if wanted("scheduler5000") {
        // Issue 4's benchmark: a 5,000-node cluster (its kube-proxy DaemonSet alone is 5,000
        // pods), then 2,000 pods created at once: how fast the scheduler binds them and how
        // fast they are all Running.
        let t = Instant::now();
        let shape = cluster::nodes::ClusterShape::from_yaml("workers: 4999\n").expect("shape");
        let mut session = Session::with_shape(1, &shape);
        let booted = t.elapsed();
        let mut text = manifest(2000);
        text = text
            .replace("cpu: 100m", "cpu: 1m")
            .replace("memory: 64Mi", "memory: 1Mi");
        session.react_instantly = false;
        let output = kubectl(&mut session, &["apply", "-f", "-"], Some(text));
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let pods = model::registry::resolve("pods").expect("registered");
        let count = |session: &Session, f: &dyn Fn(&serde_json::Value) -> bool| {
            session
                .cluster
                .list(pods, Some("default"))
                .iter()
                .map(|p| p.to_json_value())
                .filter(|p| f(p))
                .count()
        };
        let t = Instant::now();
        session.cluster.advance(cluster::SimDuration(0));
        let scheduled_in = t.elapsed();
        let bound = count(&session, &|p| p["spec"]["nodeName"].is_string());
        let t = Instant::now();
        let mut simulated = 0;
        while count(&session, &|p| p["status"]["phase"] == "Running") < 2000 && simulated < 120 {
            session.cluster.advance(cluster::SimDuration::from_secs(1));
            simulated += 1;
        }
        let running_in = t.elapsed() + scheduled_in;
        println!(
            "5,000 nodes: booted in {:.1} s; {bound} of 2,000 new pods bound in {:.2} s ({:.0} pods/s); all Running after {simulated} simulated s, {:.2} s wall ({:.0} pods/s created → Running)",
            booted.as_secs_f64(),
            scheduled_in.as_secs_f64(),
            bound as f64 / scheduled_in.as_secs_f64(),
            running_in.as_secs_f64(),
            2000.0 / running_in.as_secs_f64()
        );
    }

    if wanted("crowd") {
        let mut session = Session::new(1);
        let mut text = manifest(2000);
        text = text
            .replace("cpu: 100m", "cpu: 1m")
            .replace("memory: 64Mi", "memory: 1Mi");
        let t = Instant::now();
        let output = kubectl(&mut session, &["apply", "-f", "-"], Some(text));
        assert_eq!(output.exit_code, 0, "{}", output.stderr);
        let applied = t.elapsed();
        let t = Instant::now();
        session.execute(&Command::Sleep { millis: 60_000 }, &NoFiles);
        println!(
            "2,000 bare pods: applied and scheduled in {:.2} s; the next simulated minute in {:.2} s",
            applied.as_secs_f64(),
            t.elapsed().as_secs_f64()
        );
    }
}
