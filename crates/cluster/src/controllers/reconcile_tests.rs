//! Reconcile tests as data: a store written as YAML (objects with their status) goes in, the
//! writes a reconcile asks for come out as one line each.

use std::rc::Rc;

use model::Object;

use super::{ControllerView, Reconciled, Write};
use crate::Cluster;

/// A cluster holding exactly these objects (statuses included), with no control loop run.
fn store_of(yaml: &str) -> Cluster {
    let mut cluster = Cluster::new(7);
    let objects = model::decode_documents(yaml).expect("fixture decodes");
    for object in objects {
        let status = object.to_json_value().get("status").cloned();
        let created = cluster.create(object).expect("fixture object is valid");
        if let Some(status) = status {
            let mut value = created.to_json_value();
            value["status"] = status;
            let with_status = Object::from_json_value(value).expect("status decodes");
            cluster.update_status(with_status);
        }
    }
    cluster
}

fn describe_writes(reconciled: &Reconciled) -> Vec<String> {
    reconciled
        .writes
        .iter()
        .map(|write| match write {
            Write::Create { object, .. } => {
                let name = object
                    .metadata()
                    .generate_name
                    .clone()
                    .unwrap_or_else(|| object.name().to_string());
                let replicas = object.to_json_value()["spec"]["replicas"].clone();
                if replicas.is_null() {
                    format!("create {} {name}", object.kind())
                } else {
                    format!("create {} {name} replicas={replicas}", object.kind())
                }
            }
            Write::Update(object) => {
                let value = object.to_json_value();
                let owner = object
                    .metadata()
                    .owner_references
                    .as_ref()
                    .and_then(|r| r.first())
                    .map_or("none".to_string(), |r| r.name.clone());
                match object.kind() {
                    "Pod" => format!("update Pod {} owner={owner}", object.name()),
                    _ => format!(
                        "update {} {} replicas={}",
                        object.kind(),
                        object.name(),
                        value["spec"]["replicas"]
                    ),
                }
            }
            Write::UpdateStatus(object) => format!("status {}", object.name()),
            Write::Delete { target, .. } => format!("delete {} {}", target.kind(), target.name()),
            Write::ForceDelete(target) => {
                format!("force delete {} {}", target.kind(), target.name())
            }
            Write::Event { event, .. } => format!("event {}: {}", event.reason, event.message),
            Write::EventFrom {
                event, component, ..
            } => format!("event {} from {component}: {}", event.reason, event.message),
        })
        .filter(|line| !line.starts_with("status"))
        .collect()
}

/// What a controller sees of `cluster` now.
fn view_of(cluster: &Cluster) -> ControllerView<'_> {
    ControllerView {
        store: cluster.api.store(),
        now: cluster.now(),
        failures: &cluster.controllers.failures,
        kubelet_stopped: &cluster.faults.stopped_kubelets,
    }
}

fn reconcile_in(
    cluster: &Cluster,
    plural: &str,
    name: &str,
    reconcile: fn(&Rc<Object>, &ControllerView<'_>) -> Reconciled,
) -> Vec<String> {
    let object = cluster
        .get(super::resource(plural), "default", name)
        .expect("the object under test exists");
    let view = view_of(cluster);
    describe_writes(&reconcile(&object, &view))
}

const RS: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}\nspec:\n  replicas: REPLICAS\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx}]}\n";

fn pod(name: &str, labels: &str, node: Option<&str>, phase: &str, ready: bool) -> String {
    let node = node.map_or(String::new(), |n| format!("  nodeName: {n}\n"));
    let ready = if ready { "True" } else { "False" };
    format!(
        "---\napiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, labels: {{{labels}}}}}\nspec:\n{node}  containers: [{{name: c, image: nginx}}]\nstatus:\n  phase: {phase}\n  conditions: [{{type: Ready, status: \"{ready}\", lastTransitionTime: \"2026-01-01T00:00:00Z\"}}]\n"
    )
}

#[test]
fn replicaset_reconciles_as_upstream_does() {
    // (what, store, writes expected)
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "missing pods are created from the template",
            RS.replace("REPLICAS", "2"),
            vec!["create Pod web-", "create Pod web-"],
        ),
        (
            "orphans that match are adopted and counted",
            RS.replace("REPLICAS", "1")
                + &pod("stray", "app: web", Some("node-1"), "Running", true),
            vec!["update Pod stray owner=web"],
        ),
        (
            "pods that do not match are left alone",
            RS.replace("REPLICAS", "1") + &pod("other", "app: db", Some("node-1"), "Running", true),
            vec!["create Pod web-"],
        ),
        (
            "surplus goes unscheduled first, then pending, then not ready",
            RS.replace("REPLICAS", "1")
                + &pod("a-ready", "app: web", Some("node-1"), "Running", true)
                + &pod("b-unscheduled", "app: web", None, "Pending", false)
                + &pod("c-pending", "app: web", Some("node-2"), "Pending", false)
                + &pod("d-notready", "app: web", Some("node-3"), "Running", false),
            vec![
                "update Pod a-ready owner=web",
                "update Pod b-unscheduled owner=web",
                "update Pod c-pending owner=web",
                "update Pod d-notready owner=web",
                "delete Pod b-unscheduled",
                "delete Pod c-pending",
                "delete Pod d-notready",
            ],
        ),
        (
            "finished pods do not count",
            RS.replace("REPLICAS", "1")
                + &pod("done", "app: web", Some("node-1"), "Succeeded", false),
            vec!["update Pod done owner=web", "create Pod web-"],
        ),
    ];
    for (what, store, expected) in cases {
        let cluster = store_of(&store);
        let got = reconcile_in(&cluster, "replicasets", "web", super::replicaset::reconcile);
        assert_eq!(got, expected, "{what}");
    }
}

fn deployment_store(
    old_ready: i32,
    new_replicas: i32,
    new_ready: i32,
    old_replicas: i32,
) -> String {
    let rs = |name: &str, image: &str, hash: &str, revision: i32, replicas: i32, ready: i32| {
        format!(
            "---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: {name}\n  labels: {{app: web, pod-template-hash: {hash}}}\n  annotations: {{deployment.kubernetes.io/revision: \"{revision}\", deployment.kubernetes.io/desired-replicas: \"3\", deployment.kubernetes.io/max-replicas: \"4\"}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: web, pod-template-hash: {hash}}}}}\n  template:\n    metadata: {{labels: {{app: web, pod-template-hash: {hash}}}}}\n    spec: {{containers: [{{name: nginx, image: {image}}}]}}\nstatus: {{replicas: {replicas}, readyReplicas: {ready}, availableReplicas: {ready}}}\n"
        )
    };
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: nginx, image: nginx:1.26}]}\n";
    let mut store = deployment.to_string();
    store += &rs("web-old", "nginx:1.25", "old", 1, old_replicas, old_ready);
    if new_replicas >= 0 {
        store += &rs("web-new", "nginx:1.26", "new", 2, new_replicas, new_ready);
    }
    store
}

/// (what, old ready, new replicas (-1: no new set yet), new ready, old replicas, writes)
type RollingCase = (&'static str, i32, i32, i32, i32, Vec<&'static str>);

#[test]
fn rolling_update_moves_within_surge_and_unavailability() {
    // (what, old ready, new replicas (-1: none yet), new ready, old replicas, writes)
    let cases: Vec<RollingCase> = vec![
        (
            "the old set is adopted; a new set starts at the surge",
            3,
            -1,
            0,
            3,
            vec![],
        ),
        (
            "the new set grows to fill the surge",
            3,
            0,
            0,
            3,
            vec![
                "update ReplicaSet web-new replicas=1",
                "event ScalingReplicaSet: Scaled up replica set web-new from 0 to 1",
            ],
        ),
        (
            "nothing old goes while the new pod is unavailable",
            3,
            1,
            0,
            3,
            vec![],
        ),
        (
            "one old pod goes once the new one is available",
            3,
            1,
            1,
            3,
            vec![
                "update ReplicaSet web-old replicas=2",
                "event ScalingReplicaSet: Scaled down replica set web-old from 3 to 2",
            ],
        ),
        (
            "an unhealthy old pod goes at once, as far as the pod budget allows",
            1,
            1,
            1,
            3,
            vec![
                "update ReplicaSet web-old replicas=2",
                "event ScalingReplicaSet: Scaled down replica set web-old from 3 to 2",
            ],
        ),
    ];
    for (what, old_ready, new_replicas, new_ready, old_replicas, expected) in cases {
        let cluster = store_of(&deployment_store(
            old_ready,
            new_replicas,
            new_ready,
            old_replicas,
        ));
        let got = reconcile_in(&cluster, "deployments", "web", super::deployment::reconcile);
        // Adoption writes come first (the fixtures' sets have no owner yet), one per set; the
        // rest is the plan.
        let adopted = if new_replicas < 0 { 1 } else { 2 };
        let got: Vec<String> = got
            .into_iter()
            .filter(|l| !l.starts_with("update Deployment"))
            .skip(adopted)
            .collect();
        if new_replicas < 0 {
            assert!(
                got.iter()
                    .any(|l| l.starts_with("create ReplicaSet web-") && l.ends_with("replicas=1")),
                "{what}: {got:#?}"
            );
            continue;
        }
        assert_eq!(got, expected, "{what}");
    }
}

fn job_store(spec: &str, pods: &[(&str, &str, i64)]) -> Cluster {
    let mut cluster = store_of(&format!(
        "apiVersion: batch/v1\nkind: Job\nmetadata: {{name: pi}}\nspec:\n{spec}  template:\n    spec:\n      restartPolicy: Never\n      containers: [{{name: pi, image: perl}}]\n"
    ));
    let job = cluster
        .get(super::resource("jobs"), "default", "pi")
        .expect("job");
    for (name, phase, exit_code) in pods {
        let mut pod = model::decode_documents(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  restartPolicy: Never\n  containers: [{{name: pi, image: perl}}]\n"
        ))
        .expect("pod")
        .remove(0);
        pod.metadata_mut().owner_references = Some(vec![super::controller_reference(&job)]);
        let created = cluster.create(pod).expect("pod is valid");
        let mut value = created.to_json_value();
        value["status"]["phase"] = serde_json::json!(phase);
        if *phase != "Running" {
            value["status"]["containerStatuses"] = serde_json::json!([{
                "name": "pi", "image": "perl", "imageID": "", "ready": false, "restartCount": 0,
                "state": {"terminated": {"exitCode": exit_code, "finishedAt": "2026-01-01T00:00:00Z"}}
            }]);
        }
        cluster.update_status(Object::from_json_value(value).expect("status"));
    }
    cluster
}

fn job_outcome(cluster: &Cluster) -> Vec<String> {
    let job = cluster
        .get(super::resource("jobs"), "default", "pi")
        .expect("job");
    let view = view_of(cluster);
    let reconciled = super::job::reconcile(&job, &view);
    let mut lines = describe_writes(&reconciled);
    for write in &reconciled.writes {
        if let Write::UpdateStatus(object) = write {
            let status = &object.to_json_value()["status"];
            let conditions: Vec<String> = status["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| {
                    format!(
                        "{}={}",
                        c["type"].as_str().unwrap_or(""),
                        c["reason"].as_str().unwrap_or("")
                    )
                })
                .collect();
            lines.push(format!(
                "status active={} succeeded={} failed={} conditions=[{}]",
                status["active"],
                status["succeeded"],
                status["failed"],
                conditions.join(",")
            ));
        }
    }
    lines
}

#[test]
fn job_runs_until_completions_and_fails_past_its_backoff_limit() {
    type JobCase = (
        &'static str,
        &'static str,
        Vec<(&'static str, &'static str, i64)>,
        Vec<&'static str>,
    );
    let cases: Vec<JobCase> = vec![
        (
            "a new job starts parallelism pods",
            "  completions: 3\n  parallelism: 2\n",
            vec![],
            vec!["create Pod pi-", "create Pod pi-", "status active=null succeeded=null failed=null conditions=[]"],
        ),
        (
            "successes count towards completions",
            "  completions: 2\n",
            vec![("pi-a", "Succeeded", 0)],
            vec!["create Pod pi-", "status active=null succeeded=1 failed=null conditions=[]"],
        ),
        (
            "enough successes complete the job",
            "  completions: 2\n",
            vec![("pi-a", "Succeeded", 0), ("pi-b", "Succeeded", 0)],
            vec![
                "event Completed: Job completed",
                "status active=null succeeded=2 failed=null conditions=[SuccessCriteriaMet=CompletionsReached,Complete=CompletionsReached]",
            ],
        ),
        (
            "a failure waits out its back-off before the retry",
            "  backoffLimit: 2\n",
            vec![("pi-a", "Failed", 1)],
            vec!["status active=null succeeded=null failed=1 conditions=[]"],
        ),
        (
            "failures past the backoff limit fail the job",
            "  backoffLimit: 1\n",
            vec![("pi-a", "Failed", 1), ("pi-b", "Failed", 1)],
            vec![
                "event BackoffLimitExceeded: Job has reached the specified backoff limit",
                "status active=null succeeded=null failed=2 conditions=[FailureTarget=BackoffLimitExceeded,Failed=BackoffLimitExceeded]",
            ],
        ),
        (
            "a FailJob rule fails the job at once",
            "  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes: {containerName: pi, operator: In, values: [42]}\n",
            vec![("pi-a", "Failed", 42)],
            vec![
                "event PodFailurePolicy: Container pi for pod default/pi-a failed with exit code 42 matching FailJob rule at index 0",
                "status active=null succeeded=null failed=1 conditions=[FailureTarget=PodFailurePolicy,Failed=PodFailurePolicy]",
            ],
        ),
        (
            "an Ignore rule does not count the failure",
            "  backoffLimit: 0\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes: {operator: In, values: [137]}\n",
            vec![("pi-a", "Failed", 137)],
            vec!["create Pod pi-", "status active=null succeeded=null failed=null conditions=[]"],
        ),
    ];
    for (what, spec, pods, expected) in cases {
        let cluster = job_store(spec, &pods);
        assert_eq!(job_outcome(&cluster), expected, "{what}");
    }
}

fn volume(name: &str, class: &str, size: &str, modes: &str, labels: &str) -> String {
    format!(
        "---\napiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: {name}, labels: {{{labels}}}}}\nspec:\n  storageClassName: \"{class}\"\n  capacity: {{storage: {size}}}\n  accessModes: [{modes}]\n  hostPath: {{path: /mnt/{name}}}\n"
    )
}

fn claim(name: &str, class: &str, size: &str, modes: &str, selector: &str) -> String {
    format!(
        "---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: {name}}}\nspec:\n  storageClassName: \"{class}\"\n  accessModes: [{modes}]\n  resources: {{requests: {{storage: {size}}}}}\n{selector}"
    )
}

#[test]
fn claims_bind_to_the_smallest_volume_that_satisfies_them() {
    let volumes = [
        volume("big", "manual", "10Gi", "ReadWriteOnce", ""),
        volume("small", "manual", "2Gi", "ReadWriteOnce", ""),
        volume("tiny", "manual", "1Gi", "ReadWriteOnce", ""),
        volume(
            "shared",
            "manual",
            "5Gi",
            "ReadWriteOnce, ReadWriteMany",
            "tier: gold",
        ),
        volume("other-class", "fast", "3Gi", "ReadWriteOnce", ""),
    ]
    .concat();
    let cases: &[(&str, &str)] = &[
        // Smallest capacity that is large enough.
        (
            &claim("c", "manual", "1500Mi", "ReadWriteOnce", ""),
            "update PersistentVolume small replicas=null | update PersistentVolumeClaim c replicas=null",
        ),
        // Access modes must all be offered.
        (
            &claim("c", "manual", "1Gi", "ReadWriteMany", ""),
            "update PersistentVolume shared replicas=null | update PersistentVolumeClaim c replicas=null",
        ),
        // A selector narrows the choice.
        (
            &claim("c", "manual", "1Gi", "ReadWriteOnce", "  selector: {matchLabels: {tier: gold}}\n"),
            "update PersistentVolume shared replicas=null | update PersistentVolumeClaim c replicas=null",
        ),
        // Nothing large enough, and no class to provision from.
        (
            &claim("c", "", "20Gi", "ReadWriteOnce", ""),
            "event FailedBinding: no persistent volumes available for this claim and no storage class is set",
        ),
        // A class that does not exist.
        (
            &claim("c", "gold", "1Gi", "ReadWriteOnce", ""),
            "event ProvisioningFailed: storageclass.storage.k8s.io \"gold\" not found",
        ),
    ];
    for (claim_yaml, expected) in cases {
        let cluster = store_of(&format!("{volumes}{claim_yaml}"));
        let writes = reconcile_in(
            &cluster,
            "persistentvolumeclaims",
            "c",
            super::persistentvolume::reconcile_claim,
        );
        assert_eq!(writes.join(" | "), *expected, "claim:\n{claim_yaml}");
    }
}

#[test]
fn default_class_claims_wait_for_a_consumer_then_get_a_provisioned_volume() {
    let claim_yaml = claim("c", "standard", "1Gi", "ReadWriteOnce", "");
    let cluster = store_of(&claim_yaml);
    let writes = reconcile_in(
        &cluster,
        "persistentvolumeclaims",
        "c",
        super::persistentvolume::reconcile_claim,
    );
    assert_eq!(
        writes,
        ["event WaitForFirstConsumer: waiting for first consumer to be created before binding"]
    );
    let consumer = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeName: node-2\n  containers: [{name: c, image: nginx}]\n  volumes: [{name: v, persistentVolumeClaim: {claimName: c}}]\n";
    let cluster = store_of(&format!("{claim_yaml}{consumer}"));
    let writes = reconcile_in(
        &cluster,
        "persistentvolumeclaims",
        "c",
        super::persistentvolume::reconcile_claim,
    );
    assert_eq!(writes.len(), 5, "{writes:?}");
    assert!(
        writes[0].starts_with("update PersistentVolumeClaim c"),
        "{writes:?}"
    );
    assert!(writes[1].starts_with("event ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'rancher.io/local-path'"));
    assert!(writes[2].starts_with("event Provisioning from rancher.io/local-path_"));
    assert!(writes[3].starts_with("create PersistentVolume pvc-"));
    assert!(writes[4].starts_with("event ProvisioningSucceeded from rancher.io/local-path_"));
}

/// The HPA fixture: Deployment `web` (REPLICAS), its pods (requests `cpu: 200m` unless
/// NOREQUEST), an HPA at 50% CPU between 1 and 10.
fn autoscaled(replicas: usize, with_requests: bool) -> String {
    let requests = if with_requests {
        ", resources: {requests: {cpu: 200m}}"
    } else {
        ""
    };
    let mut yaml = format!("apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: c, image: nginx}}]}}\n---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: web}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n  minReplicas: 1\n  maxReplicas: 10\n  metrics: [{{type: Resource, resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 50}}}}}}]\n");
    for i in 0..replicas {
        yaml.push_str(&format!("---\napiVersion: v1\nkind: Pod\nmetadata: {{name: web-{i}, labels: {{app: web}}}}\nspec:\n  nodeName: node-1\n  containers: [{{name: c, image: nginx{requests}}}]\nstatus:\n  phase: Running\n  startTime: \"2025-12-31T23:55:00Z\"\n  conditions: [{{type: Ready, status: \"True\", lastTransitionTime: \"2025-12-31T23:55:05Z\"}}]\n"));
    }
    yaml
}

/// Every pod of the fixture using `millicores`, measured at the cluster's instant.
fn cpu_metrics(cluster: &Cluster, pods: usize, millicores: u64) -> Vec<crate::metrics::PodMetrics> {
    (0..pods)
        .map(|i| crate::metrics::PodMetrics {
            namespace: "default".into(),
            name: format!("web-{i}"),
            timestamp: cluster.now(),
            window_millis: 15_000,
            containers: vec![crate::metrics::ContainerMetrics {
                name: "c".into(),
                cpu_millicores: millicores,
                memory_bytes: 1 << 20,
            }],
        })
        .collect()
}

fn autoscale_once(
    cluster: &Cluster,
    metrics: Option<&[crate::metrics::PodMetrics]>,
    memory: &super::horizontalpodautoscaler::AutoscalerMemory,
) -> (
    Vec<String>,
    super::horizontalpodautoscaler::AutoscalerMemory,
) {
    let hpa = cluster
        .get(
            super::resource("horizontalpodautoscalers"),
            "default",
            "web",
        )
        .expect("the HPA exists");
    let view = view_of(cluster);
    let (reconciled, memory) =
        super::horizontalpodautoscaler::reconcile(&hpa, &view, metrics, memory);
    (describe_writes(&reconciled), memory)
}

#[test]
fn horizontal_pod_autoscaler_reconciles_as_upstream_does() {
    let fresh = Default::default();
    // 150% of the request on 2 pods wants 6; without a behavior, at most max(2×2, 4) = 4.
    let cluster = store_of(&autoscaled(2, true));
    let (writes, _) = autoscale_once(&cluster, Some(&cpu_metrics(&cluster, 2, 300)), &fresh);
    assert_eq!(
        writes,
        [
            "update Deployment web replicas=4",
            "event SuccessfulRescale from horizontal-pod-autoscaler: New size: 4; reason: cpu resource utilization (percentage of request) above target"
        ]
    );
    // 54% against 50% is within the 0.1 tolerance: nothing changes.
    let (writes, _) = autoscale_once(&cluster, Some(&cpu_metrics(&cluster, 2, 108)), &fresh);
    assert!(writes.is_empty(), "{writes:?}");
    // Low use scales down, unless a higher recommendation is less than 5 minutes old.
    let cluster = store_of(&autoscaled(4, true));
    let (writes, memory) = autoscale_once(&cluster, Some(&cpu_metrics(&cluster, 4, 20)), &fresh);
    assert!(
        writes.is_empty(),
        "the initial recommendation (4) holds: {writes:?}"
    );
    assert_eq!(memory.recommendations.len(), 2);
    let mut old = memory.clone();
    old.recommendations = vec![(1, crate::SimTime(0))];
    let (writes, _) = autoscale_once(&cluster, Some(&cpu_metrics(&cluster, 4, 20)), &old);
    assert_eq!(
        writes,
        [
            "update Deployment web replicas=1",
            "event SuccessfulRescale from horizontal-pod-autoscaler: New size: 1; reason: All metrics below target"
        ]
    );
    // No metrics API, and pods without requests: upstream's errors, no scaling.
    let (writes, _) = autoscale_once(&cluster, None, &fresh);
    assert_eq!(writes, [
        "event FailedGetResourceMetric from horizontal-pod-autoscaler: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)",
        "event FailedComputeMetricsReplicas from horizontal-pod-autoscaler: invalid metrics (1 invalid out of 1), first error is: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)",
    ]);
    let cluster = store_of(&autoscaled(2, false));
    let (writes, _) = autoscale_once(&cluster, Some(&cpu_metrics(&cluster, 2, 300)), &fresh);
    assert_eq!(writes, [
        "event FailedGetResourceMetric from horizontal-pod-autoscaler: failed to get cpu utilization: missing request for cpu in container c of Pod web-0",
        "event FailedComputeMetricsReplicas from horizontal-pod-autoscaler: invalid metrics (1 invalid out of 1), first error is: failed to get cpu utilization: missing request for cpu in container c of Pod web-0",
    ]);
}

/// Writes as lines, with generated suffixes cut to their prefix (`create Pod agent-`).
fn prefixed(writes: Vec<String>) -> Vec<String> {
    writes
        .into_iter()
        .map(|w| match w.rsplit_once('-') {
            Some((head, tail))
                if w.starts_with("create ")
                    && tail.len() >= 5
                    && tail.chars().all(|c| c.is_ascii_alphanumeric()) =>
            {
                format!("{head}-")
            }
            _ => w,
        })
        .collect()
}

#[test]
fn daemonset_reconciles_as_upstream_does() {
    let ds = |extra: &str| {
        format!("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {{name: agent}}\nspec:\n  selector: {{matchLabels: {{app: agent}}}}\n  template:\n    metadata: {{labels: {{app: agent}}}}\n    spec:\n{extra}      containers: [{{name: a, image: nginx}}]\n")
    };
    // One pod per worker (the control plane's taint keeps it off), and the first revision.
    let cluster = store_of(&ds(""));
    let writes = prefixed(reconcile_in(
        &cluster,
        "daemonsets",
        "agent",
        super::daemonset::reconcile,
    ));
    assert_eq!(writes[0], "create ControllerRevision agent-");
    assert_eq!(
        &writes[1..],
        [
            "create Pod agent-",
            "create Pod agent-",
            "create Pod agent-"
        ]
    );
    // A nodeSelector narrows it; a toleration widens it to the control plane.
    let cluster = store_of(&ds(
        "      nodeSelector: {topology.kubernetes.io/zone: zone-a}\n",
    ));
    let writes = reconcile_in(&cluster, "daemonsets", "agent", super::daemonset::reconcile);
    assert_eq!(
        writes
            .iter()
            .filter(|w| w.starts_with("create Pod"))
            .count(),
        1,
        "{writes:?}"
    );
    let cluster = store_of(&ds("      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]\n"));
    let writes = reconcile_in(&cluster, "daemonsets", "agent", super::daemonset::reconcile);
    assert_eq!(
        writes
            .iter()
            .filter(|w| w.starts_with("create Pod"))
            .count(),
        4,
        "{writes:?}"
    );
}

#[test]
fn statefulset_reconciles_as_upstream_does() {
    let sts = |policy: &str| {
        format!("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{name: web}}\nspec:\n  serviceName: web\n  replicas: 3\n  podManagementPolicy: {policy}\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec: {{containers: [{{name: n, image: nginx}}]}}\n  volumeClaimTemplates:\n  - metadata: {{name: www}}\n    spec: {{accessModes: [ReadWriteOnce], resources: {{requests: {{storage: 1Gi}}}}}}\n")
    };
    // OrderedReady: only web-0 (and its claim) until it is Running and Ready.
    let cluster = store_of(&sts("OrderedReady"));
    let writes = prefixed(reconcile_in(
        &cluster,
        "statefulsets",
        "web",
        super::statefulset::reconcile,
    ));
    assert_eq!(
        writes,
        [
            "create ControllerRevision web-",
            "create PersistentVolumeClaim www-web-0",
            "create Pod web-0",
        ]
    );
    // Parallel: every ordinal at once.
    let cluster = store_of(&sts("Parallel"));
    let writes = reconcile_in(
        &cluster,
        "statefulsets",
        "web",
        super::statefulset::reconcile,
    );
    assert_eq!(
        writes
            .iter()
            .filter(|w| w.starts_with("create Pod web-"))
            .count(),
        3,
        "{writes:?}"
    );
    assert_eq!(
        writes
            .iter()
            .filter(|w| w.starts_with("create PersistentVolumeClaim www-web-"))
            .count(),
        3
    );
}

#[test]
fn cronjob_waits_for_its_schedule() {
    let cluster = store_of("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: hello}\nspec:\n  schedule: \"*/1 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers: [{name: hello, image: busybox, command: [date]}]\n");
    let object = cluster
        .get(super::resource("cronjobs"), "default", "hello")
        .expect("exists");
    let view = view_of(&cluster);
    let reconciled = super::cronjob::reconcile(&object, &view);
    let writes = describe_writes(&reconciled);
    assert!(
        writes.iter().all(|w| !w.starts_with("create Job")),
        "{writes:?}"
    );
    // It looks again at the next minute.
    let next_minute = crate::SimTime((cluster.now().0 / 60_000 + 1) * 60_000);
    assert_eq!(reconciled.requeue_at, Some(next_minute));
}

#[test]
fn pod_disruption_budget_counts_healthy_pods() {
    let pdb = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 2\n  selector: {matchLabels: {app: web}}\n";
    let cluster = store_of(&format!(
        "{pdb}{}{}{}",
        pod("a", "app: web", Some("node-1"), "Running", true),
        pod("b", "app: web", Some("node-2"), "Running", true),
        pod("c", "app: web", Some("node-3"), "Running", false),
    ));
    let object = cluster
        .get(super::resource("poddisruptionbudgets"), "default", "web")
        .expect("exists");
    let view = view_of(&cluster);
    let reconciled = super::disruption::reconcile(&object, &view);
    let status = reconciled
        .writes
        .iter()
        .find_map(|w| match w {
            Write::UpdateStatus(o) => Some(o.to_json_value()["status"].clone()),
            _ => None,
        })
        .expect("a status write");
    assert_eq!(status["currentHealthy"], 2);
    assert_eq!(status["desiredHealthy"], 2);
    assert_eq!(status["disruptionsAllowed"], 0);
    assert_eq!(status["expectedPods"], 3);
}

#[test]
fn horizontal_pod_autoscaler_behavior_policies_limit_the_rate() {
    let fresh = Default::default();
    // At most one pod more per minute: 2 pods at 150% want 6, get 3.
    let yaml = autoscaled(2, true).replace(
        "  maxReplicas: 10\n",
        "  maxReplicas: 10\n  behavior:\n    scaleUp:\n      policies: [{type: Pods, value: 1, periodSeconds: 60}]\n",
    );
    let cluster = store_of(&yaml);
    let (writes, memory) = autoscale_once(&cluster, Some(&cpu_metrics(&cluster, 2, 300)), &fresh);
    assert_eq!(
        writes,
        [
            "update Deployment web replicas=3",
            "event SuccessfulRescale from horizontal-pod-autoscaler: New size: 3; reason: cpu resource utilization (percentage of request) above target"
        ]
    );
    // The scale event is remembered: within the same minute no more pods are allowed.
    assert_eq!(memory.scale_up_events.len(), 1);
    // A scale-down stabilization window of 0 scales down at once.
    let yaml = autoscaled(4, true).replace(
        "  maxReplicas: 10\n",
        "  maxReplicas: 10\n  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 0\n",
    );
    let cluster = store_of(&yaml);
    let (writes, _) = autoscale_once(&cluster, Some(&cpu_metrics(&cluster, 4, 20)), &fresh);
    assert_eq!(
        writes,
        [
            "update Deployment web replicas=1",
            "event SuccessfulRescale from horizontal-pod-autoscaler: New size: 1; reason: All metrics below target"
        ]
    );
}

#[test]
fn cluster_role_aggregation_collects_matching_rules_once_and_then_rests() {
    let mut cluster = store_of(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: monitoring}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {watch: \"true\"}\n  - matchLabels: {extra: \"true\"}\nrules: [{apiGroups: [\"\"], resources: [nodes], verbs: [delete]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: b-pods, labels: {watch: \"true\", extra: \"true\"}}\nrules: [{apiGroups: [\"\"], resources: [pods], verbs: [get]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: a-services, labels: {watch: \"true\"}}\nrules: [{apiGroups: [\"\"], resources: [services], verbs: [list]}, {apiGroups: [\"\"], resources: [pods], verbs: [get]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: unrelated}\nrules: [{apiGroups: [\"\"], resources: [secrets], verbs: [get]}]\n",
    );
    let resource = super::resource("clusterroles");
    let role = cluster.get(resource, "", "monitoring").expect("exists");
    let reconciled = {
        let view = view_of(&cluster);
        super::clusterroleaggregation::reconcile(&role, &view)
    };
    let [Write::Update(updated)] = reconciled.writes.as_slice() else {
        panic!(
            "one update expected, got {} writes",
            reconciled.writes.len()
        );
    };
    // Selectors in order, the roles each one matches by name, each rule once; the hand-written
    // rule is replaced.
    let rules: Vec<String> = updated.to_json_value()["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| format!("{} {}", r["resources"][0], r["verbs"][0]))
        .collect();
    assert_eq!(rules, ["\"services\" \"list\"", "\"pods\" \"get\""]);
    cluster
        .update(updated.clone())
        .expect("the update is valid");
    let role = cluster.get(resource, "", "monitoring").expect("exists");
    let view = view_of(&cluster);
    assert!(super::clusterroleaggregation::reconcile(&role, &view)
        .writes
        .is_empty());
    // The bootstrap roles are aggregated by the time the cluster is up: view into edit into admin.
    for name in ["view", "edit", "admin"] {
        let role = cluster.get(resource, "", name).expect("bootstrap role");
        assert!(super::clusterroleaggregation::reconcile(&role, &view)
            .writes
            .is_empty());
    }
}
