//! The scheduler's plugins as a table: each row sets up the default cluster (a tainted
//! control-plane node and node-1…node-3 in zones a, b, c) with kubectl, creates one pod, and
//! says where the scheduler puts it — or which part of upstream's FailedScheduling message it
//! gives, or the reason of its PodScheduled condition.

use scenario::script::{Command, NoFiles};
use scenario::Session;

fn run(session: &mut Session, line: &str) -> kubectl::Output {
    let args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    session.execute(
        &Command::Kubectl {
            args: args[1..].to_vec(),
            stdin: None,
        },
        &NoFiles,
    )
}

fn apply(session: &mut Session, yaml: &str) {
    let output = session.execute(
        &Command::Kubectl {
            args: vec!["apply".into(), "-f".into(), "-".into()],
            stdin: Some(yaml.to_string()),
        },
        &NoFiles,
    );
    assert_eq!(output.exit_code, 0, "{}\n{yaml}", output.stderr);
}

/// What the row expects: the node, one of some nodes, a piece of the message, the reason.
enum Expect {
    Node(&'static str),
    OneOf(&'static [&'static str]),
    Message(&'static str),
    Reason(&'static str),
}

struct Row {
    plugin: &'static str,
    setup: &'static [&'static str],
    /// YAML documents applied before the pod (pods placed with nodeName, claims…).
    objects: &'static str,
    pod: &'static str,
    expect: Expect,
}

const PLAIN: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\nspec:\n  containers: [{name: c, image: nginx}]\n";

fn rows() -> Vec<Row> {
    vec![
        Row {
            plugin: "NodeUnschedulable",
            setup: &["kubectl cordon node-1", "kubectl cordon node-2"],
            objects: "",
            pod: PLAIN,
            expect: Expect::Node("node-3"),
        },
        Row {
            plugin: "NodeUnschedulable (all cordoned)",
            setup: &["kubectl cordon node-1 node-2 node-3"],
            objects: "",
            pod: PLAIN,
            expect: Expect::Message("3 node(s) were unschedulable"),
        },
        Row {
            plugin: "NodeName",
            setup: &["kubectl cordon node-2"],
            objects: "",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeName: node-2\n  containers: [{name: c, image: nginx}]\n",
            expect: Expect::Node("node-2"),
        },
        Row {
            plugin: "TaintToleration",
            setup: &["kubectl taint nodes node-1 node-2 node-3 dedicated=gpu:NoSchedule"],
            objects: "",
            pod: PLAIN,
            expect: Expect::Message("0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) had untolerated taint {dedicated: gpu}."),
        },
        Row {
            plugin: "TaintToleration (tolerated)",
            setup: &["kubectl taint nodes node-1 node-3 dedicated=gpu:NoSchedule"],
            objects: "",
            pod: PLAIN,
            expect: Expect::Node("node-2"),
        },
        Row {
            plugin: "NodeAffinity (nodeSelector)",
            setup: &[],
            objects: "",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeSelector: {topology.kubernetes.io/zone: zone-b}\n  containers: [{name: c, image: nginx}]\n",
            expect: Expect::Node("node-2"),
        },
        Row {
            plugin: "NodeAffinity (required, no match)",
            setup: &[],
            objects: "",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - matchExpressions: [{key: disktype, operator: In, values: [ssd]}]\n  containers: [{name: c, image: nginx}]\n",
            expect: Expect::Message("3 node(s) didn't match Pod's node affinity/selector"),
        },
        Row {
            plugin: "NodeResourcesFit (cpu)",
            setup: &[],
            objects: "",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx, resources: {requests: {cpu: \"5\"}}}]\n",
            expect: Expect::Message("3 Insufficient cpu"),
        },
        Row {
            plugin: "NodeResourcesFit (extended resource)",
            setup: &[],
            objects: "",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx, resources: {requests: {example.com/dongle: \"1\"}, limits: {example.com/dongle: \"1\"}}}]\n",
            expect: Expect::Message("3 Insufficient example.com/dongle"),
        },
        Row {
            plugin: "NodePorts",
            setup: &[],
            objects: "apiVersion: v1\nkind: Pod\nmetadata: {name: holder}\nspec:\n  nodeName: node-1\n  containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]\n",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeSelector: {kubernetes.io/hostname: node-1}\n  containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}]\n",
            expect: Expect::Message("node(s) didn't have free ports for the requested pod ports"),
        },
        Row {
            plugin: "InterPodAffinity (affinity)",
            setup: &[],
            objects: "apiVersion: v1\nkind: Pod\nmetadata: {name: db, labels: {app: db}}\nspec:\n  nodeName: node-3\n  containers: [{name: c, image: redis}]\n",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  affinity:\n    podAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector: {matchLabels: {app: db}}\n        topologyKey: kubernetes.io/hostname\n  containers: [{name: c, image: nginx}]\n",
            expect: Expect::Node("node-3"),
        },
        Row {
            plugin: "InterPodAffinity (anti-affinity)",
            setup: &[],
            objects: "apiVersion: v1\nkind: Pod\nmetadata: {name: db, labels: {app: db}}\nspec:\n  nodeName: node-3\n  containers: [{name: c, image: redis}]\n",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeSelector: {kubernetes.io/hostname: node-3}\n  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector: {matchLabels: {app: db}}\n        topologyKey: kubernetes.io/hostname\n  containers: [{name: c, image: nginx}]\n",
            expect: Expect::Message("node(s) didn't match pod anti-affinity rules"),
        },
        Row {
            plugin: "PodTopologySpread",
            setup: &[],
            objects: "apiVersion: v1\nkind: Pod\nmetadata: {name: w1, labels: {app: web}}\nspec:\n  nodeName: node-1\n  containers: [{name: c, image: nginx}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: w2, labels: {app: web}}\nspec:\n  nodeName: node-2\n  containers: [{name: c, image: nginx}]\n",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\nspec:\n  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: kubernetes.io/hostname\n    whenUnsatisfiable: DoNotSchedule\n    labelSelector: {matchLabels: {app: web}}\n  containers: [{name: c, image: nginx}]\n",
            expect: Expect::Node("node-3"),
        },
        Row {
            plugin: "PodTopologySpread (zones)",
            setup: &[],
            objects: "apiVersion: v1\nkind: Pod\nmetadata: {name: w1, labels: {app: web}}\nspec:\n  nodeName: node-1\n  containers: [{name: c, image: nginx}]\n",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\nspec:\n  topologySpreadConstraints:\n  - maxSkew: 1\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: DoNotSchedule\n    labelSelector: {matchLabels: {app: web}}\n  containers: [{name: c, image: nginx}]\n",
            expect: Expect::OneOf(&["node-2", "node-3"]),
        },
        Row {
            plugin: "VolumeBinding (missing claim)",
            setup: &[],
            objects: "",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n  volumes: [{name: v, persistentVolumeClaim: {claimName: nope}}]\n",
            expect: Expect::Message("persistentvolumeclaim \"nope\" not found"),
        },
        Row {
            plugin: "SchedulingGates",
            setup: &[],
            objects: "",
            pod: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  schedulingGates: [{name: example.com/wait}]\n  containers: [{name: c, image: nginx}]\n",
            expect: Expect::Reason("SchedulingGated"),
        },
    ]
}

#[test]
fn each_plugin_places_or_refuses_as_upstream_does() {
    let mut failures = Vec::new();
    for row in rows() {
        let mut session = Session::new(1);
        for line in row.setup {
            let output = run(&mut session, line);
            assert_eq!(
                output.exit_code, 0,
                "{}: {line}: {}",
                row.plugin, output.stderr
            );
        }
        if !row.objects.is_empty() {
            apply(&mut session, row.objects);
        }
        apply(&mut session, row.pod);
        let node = run(
            &mut session,
            "kubectl get pod p -o jsonpath={.spec.nodeName}",
        )
        .stdout;
        let scheduled = run(
            &mut session,
            "kubectl get pod p -o jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].message}",
        )
        .stdout;
        let reason = run(
            &mut session,
            "kubectl get pod p -o jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}",
        )
        .stdout;
        let ok = match &row.expect {
            Expect::Node(wanted) => node == *wanted,
            Expect::OneOf(nodes) => nodes.contains(&node.as_str()),
            Expect::Message(part) => node.is_empty() && scheduled.contains(part),
            Expect::Reason(wanted) => node.is_empty() && reason == *wanted,
        };
        if !ok {
            failures.push(format!(
                "{}: node {node:?}, PodScheduled {reason:?} {scheduled:?}",
                row.plugin
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
