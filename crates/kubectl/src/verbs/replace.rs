//! `kubectl replace -f FILE`: PUT each object as the file describes it (the whole object: what
//! the file leaves out is gone). A `resourceVersion` in the file must still be the stored one
//! (Conflict otherwise); without one the replace is unconditional. `--force` deletes the object,
//! waits until it is gone, and creates it again.

use cluster::{Cluster, Propagation};
use model::Object;

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output, Workspace};

const REPLACE_FLAGS: &[flags::FlagSpec] = &[
    value("cascade", None),
    value("dry-run", None),
    value("field-manager", None),
    value("filename", Some('f')),
    boolean("force", None),
    value("grace-period", None),
    value("output", Some('o')),
    boolean("recursive", Some('R')),
    boolean("save-config", None),
    value("timeout", None),
    value("validate", None),
    boolean("wait", None),
];

pub(crate) fn replace(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let parsed = match flags::parse(args, REPLACE_FLAGS, "replace") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    if parsed.values("filename").is_empty() {
        return Output::error(
            "error: must specify --filename to replace\nSee 'kubectl replace -h' for help and examples",
        );
    }
    let grace_period = match parsed.value("grace-period").map(str::parse::<i64>) {
        None => -1,
        Some(Ok(g)) => g,
        Some(Err(_)) => {
            return Output::error(format!(
                "error: invalid argument \"{}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax",
                parsed.value("grace-period").unwrap_or(""),
                parsed.value("grace-period").unwrap_or("")
            ))
        }
    };
    if grace_period == 0 && !parsed.flag("force") {
        return Output::error("error: --grace-period must have --force specified");
    }
    let dry_run = parsed.value("dry-run").filter(|d| *d != "none");
    let namespace = super::namespace_of(kubectl, &parsed);
    let sources = match super::read_sources(
        parsed.values("filename"),
        parsed.flag("recursive"),
        workspace,
    ) {
        Ok(s) => s,
        Err(e) => return Output::error(e),
    };
    let mut output = Output::default();
    for (source, text) in sources {
        let objects = match model::decode_documents(&text) {
            Ok(objects) => objects,
            Err(e) => {
                output.append(Output::error(super::decode_error_message(
                    &source,
                    &e,
                    "replacing",
                )));
                continue;
            }
        };
        for object in objects {
            let object = match super::apply::with_request_namespace(
                object,
                &namespace,
                parsed.is_set("namespace"),
            ) {
                Ok(o) => o,
                Err(e) => {
                    output.append(Output::error(e));
                    continue;
                }
            };
            if let Err(denied) = super::check_access(
                cluster,
                &parsed,
                "update",
                object.resource_type(),
                Some(object.namespace()),
                Some(object.name()),
            ) {
                output.append(denied);
                continue;
            }
            let mut replaced = replace_one(
                cluster,
                object,
                &source,
                dry_run,
                parsed.flag("force"),
                grace_period,
                parsed.flag("save-config"),
            );
            // `-o name`: the name printer drops the operation.
            if parsed.value("output") == Some("name") {
                replaced.stdout = replaced
                    .stdout
                    .lines()
                    .map(|line| match line.split_once(" replaced") {
                        Some((reference, _)) => format!("{reference}\n"),
                        None => format!("{line}\n"),
                    })
                    .collect();
            }
            output.append(replaced);
        }
    }
    output
}

fn replace_one(
    cluster: &mut Cluster,
    mut object: Object,
    source: &str,
    dry_run: Option<&str>,
    force: bool,
    grace_period: i64,
    save_config: bool,
) -> Output {
    let resource = object.resource_type();
    let name = object.name().to_string();
    let object_namespace = object.namespace().to_string();
    let reference = super::object_ref(resource, &name);
    let suffix = match dry_run {
        Some("server") => " (server dry run)",
        Some(_) => " (dry run)",
        None => "",
    };
    if save_config {
        let mut recorded = object.to_json_value();
        if let Some(meta) = recorded["metadata"].as_object_mut() {
            for key in ["resourceVersion", "uid", "creationTimestamp", "generation"] {
                meta.remove(key);
            }
        }
        let text = serde_json::to_string(&recorded).unwrap_or_default();
        object
            .metadata_mut()
            .annotations
            .get_or_insert_with(Default::default)
            .insert(
                "kubectl.kubernetes.io/last-applied-configuration".into(),
                format!("{text}\n"),
            );
    }
    let existing = match cluster.get(resource, &object_namespace, &name) {
        Ok(e) => Some(e),
        // `--force` deletes ignoring NotFound, then creates: a missing object is created.
        Err(e) if force && e.code == 404 => None,
        Err(e) => return Output::error(super::server_error(&e, Some(source), "replacing")),
    };
    if force && existing.is_none() {
        if dry_run.is_some() {
            return Output::ok(format!("{reference} replaced{suffix}\n"));
        }
        let metadata = object.metadata_mut();
        metadata.resource_version = None;
        metadata.uid = None;
        return match cluster.create(object) {
            Ok(_) => Output::ok(format!("{reference} replaced\n")),
            Err(e) => Output::error(super::server_error(&e, Some(source), "creating")),
        };
    }
    let Some(existing) = existing else {
        return Output::default();
    };
    if force {
        if dry_run.is_some() {
            return Output::ok(format!("{reference} replaced{suffix}\n"));
        }
        let grace = (grace_period >= 0).then_some(grace_period);
        if let Err(e) = cluster.delete_with_grace(
            resource,
            &object_namespace,
            &name,
            Propagation::Background,
            grace,
        ) {
            return Output::error(super::server_error(&e, Some(source), "replacing"));
        }
        let mut out = Output::ok(format!(
            "{} \"{name}\" deleted from {object_namespace} namespace\n",
            resource.singular
        ));
        if !resource.namespaced {
            out.stdout = format!("{} \"{name}\" deleted\n", resource.singular);
        }
        for _ in 0..600 {
            if cluster.get(resource, &object_namespace, &name).is_err() {
                break;
            }
            cluster.advance(cluster::SimDuration::from_secs(1));
        }
        let metadata = object.metadata_mut();
        metadata.resource_version = None;
        metadata.uid = None;
        match cluster.create(object) {
            Ok(_) => out.stdout.push_str(&format!("{reference} replaced\n")),
            Err(e) => out.append(Output::error(super::server_error(
                &e,
                Some(source),
                "creating",
            ))),
        }
        return out;
    }
    // No resourceVersion in the file: an unconditional replace of what is stored now.
    if object
        .metadata()
        .resource_version
        .as_deref()
        .is_none_or(str::is_empty)
    {
        object.metadata_mut().resource_version = existing.metadata().resource_version.clone();
    }
    if dry_run.is_some() {
        return Output::ok(format!("{reference} replaced{suffix}\n"));
    }
    match cluster.update(object) {
        Ok(_) => Output::ok(format!("{reference} replaced\n")),
        Err(e) => Output::error(super::server_error(&e, Some(source), "replacing")),
    }
}
