//! The graph's fault menus, with no DOM: what a right-click (or the keyboard) on a node, a pod
//! or the cluster offers, each item as the script line it stands for — the same `cluster …`
//! lines and kubectl commands the CLI runs, so the terminal shows what was done and a script
//! can repeat it.

use crate::graph::{GraphModel, GraphNode, GraphPod};
use crate::i18n::Label;

/// What a fault menu is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuTarget {
    Node(String),
    Pod { namespace: String, name: String },
    Cluster,
}

/// One menu item: `data-action`, its label, and the line it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    pub action: &'static str,
    pub label: Label,
    pub line: String,
}

fn item(action: &'static str, label: Label, line: String) -> MenuItem {
    MenuItem {
        action,
        label,
        line,
    }
}

/// The first `node-N` name not taken (for "add node").
pub fn next_node_name(nodes: &[GraphNode]) -> String {
    (1..)
        .map(|i| format!("node-{i}"))
        .find(|name| !nodes.iter().any(|n| &n.name == name))
        .unwrap_or_else(|| "node-new".to_string())
}

/// The items of the menu for `target`, as the cluster stands in `model` (cordon or uncordon,
/// one crash item per container). Empty when the target is gone.
pub fn menu_items(model: &GraphModel, target: &MenuTarget) -> Vec<MenuItem> {
    match target {
        MenuTarget::Node(name) => {
            let Some(node) = model.nodes.iter().find(|n| &n.name == name) else {
                return Vec::new();
            };
            let mut items = vec![
                item(
                    "fail-node",
                    Label::FailNode,
                    format!("cluster fail-node {name}"),
                ),
                item(
                    "recover-node",
                    Label::RecoverNode,
                    format!("cluster recover-node {name}"),
                ),
            ];
            items.push(if node.unschedulable {
                item(
                    "uncordon",
                    Label::Uncordon,
                    format!("kubectl uncordon {name}"),
                )
            } else {
                item("cordon", Label::Cordon, format!("kubectl cordon {name}"))
            });
            items.push(item(
                "drain",
                Label::Drain,
                format!(
                    "kubectl drain {name} --ignore-daemonsets --delete-emptydir-data --timeout=60s"
                ),
            ));
            items.push(item(
                "remove-node",
                Label::RemoveNode,
                format!("cluster remove-node {name}"),
            ));
            items
        }
        MenuTarget::Pod { namespace, name } => {
            let Some(pod) = model
                .pods
                .iter()
                .find(|p| &p.namespace == namespace && &p.name == name)
            else {
                return Vec::new();
            };
            let mut items = vec![item(
                "delete-pod",
                Label::DeletePod,
                format!("kubectl delete pod {name} -n {namespace}"),
            )];
            items.extend(crash_items(pod));
            items
        }
        MenuTarget::Cluster => vec![
            item(
                "add-node",
                Label::AddNode,
                format!("cluster add-node {}", next_node_name(&model.nodes)),
            ),
            item(
                "stop-control-plane",
                Label::StopControlPlane,
                "cluster stop-control-plane".into(),
            ),
            item(
                "start-control-plane",
                Label::StartControlPlane,
                "cluster start-control-plane".into(),
            ),
        ],
    }
}

fn crash_items(pod: &GraphPod) -> Vec<MenuItem> {
    let (namespace, name) = (&pod.namespace, &pod.name);
    pod.containers
        .iter()
        .map(|container| {
            item(
                "crash-container",
                Label::CrashContainer,
                format!("cluster crash {name} -c {container} -n {namespace}"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{apply_text, run_terminal_line, TEMPLATES};
    use crate::graph::graph_model;

    #[test]
    fn every_menu_item_runs_as_the_cli_runs_it() {
        let mut session = scenario::Session::new(1);
        apply_text(&mut session, TEMPLATES[0].1);
        session.cluster.advance(cluster::SimDuration::from_secs(20));
        let model = graph_model(&session.cluster.snapshot().store);
        let pod = menu_items(
            &model,
            &MenuTarget::Pod {
                namespace: "default".into(),
                name: "nginx".into(),
            },
        );
        let actions: Vec<&str> = pod.iter().map(|i| i.action).collect();
        assert_eq!(actions, ["delete-pod", "crash-container"]);
        assert_eq!(pod[1].line, "cluster crash nginx -c nginx -n default");
        let text = run_terminal_line(&mut session, &pod[1].line);
        assert!(!text.contains("error"), "{text}");
        session.cluster.advance(cluster::SimDuration::from_secs(2));
        let restarted = graph_model(&session.cluster.snapshot().store);
        let nginx = restarted
            .pods
            .iter()
            .find(|p| p.name == "nginx")
            .expect("nginx");
        assert_eq!(nginx.restarts, 1, "{nginx:?}");

        let node = menu_items(&model, &MenuTarget::Node("node-2".into()));
        let actions: Vec<&str> = node.iter().map(|i| i.action).collect();
        assert_eq!(
            actions,
            [
                "fail-node",
                "recover-node",
                "cordon",
                "drain",
                "remove-node"
            ]
        );
        for item in &node {
            let text = run_terminal_line(&mut session, &item.line);
            assert!(
                !text.contains("unknown") && !text.contains("usage"),
                "{text}"
            );
        }
        let cluster = menu_items(&model, &MenuTarget::Cluster);
        assert_eq!(cluster[0].line, "cluster add-node node-4");
        for item in &cluster {
            let text = run_terminal_line(&mut session, &item.line);
            assert!(!text.contains("error"), "{text}");
        }
        let model = graph_model(&session.cluster.snapshot().store);
        assert!(model.nodes.iter().any(|n| n.name == "node-4"));
        assert!(!model.nodes.iter().any(|n| n.name == "node-2"), "removed");
        assert_eq!(
            menu_items(&model, &MenuTarget::Node("node-2".into())),
            vec![]
        );
        run_terminal_line(&mut session, "kubectl cordon node-1");
        let model = graph_model(&session.cluster.snapshot().store);
        let node = menu_items(&model, &MenuTarget::Node("node-1".into()));
        assert_eq!(node[2].line, "kubectl uncordon node-1");
    }
}
