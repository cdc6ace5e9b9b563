//! Validation tests: each rule gives the API server's exact message at the exact field path.
//! Manifests are decoded and defaulted as the API server does before it validates.

use model::validation::validate;
use model::{decode_documents, Object};
use serde_json::{json, Value};

fn object(value: &Value) -> Object {
    let mut objects = decode_documents(&value.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let mut object = objects.remove(0);
    model::defaults::apply_defaults(&mut object);
    object
}

fn render(errors: Vec<model::validation::FieldError>) -> Vec<String> {
    errors
        .into_iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect()
}

/// The errors of creating `value`.
fn create(value: Value) -> Vec<String> {
    render(validate(&object(&value), None))
}

/// The errors of replacing `old` with `new`.
fn update(old: Value, new: Value) -> Vec<String> {
    render(validate(&object(&new), Some(&object(&old))))
}

fn pod_with(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec})
}

fn nginx() -> Value {
    json!({"name": "nginx", "image": "nginx"})
}

fn pod_with_container(container: Value) -> Value {
    pod_with(json!({"containers": [container]}))
}

fn deployment_with(spec: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": spec})
}

fn deployment(selector: &str, template_label: &str) -> Value {
    deployment_with(json!({
        "selector": {"matchLabels": {"app": selector}},
        "template": {"metadata": {"labels": {"app": template_label}}, "spec": {"containers": [nginx()]}}
    }))
}

fn job_with(template_spec: Value) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "pi"},
           "spec": {"template": {"spec": template_spec}}})
}

fn cron_job(schedule: &str) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "hello"},
           "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {"spec": {
               "containers": [{"name": "hello", "image": "busybox"}], "restartPolicy": "OnFailure"}}}}}})
}

fn service_with(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": spec})
}

fn secret(secret_type: &str, data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "type": secret_type, "data": data})
}

const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

#[track_caller]
fn check(actual: Vec<String>, expected: &[&str]) {
    assert_eq!(actual, expected, "\nactual:\n{}\n", actual.join("\n"));
}

#[test]
fn valid_objects_have_no_errors() {
    check(create(pod_with_container(nginx())), &[]);
    check(create(deployment("web", "web")), &[]);
    check(
        create(job_with(
            json!({"containers": [nginx()], "restartPolicy": "Never"}),
        )),
        &[],
    );
    check(create(cron_job("*/5 * * * *")), &[]);
    check(create(service_with(json!({"ports": [{"port": 80}]}))), &[]);
}

#[test]
fn names_labels_and_annotations() {
    check(
        create(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Web_1"}})),
        &["metadata.name: Invalid value: \"Web_1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
    );
    check(
        create(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a.b"}})),
        &["metadata.name: Invalid value: \"a.b\": must not contain dots"],
    );
    check(
        create(service_with(json!({"ports": [{"port": 80}]})).pipe(|mut v| {
            v["metadata"]["name"] = json!("1web");
            v
        })),
        &["metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"],
    );
    // RBAC names are path segments: colons are fine.
    check(
        create(
            json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                      "metadata": {"name": "system:reader"}}),
        ),
        &[],
    );
    let long = "x".repeat(64);
    check(
        create(json!({"apiVersion": "v1", "kind": "ConfigMap",
                      "metadata": {"name": "c", "labels": {"app": long, "bad key": "v", "example.com/": "v"}}})),
        &[
            "metadata.labels: Invalid value: \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\": must be no more than 63 bytes",
            "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
            "metadata.labels: Invalid value: \"example.com/\": name part must be non-empty",
            "metadata.labels: Invalid value: \"example.com/\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ],
    );
    check(
        create(json!({"apiVersion": "v1", "kind": "ConfigMap",
                      "metadata": {"name": "c", "labels": {"tier": "front end"}, "annotations": {"a/b/c": "x", "Example.COM/Ok": "y"}}})),
        &[
            "metadata.labels: Invalid value: \"front end\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            "metadata.annotations: Invalid value: \"a/b/c\": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
        ],
    );
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl Pipe for Value {}

#[test]
fn containers() {
    check(
        create(pod_with(json!({"containers": []}))),
        &["spec.containers: Required value"],
    );
    check(
        create(pod_with_container(json!({"name": "nginx"}))),
        &["spec.containers[0].image: Required value"],
    );
    check(
        create(pod_with_container(json!({"image": "nginx"}))),
        &["spec.containers[0].name: Required value"],
    );
    check(
        create(pod_with_container(json!({"name": "Web", "image": "nginx"}))),
        &[&format!(
            "spec.containers[0].name: Invalid value: \"Web\": {LABEL_MSG}"
        )],
    );
    check(
        create(pod_with(json!({"containers": [nginx(), nginx()]}))),
        &["spec.containers[1].name: Duplicate value: \"nginx\""],
    );
    check(
        create(pod_with_container(json!({"name": "nginx", "image": " nginx"}))),
        &["spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"],
    );
    check(
        create(pod_with(json!({"containers": [nginx()], "restartPolicy": "Sometimes"}))),
        &["spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""],
    );
    check(
        create(pod_with_container(json!({"name": "nginx", "image": "nginx", "imagePullPolicy": "Sometimes"}))),
        &["spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""],
    );
    check(
        create(pod_with(
            json!({"containers": [nginx()], "initContainers": [nginx()]}),
        )),
        &["spec.initContainers[0].name: Duplicate value: \"nginx\""],
    );
}

#[test]
fn container_ports() {
    let with_ports = |ports: Value| {
        create(pod_with_container(
            json!({"name": "nginx", "image": "nginx", "ports": ports}),
        ))
    };
    check(
        with_ports(json!([{"containerPort": 70000}])),
        &["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    );
    check(
        with_ports(json!([{"containerPort": 0}])),
        &["spec.containers[0].ports[0].containerPort: Required value"],
    );
    check(
        with_ports(
            json!([{"name": "http", "containerPort": 80}, {"name": "http", "containerPort": 81}]),
        ),
        &["spec.containers[0].ports[1].name: Duplicate value: \"http\""],
    );
    check(
        with_ports(json!([{"name": "HTTP_PORT_NUMBER", "containerPort": 80}])),
        &[
            "spec.containers[0].ports[0].name: Invalid value: \"HTTP_PORT_NUMBER\": must be no more than 15 bytes",
            "spec.containers[0].ports[0].name: Invalid value: \"HTTP_PORT_NUMBER\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "spec.containers[0].ports[0].name: Invalid value: \"HTTP_PORT_NUMBER\": must contain at least one letter (a-z)",
        ],
    );
    check(
        with_ports(json!([{"containerPort": 80, "protocol": "HTTP"}])),
        &["spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""],
    );
    check(
        create(pod_with(json!({"containers": [
            {"name": "a", "image": "nginx", "ports": [{"containerPort": 80, "hostPort": 8080}]},
            {"name": "b", "image": "nginx", "ports": [{"containerPort": 81, "hostPort": 8080}]}]}))),
        &["spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\""],
    );
}

#[test]
fn resources() {
    let with = |resources: Value| {
        create(pod_with_container(
            json!({"name": "app", "image": "nginx", "resources": resources}),
        ))
    };
    check(
        with(json!({"requests": {"cpu": "2"}, "limits": {"cpu": "1"}})),
        &["spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"],
    );
    check(
        with(json!({"requests": {"cpu": "1500m", "memory": "2048Mi"}, "limits": {"cpu": "1000m", "memory": "1Gi"}})),
        &[
            "spec.containers[0].resources.requests: Invalid value: \"1500m\": must be less than or equal to cpu limit of 1",
            "spec.containers[0].resources.requests: Invalid value: \"2Gi\": must be less than or equal to memory limit of 1Gi",
        ],
    );
    check(
        with(json!({"requests": {"cpu": "0.5"}, "limits": {"cpu": "500m"}})),
        &[],
    );
    check(
        with(json!({"limits": {"cpus": "1"}})),
        // A Pod's requests default to its limits (SetDefaults_Pod), the misspelt name included.
        &[
            "spec.containers[0].resources.limits[cpus]: Invalid value: \"cpus\": must be a standard resource type or fully qualified",
            "spec.containers[0].resources.limits[cpus]: Invalid value: \"cpus\": must be a standard resource for containers",
            "spec.containers[0].resources.requests[cpus]: Invalid value: \"cpus\": must be a standard resource type or fully qualified",
            "spec.containers[0].resources.requests[cpus]: Invalid value: \"cpus\": must be a standard resource for containers",
        ],
    );
    check(
        with(json!({"requests": {"memory": "-1Mi"}})),
        &["spec.containers[0].resources.requests[memory]: Invalid value: \"-1Mi\": must be greater than or equal to 0"],
    );
    check(
        with(json!({"requests": {"example.com/dongle": "2"}, "limits": {"example.com/dongle": "3"}})),
        &["spec.containers[0].resources.requests: Invalid value: \"2\": must be equal to example.com/dongle limit of 3"],
    );
    check(
        with(json!({"requests": {"example.com/dongle": "1"}})),
        &["spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources"],
    );
}

#[test]
fn env_and_volumes() {
    check(
        create(pod_with_container(json!({"name": "app", "image": "busybox",
            "env": [{"name": "A=B", "value": "1"}, {"name": "MY-VAR.1", "value": "ok"}, {"value": "x"}]}))),
        &[
            "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
            "spec.containers[0].env[2].name: Required value",
        ],
    );
    check(
        create(pod_with_container(
            json!({"name": "app", "image": "busybox",
            "env": [{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": ""}}}]}),
        )),
        &["spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value"],
    );
    check(
        create(pod_with(json!({
            "containers": [{"name": "app", "image": "busybox",
                            "volumeMounts": [{"name": "data", "mountPath": "/data"}]}],
            "volumes": [{"name": "cache", "emptyDir": {}}]}))),
        &["spec.containers[0].volumeMounts[0].name: Not found: \"data\""],
    );
    check(
        create(pod_with(json!({
            "containers": [{"name": "app", "image": "busybox",
                            "volumeMounts": [{"name": "data", "mountPath": "/a"}, {"name": "data", "mountPath": "/a"}]}],
            "volumes": [{"name": "data", "emptyDir": {}}, {"name": "data", "emptyDir": {}}]}))),
        &[
            "spec.volumes[1].name: Duplicate value: \"data\"",
            "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/a\": must be unique",
        ],
    );
    check(
        create(pod_with(json!({
            "containers": [nginx()],
            "volumes": [{"name": "both", "emptyDir": {}, "configMap": {"name": "c"}}]}))),
        &["spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type"],
    );
}

#[test]
fn probes_and_tolerations() {
    check(
        create(pod_with_container(
            json!({"name": "app", "image": "nginx", "livenessProbe": {"periodSeconds": 5}}),
        )),
        &["spec.containers[0].livenessProbe: Required value: must specify a handler type"],
    );
    check(
        create(pod_with_container(json!({"name": "app", "image": "nginx",
            "readinessProbe": {"httpGet": {"port": 70000}}, "livenessProbe": {"tcpSocket": {"port": 80}, "successThreshold": 2}}))),
        &[
            "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
            "spec.containers[0].readinessProbe.httpGet.port: Invalid value: 70000: must be between 1 and 65535, inclusive",
        ],
    );
    check(
        create(pod_with(json!({"containers": [nginx()], "tolerations": [{"operator": "Equal", "value": "x"}]}))),
        &["spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\""],
    );
}

#[test]
fn workload_selectors() {
    check(
        create(deployment("web", "x")),
        &["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`"],
    );
    check(
        create(deployment_with(json!({"template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [nginx()]}}}))),
        &[
            "spec.selector: Required value",
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
        ],
    );
    check(
        create(deployment_with(json!({"selector": {"matchLabels": {}}, "template": {"spec": {"containers": [nginx()]}}}))),
        &["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"],
    );
    check(
        create(deployment_with(json!({"selector": {"matchExpressions": [{"key": "app", "operator": "In"}]},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [nginx()]}}}))),
        &[
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"In\", Values:[]string(nil)}}}: invalid label selector",
        ],
    );
    let mut d = deployment("web", "web");
    d["spec"]["replicas"] = json!(-1);
    d["spec"]["template"]["spec"]["containers"][0]["image"] = json!("");
    check(
        create(d),
        &[
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            "spec.template.spec.containers[0].image: Required value",
        ],
    );
    let mut d = deployment("web", "web");
    d["spec"]["template"]["spec"]["restartPolicy"] = json!("Never");
    check(
        create(d),
        &["spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""],
    );
}

#[test]
fn deployment_strategy() {
    let mut d = deployment("web", "web");
    d["spec"]["strategy"] = json!({"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}});
    check(
        create(d),
        &["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"],
    );
    let mut d = deployment("web", "web");
    d["spec"]["strategy"] = json!({"rollingUpdate": {"maxSurge": "one", "maxUnavailable": "120%"}});
    check(
        create(d),
        &[
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: one: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 120%: must not be greater than 100%",
        ],
    );
    let mut d = deployment("web", "web");
    d["spec"]["strategy"] = json!({"type": "BlueGreen"});
    check(
        create(d),
        &["spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\""],
    );
}

#[test]
fn other_workloads() {
    let ds = json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
        "spec": {"selector": {"matchLabels": {"app": "agent"}},
                 "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [nginx()]}},
                 "updateStrategy": {"rollingUpdate": {"maxSurge": 1}}}});
    check(
        create(ds),
        &["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"],
    );
    // StatefulSets check their template's labels but leave its pod spec to pod creation.
    let ss = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
        "spec": {"selector": {"matchLabels": {"app": "db"}}, "serviceName": "db",
                 "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "db"}]}}}});
    check(
        create(ss),
        &["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"],
    );
    let rc = json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"},
        "spec": {"selector": {"app": "a"}, "template": {"metadata": {"labels": {"app": "b"}}, "spec": {"containers": [nginx()]}}}});
    check(
        create(rc),
        &["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`"],
    );
}

#[test]
fn jobs_and_cron_jobs() {
    check(
        create(job_with(json!({"containers": [nginx()], "restartPolicy": "Always"}))),
        &["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""],
    );
    check(
        create(job_with(json!({"containers": [nginx()]}))),
        &["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""],
    );
    let mut job = job_with(json!({"containers": [nginx()], "restartPolicy": "Never"}));
    job["spec"]["completions"] = json!(-1);
    job["spec"]["parallelism"] = json!(-2);
    check(
        create(job),
        &[
            "spec.parallelism: Invalid value: -2: must be greater than or equal to 0",
            "spec.completions: Invalid value: -1: must be greater than or equal to 0",
        ],
    );
    let cases: &[(&str, &str)] = &[
        (
            "every minute",
            "expected exactly 5 fields, found 2: [every minute]",
        ),
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        (
            "*/0 * * * *",
            "step of range should be a positive number: */0",
        ),
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        ("0 0 0 * *", "beginning of range (0) below minimum (1): 0"),
        (
            "5-1 * * * *",
            "beginning of range (5) beyond end of range (1): 5-1",
        ),
        (
            "x * * * *",
            "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
        ),
        ("@often", "unrecognized descriptor: @often"),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
    ];
    for (schedule, message) in cases {
        check(
            create(cron_job(schedule)),
            &[&format!(
                "spec.schedule: Invalid value: \"{schedule}\": {message}"
            )],
        );
    }
    for schedule in [
        "@hourly",
        "0 0 * * SUN",
        "0 9 1 jan,jul *",
        "*/15 8-17 * * mon-fri",
        "@every 1h30m",
    ] {
        check(create(cron_job(schedule)), &[]);
    }
    check(
        create(cron_job("CRON_TZ=UTC 0 * * * *")),
        &["spec.schedule: Invalid value: \"CRON_TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"],
    );
    let mut cj = cron_job("* * * * *");
    cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] = json!("Always");
    cj["spec"]["concurrencyPolicy"] = json!("Sometimes");
    check(
        create(cj),
        &[
            "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
            "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
        ],
    );
    let mut cj = cron_job("* * * * *");
    cj["metadata"]["name"] = json!("a".repeat(53));
    check(
        create(cj),
        &[&format!(
            "metadata.name: Invalid value: \"{}\": must be no more than 52 bytes",
            "a".repeat(53)
        )],
    );
}

#[test]
fn services() {
    check(
        create(service_with(json!({}))),
        &["spec.ports: Required value"],
    );
    check(
        create(service_with(
            json!({"ports": [{"port": 70000, "targetPort": 0}]}),
        )),
        &["spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    );
    check(
        create(service_with(json!({"ports": [{"port": 80, "targetPort": "http_port"}]}))),
        &["spec.ports[0].targetPort: Invalid value: \"http_port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"],
    );
    check(
        create(service_with(json!({"ports": [{"name": "a", "port": 80}, {"port": 80}]}))),
        &[
            "spec.ports[1].name: Required value",
            "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}",
        ],
    );
    check(
        create(service_with(json!({"type": "Internal", "ports": [{"port": 80}]}))),
        &["spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\""],
    );
    check(
        create(service_with(
            json!({"ports": [{"port": 80, "nodePort": 30080}]}),
        )),
        &["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    );
    check(
        create(service_with(json!({"type": "ExternalName"}))),
        &["spec.externalName: Required value"],
    );
    check(
        create(service_with(json!({"type": "NodePort", "clusterIP": "None", "ports": [{"port": 80}]}))),
        &["spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
    );
}

#[test]
fn secrets_and_config_maps() {
    check(
        create(secret("kubernetes.io/tls", json!({}))),
        &[
            "data[tls.crt]: Required value",
            "data[tls.key]: Required value",
        ],
    );
    check(
        create(secret("kubernetes.io/dockerconfigjson", json!({}))),
        &["data[.dockerconfigjson]: Required value"],
    );
    check(
        create(secret("kubernetes.io/dockerconfigjson", json!({".dockerconfigjson": "aGVsbG8="}))),
        &["data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'h' looking for beginning of value"],
    );
    check(
        create(secret("kubernetes.io/dockerconfigjson", json!({".dockerconfigjson": "bm90IGpzb24="}))),
        &["data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'o' in literal null (expecting 'u')"],
    );
    check(
        create(secret("Opaque", json!({"my key": "eA=="}))),
        &["data[my key]: Invalid value: \"my key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
    );
    check(
        create(
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"..": "x"}}),
        ),
        &["data[..]: Invalid value: \"..\": must not be '..'"],
    );
    check(
        create(
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
                      "data": {"a": "x".repeat(600 * 1024), "b": "y".repeat(600 * 1024)}}),
        ),
        &["[]: Too long: must have at most 1048576 bytes"],
    );
}

#[test]
fn string_data_is_merged_into_data() {
    let secret = object(
        &json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
        "data": {"a": "YWJj", "b": "b2xk"}, "stringData": {"b": "new", "c": "see"}}),
    );
    let json = secret.to_json_value();
    assert_eq!(json["data"], json!({"a": "YWJj", "b": "bmV3", "c": "c2Vl"}));
    assert!(json.get("stringData").is_none());
    assert_eq!(json["type"], "Opaque");
}

#[test]
fn invalid_base64_is_worded_as_go_and_placed_on_its_line() {
    let text =
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: \"not base64!\"\n";
    let error = decode_documents(text).unwrap_err();
    assert_eq!(error.kind, model::DecodeErrorKind::StrictDecoding);
    assert_eq!(error.message, "illegal base64 data at input byte 3");
    assert_eq!(error.line, Some(6));
    let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  other: abcde\n";
    let error = decode_documents(text).unwrap_err();
    assert_eq!(error.message, "illegal base64 data at input byte 4");
    for (text, offset) in [
        ("YWJj\nZA=", Some(8)),
        ("YQ==\n", None),
        ("YQ=x", Some(2)),
        ("=", Some(0)),
    ] {
        assert_eq!(
            model::decode::go_base64_error_offset(text),
            offset,
            "{text:?}"
        );
    }
}

#[test]
fn immutable_fields_on_update() {
    check(
        update(deployment("web", "web"), deployment("web2", "web2")),
        &["spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"],
    );
    // Scaling and a new image are fine.
    let mut scaled = deployment("web", "web");
    scaled["spec"]["replicas"] = json!(5);
    scaled["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.27");
    check(update(deployment("web", "web"), scaled), &[]);

    let job = job_with(json!({"containers": [nginx()], "restartPolicy": "Never"}));
    let mut changed = job.clone();
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.27");
    let errors = update(job.clone(), changed);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("spec.template: Invalid value: core.PodTemplateSpec{"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].ends_with("}: field is immutable"),
        "{}",
        errors[0]
    );
    let mut more = job.clone();
    more["spec"]["completions"] = json!(3);
    check(
        update(job, more),
        &["spec.completions: Invalid value: 3: field is immutable"],
    );

    let svc = |ip: &str| service_with(json!({"clusterIP": ip, "ports": [{"port": 80}]}));
    check(
        update(svc("10.96.0.10"), svc("10.96.0.99")),
        &["spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.99\"}: may not change once set"],
    );
    check(
        update(
            svc("10.96.0.10"),
            service_with(json!({"ports": [{"port": 8080}]})),
        ),
        &[],
    );

    let cm = |immutable: bool, value: &str| json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "immutable": immutable, "data": {"k": value}});
    check(
        update(cm(true, "a"), cm(false, "b")),
        &[
            "immutable: Forbidden: field is immutable when `immutable` is set",
            "data: Forbidden: field is immutable when `immutable` is set",
        ],
    );
    check(update(cm(false, "a"), cm(true, "b")), &[]);
    check(
        update(
            secret("Opaque", json!({})),
            secret("kubernetes.io/tls", json!({"tls.crt": "", "tls.key": ""})),
        ),
        &["type: Invalid value: \"kubernetes.io/tls\": field is immutable"],
    );

    let pvc = |size: &str, class: &str| {
        json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "data"},
               "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": class,
                        "resources": {"requests": {"storage": size}}}})
    };
    check(update(pvc("1Gi", "standard"), pvc("1Gi", "standard")), &[]);
    let errors = update(pvc("1Gi", "standard"), pvc("1Gi", "fast"));
    assert_eq!(
        errors,
        ["spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n  core.PersistentVolumeClaimSpec{\n- \tStorageClassName: \"standard\",\n+ \tStorageClassName: \"fast\",\n  }"]
    );

    let ss = |replicas: i32, service: &str| {
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
               "spec": {"replicas": replicas, "serviceName": service, "selector": {"matchLabels": {"app": "db"}},
                        "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [nginx()]}}}})
    };
    check(update(ss(1, "db"), ss(3, "db")), &[]);
    check(
        update(ss(1, "db"), ss(1, "other")),
        &["spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"],
    );
}

#[test]
fn pod_updates() {
    // As stored: the pull policy was defaulted when the pod was created (a changed image does
    // not re-default it, since clients send the stored object back).
    let pod = pod_with(
        json!({"containers": [{"name": "app", "image": "nginx", "imagePullPolicy": "Always",
                                              "ports": [{"containerPort": 80}]}]}),
    );
    let mut image = pod.clone();
    image["spec"]["containers"][0]["image"] = json!("nginx:1.27");
    check(update(pod.clone(), image), &[]);
    let mut port = pod.clone();
    port["spec"]["containers"][0]["ports"][0]["containerPort"] = json!(8080);
    let errors = update(pod.clone(), port);
    assert_eq!(
        errors,
        ["spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n  \tContainers: []core.Container{\n  \t\t{\n  \t\t\tPorts: []core.ContainerPort{\n  \t\t\t\t{\n- \t\t\t\t\tContainerPort: 80,\n+ \t\t\t\t\tContainerPort: 8080,\n  \t\t\t\t},\n  \t\t\t},\n  \t\t},\n  \t},\n  }"]
    );
    let mut more = pod.clone();
    more["spec"]["containers"]
        .as_array_mut()
        .unwrap()
        .push(nginx());
    check(
        update(pod, more),
        &["spec.containers: Forbidden: pod updates may not add or remove containers"],
    );
}

/// Hostile or odd values never panic.
#[test]
fn odd_values_do_not_panic() {
    let odd = [
        json!({"requests": {"cpu": "1e30"}, "limits": {"cpu": "99999999999999999999999999999Ei"}}),
        json!({"requests": {"cpu": ".5"}, "limits": {"cpu": "1.2.3"}}),
        json!({"requests": {"memory": "5e-20"}}),
    ];
    for resources in odd {
        let _ = create(pod_with_container(
            json!({"name": "a", "image": "b", "resources": resources}),
        ));
    }
    for schedule in [
        "TZ=UTC",
        "@every",
        "@every x",
        "*/",
        "1-",
        ",,,",
        "- - - - -",
        "99999999999999999999 * * * *",
        "µ * * * *",
    ] {
        let _ = create(cron_job(schedule));
    }
    let _ = create(pod_with_container(
        json!({"name": "é\u{200b}", "image": "b", "env": [{"name": "x\u{a0}y"}]}),
    ));
}
