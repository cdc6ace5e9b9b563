//! `kubectl auth can-i VERB RESOURCE[/NAME]` and `--list`, answered by the RBAC authorizer.

use cluster::rbac::{Request, UserInfo};
use cluster::Cluster;

use crate::flags::{self, boolean, value};
use crate::{table, Kubectl, Output};

pub(crate) fn auth(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let (subcommand, rest) = super::take_subcommand(args);
    match subcommand.as_deref() {
        Some("can-i") => can_i(kubectl, cluster, &rest),
        Some("whoami") => {
            let parsed = match flags::parse(&rest, &[value("output", Some('o'))], "auth whoami") {
                Ok(p) => p,
                Err(e) => return Output::error(e),
            };
            let user = user_of(&parsed);
            let groups = format!("[{}]", user.groups.join(" "));
            Output::ok(table::render(&["ATTRIBUTE".into(), "VALUE".into()], &[vec!["Username".into(), user.name], vec!["Groups".into(), groups]], false))
        }
        Some(other) if !other.starts_with('-') => Output::error(format!("error: unknown command \"{other}\" for \"kubectl auth\"")),
        _ => Output::ok("Inspect authorization.\n\nAvailable Commands:\n  can-i       Check whether an action is allowed\n  whoami      Show who you are\n\nUsage:\n  kubectl auth [flags] [options]\n"),
    }
}

fn user_of(parsed: &flags::ParsedArgs) -> UserInfo {
    match parsed.value("as") {
        Some(name) => UserInfo::impersonated(name, parsed.values("as-group")),
        None => UserInfo::cluster_admin(),
    }
}

fn can_i(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        boolean("all-namespaces", Some('A')),
        boolean("list", None),
        boolean("quiet", Some('q')),
        boolean("no-headers", None),
        value("subresource", None),
    ];
    let parsed = match flags::parse(args, &specs, "auth can-i") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let user = user_of(&parsed);
    if parsed.flag("list") {
        return list(cluster, &user, &namespace, parsed.flag("no-headers"));
    }
    let (Some(verb), Some(target)) = (parsed.positionals.first(), parsed.positionals.get(1)) else {
        return Output::error("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples");
    };
    let (kind, name) = match target.split_once('/') {
        Some((k, n)) => (k, Some(n.to_string())),
        None => (target.as_str(), parsed.positionals.get(2).cloned()),
    };
    let mut output = Output::default();
    let answer = match model::registry::resolve(kind) {
        Some(resource) => {
            let request = Request {
                verb,
                resource,
                subresource: parsed.value("subresource"),
                namespace: if parsed.flag("all-namespaces") {
                    None
                } else {
                    Some(namespace.as_str())
                },
                name: name.as_deref(),
            };
            cluster.authorize(&user, &request)
        }
        None => {
            output.stderr.push_str(&format!(
                "Warning: the server doesn't have a resource type '{kind}'\n"
            ));
            false
        }
    };
    if !parsed.flag("quiet") {
        output
            .stdout
            .push_str(if answer { "yes\n" } else { "no\n" });
    }
    output.exit_code = if answer { 0 } else { 1 };
    output
}

/// `--list`: the rules that apply in the namespace (what a SelfSubjectRulesReview returns),
/// shown as `describe role` shows rules.
fn list(cluster: &Cluster, user: &UserInfo, namespace: &str, no_headers: bool) -> Output {
    let rules = cluster.rules_for(user, Some(namespace));
    let rows: Vec<Vec<String>> = super::describe::compact_policy_rules(&rules)
        .iter()
        .map(|r| {
            let list = |values: &[String]| format!("[{}]", values.join(" "));
            vec![
                r.combined_resource(),
                list(&r.urls),
                list(&r.names),
                list(&r.verbs),
            ]
        })
        .collect();
    let header = ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"].map(String::from);
    Output::ok(table::render(&header, &rows, no_headers))
}
