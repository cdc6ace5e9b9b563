//! Admission plugins, rule by rule, with upstream's messages: LimitRanger (and LimitRange
//! defaulting), ServiceAccount, Priority, DefaultStorageClass, ResourceQuota (and the quota
//! status the controller keeps). Where the Kubernetes docs have a corpus manifest and quote the
//! outcome (../shared/corpus/INDEX.tsv), the manifest itself is used.

use std::path::PathBuf;
use std::rc::Rc;

use cluster::{ApiError, Cluster, ObjectKey, SimDuration};
use model::Object;

fn decode(yaml: &str) -> Object {
    let mut objects = model::decode_documents(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    assert_eq!(objects.len(), 1, "{yaml}");
    objects.remove(0)
}

fn create_in(cluster: &mut Cluster, namespace: &str, yaml: &str) -> Result<Rc<Object>, ApiError> {
    let mut object = decode(yaml);
    if object.resource_type().namespaced && object.namespace().is_empty() {
        object.metadata_mut().namespace = Some(namespace.to_string());
    }
    cluster.create(object)
}

fn create_ok(cluster: &mut Cluster, namespace: &str, yaml: &str) -> Rc<Object> {
    create_in(cluster, namespace, yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

fn namespace(cluster: &mut Cluster, name: &str) {
    create_ok(
        cluster,
        "",
        &format!("apiVersion: v1\nkind: Namespace\nmetadata: {{name: {name}}}\n"),
    );
}

fn get(cluster: &Cluster, plural: &str, namespace: &str, name: &str) -> serde_json::Value {
    let resource = model::registry::resolve(plural).expect("known resource");
    cluster
        .get(resource, namespace, name)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_json_value()
}

fn pod(name: &str, resources: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers:\n  - name: {name}-ctr\n    image: nginx\n    resources: {resources}\n"
    )
}

fn forbidden(message: &str) -> Result<(), String> {
    Err(format!("Error from server (Forbidden): {message}"))
}

fn outcome(result: Result<Rc<Object>, ApiError>) -> Result<(), String> {
    result.map(|_| ()).map_err(|e| {
        if e.reason == "Forbidden" {
            assert_eq!(e.code, 403, "{e}");
        }
        e.to_string()
    })
}

fn corpus(path: &str) -> Option<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    match std::fs::read_to_string(dir.join(path)) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!("SKIPPED: ../shared/corpus/{path} is not beside this checkout");
            None
        }
    }
}

// ---------------------------------------------------------------- LimitRange defaulting

#[test]
fn limit_range_items_are_defaulted_as_set_defaults_limit_range_item() {
    // (item, expected default, expected defaultRequest)
    let cases = [
        (
            "{type: Container, max: {memory: 1Gi}, min: {memory: 500Mi}}",
            r#"{"memory":"1Gi"}"#,
            r#"{"memory":"1Gi"}"#,
        ),
        (
            "{type: Container, max: {cpu: 800m}, min: {cpu: 200m}}",
            r#"{"cpu":"800m"}"#,
            r#"{"cpu":"800m"}"#,
        ),
        (
            "{type: Container, default: {memory: 512Mi}, defaultRequest: {memory: 256Mi}}",
            r#"{"memory":"512Mi"}"#,
            r#"{"memory":"256Mi"}"#,
        ),
        (
            "{type: Container, min: {cpu: 100m}}",
            "null",
            r#"{"cpu":"100m"}"#,
        ),
        (
            "{type: Container, default: {cpu: '1'}, min: {cpu: 100m, memory: 1Mi}}",
            r#"{"cpu":"1"}"#,
            r#"{"cpu":"1","memory":"1Mi"}"#,
        ),
        ("{type: Pod, max: {cpu: '2'}}", "null", "null"),
        ("{type: Container}", "null", "null"),
    ];
    for (item, default, default_request) in cases {
        let mut cluster = Cluster::new(1);
        create_ok(
            &mut cluster,
            "default",
            &format!("apiVersion: v1\nkind: LimitRange\nmetadata: {{name: lr}}\nspec:\n  limits:\n  - {item}\n"),
        );
        let stored = get(&cluster, "limitranges", "default", "lr");
        let limit = &stored["spec"]["limits"][0];
        assert_eq!(limit["default"].to_string(), default, "{item}");
        assert_eq!(
            limit["defaultRequest"].to_string(),
            default_request,
            "{item}"
        );
    }
}

// ---------------------------------------------------------------- LimitRanger

#[test]
fn limit_ranger_enforces_min_max_and_ratio_with_upstream_messages() {
    // (limit range items, pod resources, outcome)
    let cases: &[(&str, &str, Result<(), String>)] = &[
        (
            "{type: Container, max: {memory: 1Gi}, min: {memory: 500Mi}}",
            "{limits: {memory: 800Mi}, requests: {memory: 600Mi}}",
            Ok(()),
        ),
        (
            "{type: Container, max: {memory: 1Gi}, min: {memory: 500Mi}}",
            "{limits: {memory: 1.5Gi}, requests: {memory: 800Mi}}",
            forbidden(
                r#"pods "p" is forbidden: maximum memory usage per Container is 1Gi, but limit is 1536Mi"#,
            ),
        ),
        (
            "{type: Container, max: {memory: 1Gi}, min: {memory: 500Mi}}",
            "{limits: {memory: 800Mi}, requests: {memory: 100Mi}}",
            forbidden(
                r#"pods "p" is forbidden: minimum memory usage per Container is 500Mi, but request is 100Mi"#,
            ),
        ),
        (
            "{type: Container, max: {cpu: 800m}, min: {cpu: 200m}}",
            "{limits: {cpu: '1.5'}, requests: {cpu: 500m}}",
            forbidden(
                r#"pods "p" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m"#,
            ),
        ),
        (
            "{type: Container, max: {cpu: 800m}, min: {cpu: 200m}}",
            "{limits: {cpu: 800m}, requests: {cpu: 100m}}",
            forbidden(
                r#"pods "p" is forbidden: minimum cpu usage per Container is 200m, but request is 100m"#,
            ),
        ),
        // A max without a default is still defaulted from the max, so "no limit" needs the
        // default to be something else: a Pod-type max has no defaults at all.
        (
            "{type: Pod, max: {memory: 1Gi}}",
            "{requests: {memory: 100Mi}}",
            forbidden(
                r#"pods "p" is forbidden: maximum memory usage per Pod is 1Gi.  No limit is specified"#,
            ),
        ),
        (
            "{type: Pod, min: {memory: 100Mi}}",
            "{}",
            forbidden(
                r#"pods "p" is forbidden: minimum memory usage per Pod is 100Mi.  No request is specified"#,
            ),
        ),
        (
            "{type: Container, maxLimitRequestRatio: {memory: '2'}}",
            "{limits: {memory: 300Mi}, requests: {memory: 100Mi}}",
            forbidden(
                r#"pods "p" is forbidden: memory max limit to request ratio per Container is 2, but provided ratio is 3.000000"#,
            ),
        ),
        (
            "{type: Container, maxLimitRequestRatio: {memory: '2'}}",
            "{limits: {memory: 200Mi}, requests: {memory: 100Mi}}",
            Ok(()),
        ),
        (
            "{type: Container, maxLimitRequestRatio: {cpu: '4'}}",
            "{limits: {cpu: '1'}, requests: {cpu: '0'}}",
            forbidden(
                r#"pods "p" is forbidden: cpu max limit to request ratio per Container is 4, but no request is specified or request is 0"#,
            ),
        ),
        (
            "{type: Container, maxLimitRequestRatio: {cpu: '4'}}",
            "{requests: {cpu: 100m}}",
            forbidden(
                r#"pods "p" is forbidden: cpu max limit to request ratio per Container is 4, but no limit is specified or limit is 0"#,
            ),
        ),
        (
            "{type: Container, max: {cpu: '1', memory: 1Gi}}",
            "{limits: {cpu: '2', memory: 2Gi}}",
            forbidden(
                r#"pods "p" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]"#,
            ),
        ),
    ];
    for (item, resources, expected) in cases {
        let mut cluster = Cluster::new(1);
        create_ok(
            &mut cluster,
            "default",
            &format!("apiVersion: v1\nkind: LimitRange\nmetadata: {{name: lr}}\nspec:\n  limits:\n  - {item}\n"),
        );
        let result = create_in(&mut cluster, "default", &pod("p", resources));
        assert_eq!(&outcome(result), expected, "{item} / {resources}");
    }
}

#[test]
fn pod_type_limits_apply_to_the_sum_of_the_containers() {
    // One container with a limit, one without: the pod's requests sum both, its limits one.
    let two_containers = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: nginx, resources: {requests: {memory: 600Mi}, limits: {memory: 600Mi}}}\n  - {name: b, image: nginx, resources: {requests: {memory: 600Mi}}}\n";
    for (item, expected) in [
        (
            "{type: Pod, max: {memory: 1Gi}}",
            forbidden(
                r#"pods "p" is forbidden: maximum memory usage per Pod is 1Gi, but request is 1200Mi"#,
            ),
        ),
        (
            "{type: Pod, min: {memory: 1Gi}}",
            forbidden(
                r#"pods "p" is forbidden: minimum memory usage per Pod is 1Gi, but limit is 600Mi"#,
            ),
        ),
        (
            "{type: Pod, max: {memory: 2Gi}, min: {memory: 100Mi}}",
            Ok(()),
        ),
    ] {
        let mut cluster = Cluster::new(1);
        create_ok(
            &mut cluster,
            "default",
            &format!("apiVersion: v1\nkind: LimitRange\nmetadata: {{name: lr}}\nspec:\n  limits:\n  - {item}\n"),
        );
        let result = create_in(&mut cluster, "default", two_containers);
        assert_eq!(outcome(result), expected, "{item}");
    }
}

#[test]
fn limit_ranger_defaults_container_resources_and_annotates_the_pod() {
    let mut cluster = Cluster::new(1);
    create_ok(
        &mut cluster,
        "default",
        "apiVersion: v1\nkind: LimitRange\nmetadata: {name: mem-limit-range}\nspec:\n  limits:\n  - {type: Container, default: {memory: 512Mi}, defaultRequest: {memory: 256Mi}}\n",
    );
    create_ok(
        &mut cluster,
        "default",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: default-mem-demo}\nspec:\n  initContainers: [{name: init, image: busybox, resources: {limits: {memory: 1Gi}}}]\n  containers: [{name: default-mem-demo-ctr, image: nginx}]\n",
    );
    let stored = get(&cluster, "pods", "default", "default-mem-demo");
    assert_eq!(
        stored["spec"]["containers"][0]["resources"].to_string(),
        r#"{"limits":{"memory":"512Mi"},"requests":{"memory":"256Mi"}}"#
    );
    // A limit without a request: the API server's defaulting made the request the limit before
    // the LimitRange was consulted (the "memory-default-namespace" task shows 1Gi, not 256Mi).
    assert_eq!(
        stored["spec"]["initContainers"][0]["resources"].to_string(),
        r#"{"limits":{"memory":"1Gi"},"requests":{"memory":"1Gi"}}"#
    );
    assert_eq!(
        stored["metadata"]["annotations"]["kubernetes.io/limit-ranger"],
        "LimitRanger plugin set: memory request for container default-mem-demo-ctr; memory limit for container default-mem-demo-ctr"
    );
    assert_eq!(stored["status"]["qosClass"], "Burstable");
    // Without a LimitRange nothing is added: no annotation, no empty resource lists.
    create_ok(&mut cluster, "kube-public", &pod("bare", "{}"));
    let bare = get(&cluster, "pods", "kube-public", "bare");
    assert_eq!(bare["metadata"]["annotations"], serde_json::Value::Null);
    assert_eq!(bare["spec"]["containers"][0]["resources"].to_string(), "{}");
}

#[test]
fn limit_ranger_bounds_claim_storage() {
    let mut cluster = Cluster::new(1);
    create_ok(
        &mut cluster,
        "default",
        "apiVersion: v1\nkind: LimitRange\nmetadata: {name: storagelimits}\nspec:\n  limits:\n  - {type: PersistentVolumeClaim, max: {storage: 2Gi}, min: {storage: 1Gi}}\n",
    );
    let claim = |name: &str, storage: &str| {
        format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: {name}}}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: {storage}}}}}\n")
    };
    for (name, storage, expected) in [
        ("ok", "1500Mi", Ok(())),
        (
            "too-big",
            "5Gi",
            forbidden(
                r#"persistentvolumeclaims "too-big" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi"#,
            ),
        ),
        (
            "too-small",
            "500Mi",
            forbidden(
                r#"persistentvolumeclaims "too-small" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi"#,
            ),
        ),
    ] {
        let result = create_in(&mut cluster, "default", &claim(name, storage));
        assert_eq!(outcome(result), expected, "{name}");
    }
}

#[test]
fn corpus_memory_constraints_pod_2_is_refused() {
    let (Some(limits), Some(manifest)) = (
        corpus("admin/resource/memory-constraints.yaml"),
        corpus("admin/resource/memory-constraints-pod-2.yaml"),
    ) else {
        return;
    };
    let mut cluster = Cluster::new(1);
    namespace(&mut cluster, "constraints-mem-example");
    create_ok(&mut cluster, "constraints-mem-example", &limits);
    let result = create_in(&mut cluster, "constraints-mem-example", &manifest);
    // The docs quote this message with a trailing period that upstream has since dropped.
    assert_eq!(
        outcome(result),
        forbidden(
            r#"pods "constraints-mem-demo-2" is forbidden: maximum memory usage per Container is 1Gi, but limit is 1536Mi"#
        )
    );
    // Without the LimitRange the same Pod is admitted.
    let mut cluster = Cluster::new(1);
    create_ok(&mut cluster, "default", &manifest);
}

// ---------------------------------------------------------------- ServiceAccount

#[test]
fn every_namespace_has_a_default_service_account() {
    let mut cluster = Cluster::new(1);
    namespace(&mut cluster, "dev");
    for ns in [
        "default",
        "kube-node-lease",
        "kube-public",
        "kube-system",
        "dev",
    ] {
        let account = get(&cluster, "serviceaccounts", ns, "default");
        assert_eq!(account["metadata"]["namespace"], ns);
        assert!(account["metadata"]["uid"].is_string());
    }
}

#[test]
fn service_account_must_exist() {
    let mut cluster = Cluster::new(1);
    let with_account = |account: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: robot}}\nspec:\n  serviceAccountName: {account}\n  containers: [{{name: app, image: nginx}}]\n")
    };
    assert_eq!(
        outcome(create_in(&mut cluster, "default", &with_account("robot"))),
        forbidden(
            r#"pods "robot" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found"#
        )
    );
    create_ok(
        &mut cluster,
        "default",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\nimagePullSecrets: [{name: registry}]\n",
    );
    create_ok(&mut cluster, "default", &with_account("robot"));
    let stored = get(&cluster, "pods", "default", "robot");
    assert_eq!(
        stored["spec"]["imagePullSecrets"].to_string(),
        r#"[{"name":"registry"}]"#
    );
    // Without a name, a Pod runs as `default`.
    create_ok(&mut cluster, "default", &pod("plain", "{}"));
    assert_eq!(
        get(&cluster, "pods", "default", "plain")["spec"]["serviceAccountName"],
        "default"
    );
}

#[test]
fn every_container_gets_the_api_credentials_unless_automount_is_off() {
    let mut cluster = Cluster::new(1);
    create_ok(
        &mut cluster,
        "default",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: both}\nspec:\n  initContainers: [{name: setup, image: busybox}]\n  containers:\n  - {name: app, image: nginx}\n  - name: own\n    image: nginx\n    volumeMounts: [{name: mine, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]\n  volumes: [{name: mine, emptyDir: {}}]\n",
    );
    let stored = get(&cluster, "pods", "default", "both");
    let volume = &stored["spec"]["volumes"][1];
    let name = volume["name"].as_str().expect("a second volume");
    assert!(
        name.starts_with("kube-api-access-") && name.len() == 21,
        "{name}"
    );
    assert_eq!(
        volume["projected"].to_string(),
        r#"{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},{"configMap":{"items":[{"key":"ca.crt","path":"ca.crt"}],"name":"kube-root-ca.crt"}},{"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"},"path":"namespace"}]}}]}"#
    );
    let token_mount = format!(
        r#"{{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"{name}","readOnly":true}}"#
    );
    assert_eq!(
        stored["spec"]["initContainers"][0]["volumeMounts"].to_string(),
        format!("[{token_mount}]")
    );
    assert_eq!(
        stored["spec"]["containers"][0]["volumeMounts"].to_string(),
        format!("[{token_mount}]")
    );
    // A container that mounts something at the path keeps its own.
    assert_eq!(
        stored["spec"]["containers"][1]["volumeMounts"].to_string(),
        r#"[{"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount","name":"mine"}]"#
    );

    // The Pod's word wins over its account's; the account's over the default (true).
    create_ok(
        &mut cluster,
        "default",
        "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: quiet}\nautomountServiceAccountToken: false\n",
    );
    let with = |name: &str, account: &str, automount: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  serviceAccountName: {account}\n{automount}  containers: [{{name: app, image: nginx}}]\n")
    };
    for (name, account, automount, mounted) in [
        ("quiet-default", "quiet", "", false),
        (
            "quiet-but-pod-says-yes",
            "quiet",
            "  automountServiceAccountToken: true\n",
            true,
        ),
        (
            "default-but-pod-says-no",
            "default",
            "  automountServiceAccountToken: false\n",
            false,
        ),
    ] {
        create_ok(&mut cluster, "default", &with(name, account, automount));
        let stored = get(&cluster, "pods", "default", name);
        assert_eq!(
            stored["spec"]["volumes"].is_array(),
            mounted,
            "{name}: {stored}"
        );
        assert_eq!(
            stored["spec"]["containers"][0]["volumeMounts"].is_array(),
            mounted,
            "{name}"
        );
    }

    // The control plane's mirror pods are left as the kubelet wrote them.
    let resource = model::registry::resolve("pods").expect("pods");
    for pod in cluster.list(resource, Some("kube-system")) {
        let value = pod.to_json_value();
        let mirror = value["metadata"]["annotations"]["kubernetes.io/config.mirror"].is_string();
        let mounts_token = value["spec"]["volumes"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|v| {
                v["name"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("kube-api-access-")
            });
        assert_eq!(mounts_token, !mirror, "{}", pod.name());
    }
}

// ---------------------------------------------------------------- Priority

const HIGH_PRIORITY: &str = "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high-priority}\nvalue: 1000000\nglobalDefault: false\ndescription: \"This priority class should be used for XYZ service pods only.\"\n";

fn with_class(name: &str, class: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  priorityClassName: {class}\n  containers: [{{name: app, image: nginx}}]\n")
}

#[test]
fn the_built_in_priority_classes_exist() {
    let cluster = Cluster::new(1);
    for (name, value) in [
        ("system-cluster-critical", 2_000_000_000),
        ("system-node-critical", 2_000_001_000),
    ] {
        let class = get(&cluster, "priorityclasses", "", name);
        assert_eq!(class["value"], value);
        assert_eq!(class["preemptionPolicy"], "PreemptLowerPriority");
    }
}

#[test]
fn priority_is_resolved_from_the_priority_class() {
    let mut cluster = Cluster::new(1);
    create_ok(&mut cluster, "", HIGH_PRIORITY);
    // (pod, outcome, expected priority, preemption policy)
    let cases = [
        (with_class("important", "high-priority"), Ok(()), Some(1_000_000), "PreemptLowerPriority"),
        (with_class("critical", "system-node-critical"), Ok(()), Some(2_000_001_000), "PreemptLowerPriority"),
        (
            with_class("lost", "no-such-class"),
            forbidden(r#"pods "lost" is forbidden: no PriorityClass with name no-such-class was found"#),
            None,
            "",
        ),
        (pod("plain", "{}"), Ok(()), Some(0), "PreemptLowerPriority"),
        (
            "apiVersion: v1\nkind: Pod\nmetadata: {name: liar}\nspec:\n  priorityClassName: high-priority\n  priority: 7\n  containers: [{name: app, image: nginx}]\n".to_string(),
            forbidden(r#"pods "liar" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 1000000 from the given PriorityClass name"#),
            None,
            "",
        ),
    ];
    for (manifest, expected, priority, policy) in cases {
        let object = decode(&manifest);
        let name = object.name().to_string();
        assert_eq!(outcome(cluster.create(object)), expected, "{name}");
        if let Some(priority) = priority {
            let stored = get(&cluster, "pods", "default", &name);
            assert_eq!(stored["spec"]["priority"], priority, "{name}");
            assert_eq!(stored["spec"]["preemptionPolicy"], policy, "{name}");
        }
    }
}

#[test]
fn a_global_default_priority_class_applies_to_pods_without_one() {
    let mut cluster = Cluster::new(1);
    create_ok(
        &mut cluster,
        "",
        "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: low}\nvalue: 100\nglobalDefault: true\npreemptionPolicy: Never\n",
    );
    assert_eq!(
        outcome(create_in(
            &mut cluster,
            "",
            "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: other}\nvalue: 200\nglobalDefault: true\n"
        )),
        forbidden(r#"priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass low is already marked as default. Only one default can exist"#)
    );
    create_ok(&mut cluster, "default", &pod("plain", "{}"));
    let stored = get(&cluster, "pods", "default", "plain");
    assert_eq!(stored["spec"]["priorityClassName"], "low");
    assert_eq!(stored["spec"]["priority"], 100);
    assert_eq!(stored["spec"]["preemptionPolicy"], "Never");
}

#[test]
fn corpus_high_priority_pod_needs_its_priority_class() {
    let Some(manifest) = corpus("policy/high-priority-pod.yaml") else {
        return;
    };
    let mut cluster = Cluster::new(1);
    assert_eq!(
        outcome(create_in(&mut cluster, "default", &manifest)),
        forbidden(
            r#"pods "high-priority" is forbidden: no PriorityClass with name high was found"#
        )
    );
    create_ok(
        &mut cluster,
        "",
        "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000000\n",
    );
    create_ok(&mut cluster, "default", &manifest);
}

// ---------------------------------------------------------------- DefaultStorageClass

fn claim(name: &str, class: Option<&str>) -> String {
    let class = class
        .map(|c| format!("  storageClassName: \"{c}\"\n"))
        .unwrap_or_default();
    format!("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {{name: {name}}}\nspec:\n{class}  accessModes: [ReadWriteOnce]\n  resources: {{requests: {{storage: 1Gi}}}}\n")
}

fn storage_class(name: &str, default: bool) -> String {
    let annotation = if default {
        "\n  annotations: {storageclass.kubernetes.io/is-default-class: \"true\"}"
    } else {
        ""
    };
    format!("apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: {name}{annotation}\nprovisioner: rancher.io/local-path\n")
}

#[test]
fn claims_without_a_class_get_the_newest_default_class() {
    let mut cluster = Cluster::new(1);
    // The cluster's own default class (kind's `standard`) goes first.
    cluster
        .delete(
            model::registry::resolve("storageclasses").unwrap(),
            "",
            "standard",
        )
        .expect("the default class exists");
    let class_of = |cluster: &Cluster, name: &str| {
        get(cluster, "pvc", "default", name)["spec"]["storageClassName"].clone()
    };
    create_ok(&mut cluster, "default", &claim("none-yet", None));
    assert_eq!(class_of(&cluster, "none-yet"), serde_json::Value::Null);
    create_ok(&mut cluster, "", &storage_class("not-default", false));
    create_ok(&mut cluster, "", &storage_class("standard", true));
    create_ok(&mut cluster, "default", &claim("defaulted", None));
    assert_eq!(class_of(&cluster, "defaulted"), "standard");
    create_ok(&mut cluster, "default", &claim("explicit-empty", Some("")));
    assert_eq!(class_of(&cluster, "explicit-empty"), "");
    create_ok(
        &mut cluster,
        "default",
        &claim("explicit", Some("not-default")),
    );
    assert_eq!(class_of(&cluster, "explicit"), "not-default");
    // Two defaults: the newest wins; at the same second, the first by name.
    cluster.advance(SimDuration::from_secs(5));
    create_ok(&mut cluster, "", &storage_class("fast", true));
    create_ok(&mut cluster, "default", &claim("newest", None));
    assert_eq!(class_of(&cluster, "newest"), "fast");
    create_ok(&mut cluster, "", &storage_class("aaa", true));
    create_ok(&mut cluster, "default", &claim("tie", None));
    assert_eq!(class_of(&cluster, "tie"), "aaa");
}

// ---------------------------------------------------------------- ResourceQuota

const QUOTA_MEM_CPU: &str = "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: mem-cpu-demo}\nspec:\n  hard: {requests.cpu: '1', requests.memory: 1Gi, limits.cpu: '2', limits.memory: 2Gi}\n";

fn quota_status(cluster: &Cluster, namespace: &str, name: &str) -> (String, String) {
    let quota = get(cluster, "resourcequotas", namespace, name);
    (
        quota["status"]["hard"].to_string(),
        quota["status"]["used"].to_string(),
    )
}

#[test]
fn a_new_quota_reports_hard_and_current_usage() {
    let mut cluster = Cluster::new(1);
    create_ok(
        &mut cluster,
        "default",
        &pod("before", "{requests: {cpu: 250m}}"),
    );
    create_ok(
        &mut cluster,
        "default",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\n",
    );
    create_ok(
        &mut cluster,
        "default",
        "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {pods: '10', requests.cpu: '2', configmaps: '5', count/services: '3', resourcequotas: '1', secrets: '4', count/deployments.apps: '2'}\n",
    );
    let (hard, used) = quota_status(&cluster, "default", "q");
    assert_eq!(
        hard,
        r#"{"configmaps":"5","count/deployments.apps":"2","count/services":"3","pods":"10","requests.cpu":"2","resourcequotas":"1","secrets":"4"}"#
    );
    // The `kubernetes` Service and the namespace's kube-root-ca.crt count; the quota counts itself.
    assert_eq!(
        used,
        r#"{"configmaps":"2","count/deployments.apps":"0","count/services":"1","pods":"1","requests.cpu":"250m","resourcequotas":"1","secrets":"0"}"#
    );
}

#[test]
fn quota_admission_refuses_with_upstream_messages() {
    // (quota hard, object to create after the first pod, outcome)
    let first = pod(
        "first",
        "{requests: {cpu: 400m, memory: 600Mi}, limits: {cpu: 800m, memory: 800Mi}}",
    );
    let cases: &[(&str, String, Result<(), String>)] = &[
        (
            "{requests.cpu: '1', requests.memory: 1Gi, limits.cpu: '2', limits.memory: 2Gi}",
            pod("second", "{requests: {cpu: 400m, memory: 700Mi}, limits: {cpu: 800m, memory: 1Gi}}"),
            forbidden(r#"pods "second" is forbidden: exceeded quota: q, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi"#),
        ),
        (
            "{requests.cpu: '1', requests.memory: 1Gi, limits.cpu: '2', limits.memory: 2Gi}",
            pod("second", "{requests: {cpu: 400m, memory: 100Mi}, limits: {cpu: 800m, memory: 1Gi}}"),
            Ok(()),
        ),
        (
            "{requests.cpu: '1', requests.memory: 1Gi, limits.cpu: '2', limits.memory: 2Gi}",
            pod("second", "{requests: {cpu: '1', memory: 1Gi}, limits: {cpu: '2', memory: 2Gi}}"),
            forbidden(r#"pods "second" is forbidden: exceeded quota: q, requested: limits.cpu=2,limits.memory=2Gi,requests.cpu=1,requests.memory=1Gi, used: limits.cpu=800m,limits.memory=800Mi,requests.cpu=400m,requests.memory=600Mi, limited: limits.cpu=2,limits.memory=2Gi,requests.cpu=1,requests.memory=1Gi"#),
        ),
        (
            "{requests.cpu: '1', requests.memory: 1Gi, limits.cpu: '2', limits.memory: 2Gi}",
            pod("nginx", "{}"),
            forbidden(r#"pods "nginx" is forbidden: failed quota: q: must specify limits.cpu for: nginx-ctr; limits.memory for: nginx-ctr; requests.cpu for: nginx-ctr; requests.memory for: nginx-ctr"#),
        ),
        (
            "{cpu: '1', memory: 1Gi}",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: two}\nspec:\n  containers:\n  - {name: b, image: nginx, resources: {requests: {cpu: 100m}}}\n  - {name: a, image: nginx}\n".to_string(),
            forbidden(r#"pods "two" is forbidden: failed quota: q: must specify cpu for: a; memory for: a,b"#),
        ),
        (
            "{pods: '1'}",
            pod("second", "{}"),
            forbidden(r#"pods "second" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1"#),
        ),
        (
            "{count/pods: '1'}",
            pod("second", "{}"),
            forbidden(r#"pods "second" is forbidden: exceeded quota: q, requested: count/pods=1, used: count/pods=1, limited: count/pods=1"#),
        ),
        (
            "{services.nodeports: '0', services.loadbalancers: '1', services: '3'}",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ports: [{port: 80}]\n".to_string(),
            forbidden(r#"services "web" is forbidden: exceeded quota: q, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0"#),
        ),
        (
            "{services: '1'}",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n".to_string(),
            forbidden(r#"services "web" is forbidden: exceeded quota: q, requested: services=1, used: services=1, limited: services=1"#),
        ),
        (
            "{configmaps: '0'}",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n".to_string(),
            forbidden(r#"configmaps "c" is forbidden: exceeded quota: q, requested: configmaps=1, used: configmaps=1, limited: configmaps=0"#),
        ),
        (
            "{count/deployments.apps: '0'}",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: nginx}]}\n".to_string(),
            forbidden(r#"deployments.apps "d" is forbidden: exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=0, limited: count/deployments.apps=0"#),
        ),
        (
            "{requests.storage: 2Gi, gold.storageclass.storage.k8s.io/persistentvolumeclaims: '0'}",
            claim("data", Some("gold")),
            forbidden(r#"persistentvolumeclaims "data" is forbidden: exceeded quota: q, requested: gold.storageclass.storage.k8s.io/persistentvolumeclaims=1, used: gold.storageclass.storage.k8s.io/persistentvolumeclaims=0, limited: gold.storageclass.storage.k8s.io/persistentvolumeclaims=0"#),
        ),
        (
            "{requests.storage: 500Mi}",
            claim("data", None),
            forbidden(r#"persistentvolumeclaims "data" is forbidden: exceeded quota: q, requested: requests.storage=1Gi, used: requests.storage=0, limited: requests.storage=500Mi"#),
        ),
    ];
    for (hard, object, expected) in cases {
        let mut cluster = Cluster::new(1);
        create_ok(&mut cluster, "default", &first);
        create_ok(
            &mut cluster,
            "default",
            &format!("apiVersion: v1\nkind: ResourceQuota\nmetadata: {{name: q}}\nspec:\n  hard: {hard}\n"),
        );
        let result = create_in(&mut cluster, "default", object);
        assert_eq!(&outcome(result), expected, "{hard}\n{object}");
    }
}

#[test]
fn quota_scopes_select_the_pods_they_count() {
    // (scopes, pod, counted)
    let best_effort = pod("p", "{}");
    let burstable = pod("p", "{requests: {cpu: 100m}}");
    let terminating = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  activeDeadlineSeconds: 60\n  containers: [{name: c, image: nginx}]\n".to_string();
    let cases = [
        ("scopes: [BestEffort]", &best_effort, true),
        ("scopes: [BestEffort]", &burstable, false),
        ("scopes: [NotBestEffort]", &burstable, true),
        ("scopes: [Terminating]", &terminating, true),
        ("scopes: [NotTerminating]", &terminating, false),
        (
            "scopeSelector: {matchExpressions: [{scopeName: PriorityClass, operator: In, values: [system-node-critical]}]}",
            &best_effort,
            false,
        ),
        (
            "scopeSelector: {matchExpressions: [{scopeName: PriorityClass, operator: DoesNotExist}]}",
            &best_effort,
            true,
        ),
    ];
    for (scopes, manifest, counted) in cases {
        let mut cluster = Cluster::new(1);
        create_ok(
            &mut cluster,
            "default",
            &format!("apiVersion: v1\nkind: ResourceQuota\nmetadata: {{name: q}}\nspec:\n  hard: {{pods: '5'}}\n  {scopes}\n"),
        );
        create_ok(&mut cluster, "default", manifest);
        let (_, used) = quota_status(&cluster, "default", "q");
        let expected = if counted {
            r#"{"pods":"1"}"#
        } else {
            r#"{"pods":"0"}"#
        };
        assert_eq!(used, expected, "{scopes}");
    }
}

#[test]
fn usage_is_charged_on_admission_and_released_on_delete() {
    let mut cluster = Cluster::new(1);
    create_ok(&mut cluster, "default", QUOTA_MEM_CPU);
    assert_eq!(
        quota_status(&cluster, "default", "mem-cpu-demo").1,
        r#"{"limits.cpu":"0","limits.memory":"0","requests.cpu":"0","requests.memory":"0"}"#
    );
    let resources = "{requests: {cpu: 400m, memory: 600Mi}, limits: {cpu: 800m, memory: 800Mi}}";
    create_ok(&mut cluster, "default", &pod("a", resources));
    assert_eq!(
        quota_status(&cluster, "default", "mem-cpu-demo").1,
        r#"{"limits.cpu":"800m","limits.memory":"800Mi","requests.cpu":"400m","requests.memory":"600Mi"}"#
    );
    let resources_b = "{requests: {cpu: 100m, memory: 100Mi}, limits: {cpu: 200m, memory: 200Mi}}";
    create_ok(&mut cluster, "default", &pod("b", resources_b));
    assert_eq!(
        quota_status(&cluster, "default", "mem-cpu-demo").1,
        r#"{"limits.cpu":"1","limits.memory":"1000Mi","requests.cpu":"500m","requests.memory":"700Mi"}"#
    );
    let pods = model::registry::resolve("pods").unwrap();
    cluster.delete(pods, "default", "a").unwrap();
    assert_eq!(
        quota_status(&cluster, "default", "mem-cpu-demo").1,
        r#"{"limits.cpu":"200m","limits.memory":"200Mi","requests.cpu":"100m","requests.memory":"100Mi"}"#
    );
    // A refused request charges nothing.
    let too_much = "{requests: {cpu: '2', memory: 1Mi}, limits: {cpu: '2', memory: 1Mi}}";
    assert!(create_in(&mut cluster, "default", &pod("c", too_much)).is_err());
    assert_eq!(
        quota_status(&cluster, "default", "mem-cpu-demo").1,
        r#"{"limits.cpu":"200m","limits.memory":"200Mi","requests.cpu":"100m","requests.memory":"100Mi"}"#
    );
}

#[test]
fn changing_a_quota_recomputes_its_status() {
    let mut cluster = Cluster::new(1);
    create_ok(
        &mut cluster,
        "default",
        "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {pods: '2'}\n",
    );
    create_ok(&mut cluster, "default", &pod("a", "{}"));
    let mut quota = decode(&get(&cluster, "resourcequotas", "default", "q").to_string());
    if let Object::ResourceQuota(q) = &mut quota {
        let hard = q.spec.as_mut().unwrap().hard.as_mut().unwrap();
        hard.insert(
            "pods".into(),
            model::k8s_openapi::apimachinery::pkg::api::resource::Quantity("5".into()),
        );
        hard.insert(
            "count/configmaps".into(),
            model::k8s_openapi::apimachinery::pkg::api::resource::Quantity("1".into()),
        );
    }
    cluster.update(quota).unwrap();
    assert_eq!(
        quota_status(&cluster, "default", "q"),
        (
            r#"{"count/configmaps":"1","pods":"5"}"#.to_string(),
            // kube-root-ca.crt is the one ConfigMap.
            r#"{"count/configmaps":"1","pods":"1"}"#.to_string()
        )
    );
}

#[test]
fn finished_pods_release_compute_quota_but_still_count_as_objects() {
    let mut cluster = Cluster::new(1);
    create_ok(
        &mut cluster,
        "default",
        "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec:\n  hard: {pods: '5', count/pods: '5', requests.cpu: '1'}\n",
    );
    create_ok(
        &mut cluster,
        "default",
        &pod("done", "{requests: {cpu: 300m}}"),
    );
    // The kubelet would mark the pod Succeeded; do it in a copy of the store.
    let mut store = cluster.snapshot().store;
    let key = ObjectKey {
        resource: "pods",
        namespace: "default".into(),
        name: "done".into(),
    };
    let mut finished = (**store.get(&key).unwrap()).clone();
    if let Object::Pod(p) = &mut finished {
        p.status.as_mut().unwrap().phase = Some("Succeeded".into());
    }
    store.insert(key, Rc::new(finished));
    let writes =
        cluster::admission::resource_quota::recompute_namespace(&store, "default", cluster.now());
    assert_eq!(writes.len(), 1);
    assert_eq!(
        writes[0].to_json_value()["status"]["used"].to_string(),
        r#"{"count/pods":"1","pods":"0","requests.cpu":"0"}"#
    );
}

#[test]
fn corpus_quota_mem_cpu_pod_2_is_refused() {
    let (Some(quota), Some(first), Some(second)) = (
        corpus("admin/resource/quota-mem-cpu.yaml"),
        corpus("admin/resource/quota-mem-cpu-pod.yaml"),
        corpus("admin/resource/quota-mem-cpu-pod-2.yaml"),
    ) else {
        return;
    };
    let mut cluster = Cluster::new(1);
    namespace(&mut cluster, "quota-mem-cpu-example");
    create_ok(&mut cluster, "quota-mem-cpu-example", &quota);
    create_ok(&mut cluster, "quota-mem-cpu-example", &first);
    assert_eq!(
        quota_status(&cluster, "quota-mem-cpu-example", "mem-cpu-demo"),
        (
            r#"{"limits.cpu":"2","limits.memory":"2Gi","requests.cpu":"1","requests.memory":"1Gi"}"#.to_string(),
            r#"{"limits.cpu":"800m","limits.memory":"800Mi","requests.cpu":"400m","requests.memory":"600Mi"}"#.to_string()
        )
    );
    assert_eq!(
        outcome(create_in(&mut cluster, "quota-mem-cpu-example", &second)),
        forbidden(
            r#"pods "quota-mem-cpu-demo-2" is forbidden: exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi"#
        )
    );
}

#[test]
fn corpus_quota_objects_limits_claims_and_node_ports() {
    let Some(quota) = corpus("admin/resource/quota-objects.yaml") else {
        return;
    };
    let mut cluster = Cluster::new(1);
    namespace(&mut cluster, "quota-object-example");
    create_ok(&mut cluster, "quota-object-example", &quota);
    assert_eq!(
        quota_status(&cluster, "quota-object-example", "object-quota-demo").1,
        r#"{"persistentvolumeclaims":"0","services.loadbalancers":"0","services.nodeports":"0"}"#
    );
    create_ok(
        &mut cluster,
        "quota-object-example",
        &claim("pvc-quota-demo", Some("manual")),
    );
    assert_eq!(
        outcome(create_in(
            &mut cluster,
            "quota-object-example",
            &claim("pvc-quota-demo-2", Some("manual"))
        )),
        forbidden(
            r#"persistentvolumeclaims "pvc-quota-demo-2" is forbidden: exceeded quota: object-quota-demo, requested: persistentvolumeclaims=1, used: persistentvolumeclaims=1, limited: persistentvolumeclaims=1"#
        )
    );
    let service = |name: &str, kind: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec:\n  type: {kind}\n  ports: [{{port: 80}}]\n  allocateLoadBalancerNodePorts: false\n")
    };
    create_ok(
        &mut cluster,
        "quota-object-example",
        &service("lb-1", "LoadBalancer"),
    );
    create_ok(
        &mut cluster,
        "quota-object-example",
        &service("lb-2", "LoadBalancer"),
    );
    assert_eq!(
        outcome(create_in(
            &mut cluster,
            "quota-object-example",
            &service("lb-3", "LoadBalancer")
        )),
        forbidden(
            r#"services "lb-3" is forbidden: exceeded quota: object-quota-demo, requested: services.loadbalancers=1, used: services.loadbalancers=2, limited: services.loadbalancers=2"#
        )
    );
    assert_eq!(
        quota_status(&cluster, "quota-object-example", "object-quota-demo").1,
        r#"{"persistentvolumeclaims":"1","services.loadbalancers":"2","services.nodeports":"0"}"#
    );
}
