//! `kubectl delete`: by type and names, `TYPE/NAME`, `-f`, `-l`, `--all`.

use cluster::{Cluster, Propagation};
use model::{ResourceType, Selector};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output, Workspace};

const DELETE_FLAGS: &[flags::FlagSpec] = &[
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    value("selector", Some('l')),
    boolean("all", None),
    boolean("all-namespaces", Some('A')),
    boolean("force", None),
    value("grace-period", None),
    value("cascade", None),
    boolean("wait", None),
    boolean("now", None),
    boolean("ignore-not-found", None),
    value("output", Some('o')),
    value("dry-run", None),
    value("timeout", None),
    value("field-selector", None),
];

pub(crate) fn delete(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let parsed = match flags::parse(args, DELETE_FLAGS, "delete") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let propagation = match parsed.value("cascade").unwrap_or("background") {
        "background" | "true" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" | "false" => Propagation::Orphan,
        other => {
            return Output::error(format!(
                "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            ))
        }
    };
    // --grace-period / --now / --force as kubectl turns them into the request's grace period:
    // 0 without --force means 1, --force without a grace period means 0.
    let mut grace_period: Option<i64> = match parsed.value("grace-period") {
        Some(text) => match text.parse::<i64>() {
            Ok(n) if n >= 0 => Some(n),
            Ok(_) => None,
            Err(_) => {
                return Output::error(format!(
                    "error: invalid argument \"{text}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax\nSee 'kubectl delete --help' for usage."
                ))
            }
        },
        None => None,
    };
    if parsed.flag("now") {
        if parsed.is_set("grace-period") {
            return Output::error("error: --now and --grace-period cannot be specified together");
        }
        grace_period = Some(1);
    }
    let force = parsed.flag("force");
    if force && grace_period.is_some_and(|g| g > 0) {
        return Output::error(
            "error: --force and --grace-period greater than 0 cannot be specified together",
        );
    }
    // The resource builder refuses --all with any selector before delete's own checks run.
    if parsed.flag("all") && (parsed.is_set("selector") || parsed.is_set("field-selector")) {
        return Output::error("error: setting 'all' parameter but found a non empty selector. ");
    }
    let name_only = match parsed.value("output") {
        None | Some("") => false,
        Some("name") => true,
        Some(other) => {
            return Output::error(format!(
                "error: unexpected -o output mode: {other}. We only support '-o name'"
            ))
        }
    };
    let field_selector = match parsed
        .value("field-selector")
        .map(super::get::FieldSelector::parse)
        .transpose()
    {
        Ok(s) => s,
        Err(message) => return Output::error(message),
    };
    if force && grace_period.is_none() {
        grace_period = Some(0);
    }
    if grace_period == Some(0) && !force {
        grace_period = Some(1);
    }
    let wait = !parsed.is_set("wait") || parsed.flag("wait");
    let mut waiting_for: Vec<(&'static ResourceType, String, String)> = Vec::new();
    // (resource, namespace, name, the file it came from)
    let mut targets: Vec<(&'static ResourceType, String, String, Option<String>)> = Vec::new();
    let mut output = Output::default();

    if !parsed.values("filename").is_empty() {
        let sources = match super::read_sources(
            parsed.values("filename"),
            parsed.flag("recursive"),
            workspace,
        ) {
            Ok(s) => s,
            Err(e) => return Output::error(e),
        };
        for (source, text) in sources {
            match model::decode_documents(&text) {
                Ok(objects) => {
                    for object in objects {
                        let ns = if object.namespace().is_empty() {
                            namespace.clone()
                        } else {
                            object.namespace().to_string()
                        };
                        targets.push((
                            object.resource_type(),
                            ns,
                            object.name().to_string(),
                            Some(source.clone()),
                        ));
                    }
                }
                Err(e) => {
                    return Output::error(super::decode_error_message(&source, &e, "deleting"))
                }
            }
        }
    } else if parsed.positionals.is_empty() {
        return Output::error(super::NO_RESOURCES_GIVEN);
    } else if parsed.positionals.iter().any(|p| p.contains('/')) {
        for p in &parsed.positionals {
            let (kind, name) = p.split_once('/').unwrap_or((p, ""));
            let resource = match super::resolve_resource(kind) {
                Ok(r) => r,
                Err(o) => return o,
            };
            targets.push((resource, namespace.clone(), name.to_string(), None));
        }
    } else {
        let mut resources = Vec::new();
        for kind in parsed.positionals[0].split(',') {
            match super::resolve_resource(kind) {
                Ok(r) => resources.push(r),
                Err(o) => return o,
            }
        }
        let names = &parsed.positionals[1..];
        let selector = match parsed.value("selector").map(Selector::parse).transpose() {
            Ok(s) => s,
            Err(e) => return Output::error(format!("error: {e}")),
        };
        if names.is_empty() && selector.is_none() && field_selector.is_none() && !parsed.flag("all")
        {
            return Output::error("error: resource(s) were provided, but no name was specified");
        }
        if !names.is_empty()
            && (selector.is_some() || field_selector.is_some() || parsed.flag("all"))
        {
            return Output::error("error: name cannot be provided when a selector is specified");
        }
        for resource in resources {
            if names.is_empty() {
                let ns = if parsed.flag("all-namespaces") {
                    None
                } else {
                    Some(namespace.as_str())
                };
                let listed: Vec<_> = cluster
                    .list(resource, ns)
                    .into_iter()
                    .filter(|o| {
                        selector
                            .as_ref()
                            .is_none_or(|s| s.matches(o.metadata().labels.as_ref()))
                    })
                    .collect();
                let listed = match &field_selector {
                    Some(fields) => match fields.filter(resource, listed) {
                        Ok(objects) => objects,
                        Err(message) => return Output::error(message),
                    },
                    None => listed,
                };
                let matching: Vec<_> = listed
                    .into_iter()
                    .map(|o| {
                        (
                            resource,
                            o.namespace().to_string(),
                            o.name().to_string(),
                            None,
                        )
                    })
                    .collect();
                targets.extend(matching);
            } else {
                targets.extend(
                    names
                        .iter()
                        .map(|n| (resource, namespace.clone(), n.clone(), None)),
                );
            }
        }
        if targets.is_empty() {
            output.stdout.push_str("No resources found\n");
            return output;
        }
    }

    if force && grace_period == Some(0) && parsed.value("dry-run").is_none_or(|d| d == "none") {
        output.stderr.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    for (resource, ns, name, source) in targets {
        if let Err(denied) =
            super::check_access(cluster, &parsed, "delete", resource, Some(&ns), Some(&name))
        {
            output.append(denied);
            continue;
        }
        // kubectl's PrintObj: "force deleted" for a grace period of 0, the namespace, the dry run.
        let mut operation = if grace_period == Some(0) {
            String::from("force deleted")
        } else {
            String::from("deleted")
        };
        if resource.namespaced {
            operation.push_str(&format!(" from {ns} namespace"));
        }
        if let Some(suffix) = super::dry_run_suffix(&parsed) {
            operation.push_str(suffix);
        }
        // `-o name` prints `kind/name` whatever happened.
        let line = if name_only {
            format!("{}/{name}\n", resource_label(resource))
        } else {
            format!("{} \"{name}\" {operation}\n", resource_label(resource))
        };
        if parsed.value("dry-run").is_some_and(|d| d != "none") {
            output.stdout.push_str(&line);
            continue;
        }
        let deleted = cluster.delete_with_grace(resource, &ns, &name, propagation, grace_period);
        // kubectl waits for whatever is still there being deleted: a Terminating pod, a
        // namespace emptying, an owner waiting for its dependents (foreground). An object
        // held by someone's finalizer would keep a real kubectl waiting until Ctrl+C; here the
        // command returns (the finalizer is what the user is looking at).
        if deleted.as_ref().is_ok_and(|o| {
            o.metadata().deletion_timestamp.is_some()
                && o.metadata()
                    .finalizers
                    .iter()
                    .flatten()
                    .all(|f| f == cluster::api::FOREGROUND_DELETION)
        }) {
            waiting_for.push((resource, ns.clone(), name.clone()));
        }
        match deleted {
            Ok(_) => output.stdout.push_str(&line),
            Err(_) if parsed.flag("ignore-not-found") => {}
            Err(e) => output.append(Output::error(super::server_error(
                &e,
                source.as_deref(),
                "deleting",
            ))),
        }
    }
    if wait {
        wait_until_gone(cluster, &waiting_for);
    }
    output
}

/// `--wait` (the default): lets simulated time run until the objects that are being deleted
/// gracefully (Terminating pods, namespaces, foreground-deleted owners) are gone, as kubectl
/// blocks until they are. Bounded: at most ten simulated minutes.
fn wait_until_gone(cluster: &mut Cluster, objects: &[(&'static ResourceType, String, String)]) {
    for _ in 0..600 {
        let pending = objects.iter().any(|(resource, ns, name)| {
            cluster
                .get(resource, ns, name)
                .is_ok_and(|o| o.metadata().deletion_timestamp.is_some())
        });
        if !pending {
            return;
        }
        cluster.advance(cluster::SimDuration::from_secs(1));
    }
}

/// `deployment.apps`, `pod`: how delete names the resource before the object name.
fn resource_label(resource: &ResourceType) -> String {
    if resource.group.is_empty() {
        resource.singular.to_string()
    } else {
        format!("{}.{}", resource.singular, resource.group)
    }
}
