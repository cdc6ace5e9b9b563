//! Tab completion for the terminal, with no DOM: the line is split into words as the CLI splits
//! it (`scenario::script`'s shell rules, so quoted words count as one), the word under the
//! cursor (the last one) is completed from what fits where it stands — script commands, kubectl
//! verbs, resource kinds, the names of objects of that kind in the line's namespace (`-n`, or
//! `default`), node and namespace names — and Tab fills in the longest common prefix.

use cluster::{Store, StoreExt};
use model::sort::SortSlice;

/// The kubectl verbs the playground runs, as `kubectl` lists them.
pub const VERBS: &[&str] = &[
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "auth",
    "autoscale",
    "cluster-info",
    "config",
    "cordon",
    "create",
    "delete",
    "describe",
    "drain",
    "events",
    "exec",
    "expose",
    "get",
    "label",
    "logs",
    "patch",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
    "version",
    "wait",
];

/// What the first word of a terminal line can be.
const PROGRAMS: &[&str] = &["clear", "cluster", "curl", "kubectl", "sleep"];
const CLUSTER_COMMANDS: &[&str] = &[
    "add-node",
    "crash",
    "fail-node",
    "kill",
    "recover-node",
    "remove-node",
    "start-control-plane",
    "stop-control-plane",
];
const ROLLOUT_COMMANDS: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];
/// Verbs whose next word is a resource kind (then names of that kind).
const KIND_VERBS: &[&str] = &[
    "annotate",
    "delete",
    "describe",
    "edit",
    "get",
    "label",
    "patch",
    "scale",
    "wait",
    "autoscale",
    "expose",
];
/// Verbs whose next word is a pod.
const POD_VERBS: &[&str] = &["attach", "exec", "logs", "port-forward"];
/// Verbs whose next word is a node.
const NODE_VERBS: &[&str] = &["cordon", "drain", "taint", "uncordon"];

/// What Tab does to a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The line with the word completed as far as every candidate agrees (plus a space when
    /// only one candidate is left).
    pub line: String,
    /// Every candidate for the word (sorted), to list on a second Tab.
    pub candidates: Vec<String>,
}

/// The names of every object of `resource` (kubectl's name for a kind: `pods`, `deploy`, `svc`)
/// in `namespace` (ignored for cluster-scoped kinds).
pub fn object_names(store: &Store, resource: &str, namespace: &str) -> Vec<String> {
    let Some(resource_type) = model::registry::resolve(resource) else {
        return Vec::new();
    };
    let namespace = resource_type.namespaced.then_some(namespace);
    store
        .list(resource_type, namespace)
        .iter()
        .map(|o| o.name().to_string())
        .collect()
}

/// Every name kubectl accepts for a kind: plural, singular and short names.
fn kind_names() -> Vec<String> {
    let mut names: Vec<String> = model::registry::RESOURCE_TYPES
        .iter()
        .flat_map(|r| {
            [r.plural, r.singular]
                .into_iter()
                .chain(r.short_names.iter().copied())
        })
        .map(str::to_string)
        .collect();
    names.sort_stable();
    names.dedup();
    names
}

/// The value of `-n`/`--namespace` in the words, or `default`.
fn namespace_of(words: &[String]) -> String {
    let mut namespace = "default".to_string();
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        if word == "-n" || word == "--namespace" {
            if let Some(value) = iter.next() {
                namespace = value.clone();
            }
        } else if let Some(value) = word.strip_prefix("--namespace=") {
            namespace = value.to_string();
        }
    }
    namespace
}

/// The candidates for the last word of `line` (everything from the last unquoted space).
pub fn candidates(store: &Store, line: &str) -> Vec<String> {
    let (done, partial) = split_line(line);
    let namespace = namespace_of(&done);
    let names = |resource: &str| object_names(store, resource, &namespace);
    let positional: Vec<&String> = {
        // Words that are not flags nor a flag's value (`-n ns`, `-c name`, `--replicas 3`).
        let mut out = Vec::new();
        let mut skip = false;
        for word in done.iter().skip(1) {
            if skip {
                skip = false;
                continue;
            }
            if word == "--" {
                break;
            }
            if word.starts_with('-') {
                skip = !word.contains('=')
                    && matches!(
                        word.as_str(),
                        "-n" | "--namespace"
                            | "-c"
                            | "--container"
                            | "-l"
                            | "--selector"
                            | "-o"
                            | "--output"
                            | "-f"
                            | "--filename"
                    );
                continue;
            }
            out.push(word);
        }
        out
    };
    let previous = done.last().map(String::as_str).unwrap_or("");
    let mut list: Vec<String> = if previous == "-n" || previous == "--namespace" {
        names("namespaces")
    } else if partial.starts_with('-') || done.iter().any(|w| w == "--") {
        Vec::new()
    } else {
        match done.first().map(String::as_str) {
            None => PROGRAMS.iter().map(|s| s.to_string()).collect(),
            Some("kubectl" | "k") => match positional.as_slice() {
                [] => VERBS.iter().map(|s| s.to_string()).collect(),
                [verb] if KIND_VERBS.contains(&verb.as_str()) => match partial.split_once('/') {
                    Some((kind, _)) => names(kind)
                        .into_iter()
                        .map(|n| format!("{kind}/{n}"))
                        .collect(),
                    None => kind_names(),
                },
                [verb, kind] if KIND_VERBS.contains(&verb.as_str()) && !kind.contains('/') => {
                    names(kind)
                }
                [verb] if POD_VERBS.contains(&verb.as_str()) => names("pods"),
                [verb] if NODE_VERBS.contains(&verb.as_str()) => names("nodes"),
                [verb] if verb.as_str() == "rollout" => {
                    ROLLOUT_COMMANDS.iter().map(|s| s.to_string()).collect()
                }
                [verb, _] if verb.as_str() == "rollout" => {
                    ["deployment", "statefulset", "daemonset"]
                        .into_iter()
                        .flat_map(|kind| {
                            names(kind).into_iter().map(move |n| format!("{kind}/{n}"))
                        })
                        .collect()
                }
                [verb, sub] if verb.as_str() == "top" && sub.starts_with("po") => names("pods"),
                [verb, sub] if verb.as_str() == "top" && sub.starts_with("no") => names("nodes"),
                [verb] if verb.as_str() == "top" => vec!["node".into(), "pod".into()],
                _ => Vec::new(),
            },
            Some("cluster") => match positional.as_slice() {
                [] => CLUSTER_COMMANDS.iter().map(|s| s.to_string()).collect(),
                [command]
                    if matches!(
                        command.as_str(),
                        "fail-node" | "recover-node" | "remove-node"
                    ) =>
                {
                    names("nodes")
                }
                [command] if matches!(command.as_str(), "crash" | "kill") => names("pods"),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    };
    list.retain(|c| c.starts_with(partial.as_str()));
    list.sort_stable();
    list.dedup();
    list
}

/// A line's words as the CLI splits them (its script parser: quotes, backslashes, `$( … )`),
/// or split at spaces when it does not parse yet (an open quote, an unknown program).
fn split_words(line: &str) -> Vec<String> {
    use scenario::script::Command;
    match scenario::script::parse_command(line, None) {
        Ok(Some(Command::Kubectl { args, .. })) => {
            let program = line
                .split_whitespace()
                .next()
                .unwrap_or("kubectl")
                .to_string();
            std::iter::once(program).chain(args).collect()
        }
        Ok(Some(Command::Cluster { args })) => {
            std::iter::once("cluster".to_string()).chain(args).collect()
        }
        Ok(Some(Command::Curl { args })) => {
            std::iter::once("curl".to_string()).chain(args).collect()
        }
        _ => line.split_whitespace().map(str::to_string).collect(),
    }
}

/// The finished words of a line and the word being typed (empty after a trailing space).
fn split_line(line: &str) -> (Vec<String>, String) {
    let trailing_space = line.ends_with(' ');
    let mut words = split_words(line);
    let partial = if trailing_space || words.is_empty() {
        String::new()
    } else {
        words.pop().unwrap_or_default()
    };
    (words, partial)
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut prefix: &str = first;
    for word in &words[1..] {
        let shared = prefix
            .char_indices()
            .zip(word.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8());
        prefix = &prefix[..shared];
    }
    prefix.to_string()
}

/// What Tab does to `line`: the last word grows to the candidates' longest common prefix.
pub fn complete(store: &Store, line: &str) -> Completion {
    let candidates = candidates(store, line);
    let (_, partial) = split_line(line);
    let head = &line[..line.len() - partial.len()];
    let line = match candidates.as_slice() {
        [] => line.to_string(),
        [only] => format!("{head}{only} "),
        many => {
            let prefix = common_prefix(many);
            if prefix.len() > partial.len() {
                format!("{head}{prefix}")
            } else {
                line.to_string()
            }
        }
    };
    Completion { line, candidates }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with_web() -> Store {
        let mut session = scenario::Session::new(1);
        crate::engine::apply_text(&mut session, crate::engine::STARTER_MANIFEST);
        crate::engine::run_terminal_line(&mut session, "kubectl create namespace shop");
        crate::engine::run_terminal_line(&mut session, "kubectl run cart --image=nginx -n shop");
        crate::engine::run_terminal_line(&mut session, "kubectl run webhook --image=nginx");
        session.cluster.snapshot().store
    }

    #[test]
    fn tab_completes_programs_verbs_kinds_and_names() {
        let store = store_with_web();
        assert_eq!(complete(&store, "kub").line, "kubectl ");
        assert_eq!(complete(&store, "kubectl ro").line, "kubectl rollout ");
        let get = complete(&store, "kubectl de");
        assert_eq!(get.line, "kubectl de");
        assert_eq!(get.candidates, ["delete", "describe"]);
        assert_eq!(
            complete(&store, "kubectl get deploy").candidates,
            ["deploy", "deployment", "deployments"]
        );
        assert_eq!(
            complete(&store, "kubectl get deployments w").line,
            "kubectl get deployments web "
        );
        // Two objects start with "web": the common prefix, then the list.
        let pods = complete(&store, "kubectl get pod w");
        assert_eq!(pods.line, "kubectl get pod web");
        assert!(pods.candidates.len() >= 3, "{:?}", pods.candidates);
        assert!(pods.candidates.contains(&"webhook".to_string()));
        // The line's namespace.
        assert_eq!(
            complete(&store, "kubectl -n shop logs c").line,
            "kubectl -n shop logs cart "
        );
        assert_eq!(
            complete(&store, "kubectl logs c").candidates,
            Vec::<String>::new()
        );
        assert_eq!(
            complete(&store, "kubectl get pods -n sh").line,
            "kubectl get pods -n shop "
        );
        assert_eq!(
            complete(&store, "kubectl describe svc/w").line,
            "kubectl describe svc/web "
        );
        assert_eq!(
            complete(&store, "kubectl rollout restart d").line,
            "kubectl rollout restart deployment/web "
        );
        assert_eq!(
            complete(&store, "kubectl cordon node-").candidates,
            ["node-1", "node-2", "node-3"]
        );
        assert_eq!(complete(&store, "cluster fail").line, "cluster fail-node ");
        assert_eq!(
            complete(&store, "cluster fail-node control").line,
            "cluster fail-node control-plane "
        );
        // Nothing to offer: the line is left alone.
        assert_eq!(
            complete(&store, "kubectl get pods --wat").line,
            "kubectl get pods --wat"
        );
        assert_eq!(
            complete(&store, "kubectl exec web -- ").candidates,
            Vec::<String>::new()
        );
        assert_eq!(complete(&store, "").candidates.len(), PROGRAMS.len());
        assert_eq!(
            complete(&store, "kubectl get \"unterminated").line,
            "kubectl get \"unterminated"
        );
    }

    #[test]
    fn common_prefixes() {
        assert_eq!(common_prefix(&["abc".into(), "abd".into()]), "ab");
        assert_eq!(common_prefix(&["한국".into(), "한글".into()]), "한");
        assert_eq!(common_prefix(&[]), "");
    }
}
