//! One module per kubectl verb; [`dispatch`] picks the verb like cobra does.

mod apply;
mod attach;
mod auth;
mod autoscale;
pub mod config;
mod cp;
mod create;
mod create_input;
mod debug;
mod delete;
mod describe;
mod diff;
pub mod edit;
mod events;
mod exec;
pub(crate) mod explain;
mod expose;
mod generators;
mod get;
mod help;
mod info;
pub mod logs;
mod modify;
mod node;
mod output;
mod port_forward;
mod replace;
mod rollout;
mod run;
mod top;
mod wait;
pub mod watch;

use cluster::Cluster;
use model::sort::SortSlice;

use crate::{Kubectl, Output, Workspace};

/// Verbs real kubectl has that this playground does not implement yet: they say so plainly.
const NOT_YET_IMPLEMENTED: &[&str] = &["certificate", "completion", "kustomize", "plugin", "proxy"];

/// Splits a command's subcommand (`set image`, `auth can-i`, `top pod`) from its other
/// arguments: the first word that is neither a flag nor the value of a flag before it, so that
/// global flags may come first (`kubectl -n dev auth can-i …`).
pub(crate) fn take_subcommand(args: &[String]) -> (Option<String>, Vec<String>) {
    let takes_value = |flag: &str| {
        matches!(
            flag,
            "-n" | "--namespace"
                | "--context"
                | "--kubeconfig"
                | "--cluster"
                | "--user"
                | "--as"
                | "--as-group"
                | "-l"
                | "--selector"
                | "-f"
                | "--filename"
                | "-c"
                | "--containers"
        )
    };
    let position = (0..args.len())
        .find(|&i| !args[i].starts_with('-') && (i == 0 || !takes_value(&args[i - 1])));
    match position {
        Some(i) => {
            let mut rest = args.to_vec();
            let subcommand = rest.remove(i);
            (Some(subcommand), rest)
        }
        None => (None, args.to_vec()),
    }
}

/// The resource builder's error when no resource is named (kubectl prints it whole).
pub(crate) const NO_RESOURCES_GIVEN: &str = "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

/// ` (dry run)` or ` (server dry run)`, as kubectl's printers mark a dry run (`--dry-run=client`
/// or `server`); `None` for a real run.
pub(crate) fn dry_run_suffix(parsed: &crate::flags::ParsedArgs) -> Option<&'static str> {
    match parsed.value("dry-run") {
        None | Some("none") => None,
        Some("server") => Some(" (server dry run)"),
        Some(_) => Some(" (dry run)"),
    }
}

pub(crate) fn dispatch(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    // Global flags may come before the verb (`kubectl -n dev get pods`): the verb is the first
    // word that is neither a flag nor a global flag's value.
    let mut verb_index = None;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "-n" || arg == "--namespace" || arg == "--context" || arg == "--kubeconfig" {
            i += 2;
            continue;
        }
        if arg.starts_with('-') {
            i += 1;
            continue;
        }
        verb_index = Some(i);
        break;
    }
    let Some(verb_index) = verb_index else {
        return Output::ok(info::ROOT_HELP);
    };
    let verb = args[verb_index].as_str();
    let mut rest: Vec<String> = args[..verb_index].to_vec();
    rest.extend_from_slice(&args[verb_index + 1..]);
    if verb != "config" {
        // The context (`--context`, else the current one) decides the namespace and, when its
        // user is not the admin, who the requests are made as.
        let context = rest
            .iter()
            .position(|a| a == "--context")
            .and_then(|i| rest.get(i + 1).cloned())
            .or_else(|| {
                rest.iter()
                    .find_map(|a| a.strip_prefix("--context=").map(str::to_string))
            });
        if let Some(name) = &context {
            if !kubectl.kubeconfig.contexts.contains_key(name) {
                return Output::error(format!("error: context \"{name}\" does not exist"));
            }
        }
        let explicit_user = rest.iter().any(|a| a == "--as" || a.starts_with("--as="));
        if let Some(user) = kubectl.kubeconfig.impersonated_user(context.as_deref()) {
            if !explicit_user {
                // After the verb's own words, before anything after `--`.
                let at = rest.iter().position(|a| a == "--").unwrap_or(rest.len());
                rest.insert(at, format!("--as={user}"));
            }
        }
    }
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        return help::help(verb, &rest);
    }
    // The API server's warnings for this command's requests come first on stderr, as kubectl
    // prints each response's warnings when it arrives.
    cluster.record_warnings(true);
    let mut output = dispatch_verb(kubectl, cluster, verb, rest, workspace);
    cluster.record_warnings(false);
    let warnings = cluster.take_warnings();
    if !warnings.is_empty() {
        let mut stderr: String = warnings.iter().map(|w| format!("Warning: {w}\n")).collect();
        stderr.push_str(&output.stderr);
        output.stderr = stderr;
    }
    output
}

fn dispatch_verb(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    verb: &str,
    rest: Vec<String>,
    workspace: &dyn Workspace,
) -> Output {
    let rest = if output::TEMPLATE_VERBS.contains(&verb) {
        match output::normalize_template_args(&rest, workspace) {
            Ok(rest) => rest,
            Err(error) => return error,
        }
    } else {
        rest
    };
    match verb {
        "get" => get::get(kubectl, cluster, &rest, workspace),
        "apply" => match take_subcommand(&rest) {
            (Some(sub), sub_args)
                if matches!(
                    sub.as_str(),
                    "view-last-applied" | "set-last-applied" | "edit-last-applied"
                ) =>
            {
                apply::last_applied(kubectl, cluster, &sub, &sub_args, workspace)
            }
            _ => apply::apply(kubectl, cluster, &rest, workspace),
        },
        "diff" => diff::diff(kubectl, cluster, &rest, workspace),
        "edit" => edit::edit(kubectl, cluster, &rest, workspace),
        "explain" => explain::explain(&rest),
        "create" => create::create(kubectl, cluster, &rest, workspace),
        "delete" => delete::delete(kubectl, cluster, &rest, workspace),
        "describe" => describe::describe(kubectl, cluster, &rest, workspace),
        "run" => run::run(kubectl, cluster, &rest),
        "auth" => auth::auth(kubectl, cluster, &rest),
        "events" => events::events(kubectl, cluster, &rest),
        "logs" => logs::logs(kubectl, cluster, &rest),
        "exec" => exec::exec(kubectl, cluster, &rest),
        "cp" => cp::cp(kubectl, cluster, &rest, workspace),
        "attach" => attach::attach(kubectl, cluster, &rest),
        "debug" => debug::debug(kubectl, cluster, &rest),
        "port-forward" => port_forward::port_forward(kubectl, cluster, &rest),
        "replace" => replace::replace(kubectl, cluster, &rest, workspace),
        "patch" => modify::patch(kubectl, cluster, &rest),
        "label" => modify::label(kubectl, cluster, &rest),
        "annotate" => modify::annotate(kubectl, cluster, &rest),
        "scale" => modify::scale(kubectl, cluster, &rest),
        "set" => modify::set(kubectl, cluster, &rest),
        "rollout" => rollout::rollout(kubectl, cluster, &rest),
        "cordon" => node::cordon(kubectl, cluster, &rest, true),
        "uncordon" => node::cordon(kubectl, cluster, &rest, false),
        "drain" => node::drain(kubectl, cluster, &rest),
        "taint" => node::taint(kubectl, cluster, &rest),
        "wait" => wait::wait(kubectl, cluster, &rest),
        "expose" => expose::expose(kubectl, cluster, &rest),
        "top" => top::top(kubectl, cluster, &rest),
        "autoscale" => autoscale::autoscale(kubectl, cluster, &rest),
        "version" => info::version(&rest),
        "api-resources" => info::api_resources(&rest),
        "api-versions" => info::api_versions(),
        "cluster-info" => info::cluster_info(),
        "config" => config::config(kubectl, &rest),
        "help" => match rest.iter().position(|a| !a.starts_with('-')) {
            Some(i) => help::help(&rest[i], &rest[i + 1..]),
            None => Output::ok(info::ROOT_HELP),
        },
        v if NOT_YET_IMPLEMENTED.contains(&v) => Output::error(format!(
            "error: \"kubectl {v}\" is not available in this playground yet"
        )),
        other => Output::error(unknown_command(other)),
    }
}

/// Every top-level kubectl command, sorted as cobra sorts them for suggestions.
const ALL_COMMANDS: &[&str] = &[
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "attach",
    "autoscale",
    "certificate",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "create",
    "debug",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "exec",
    "explain",
    "expose",
    "get",
    "kustomize",
    "label",
    "logs",
    "patch",
    "plugin",
    "port-forward",
    "proxy",
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

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// cobra's message: suggestions within edit distance 2 or sharing the typed prefix, each on a
/// line starting with a TAB.
fn unknown_command(typed: &str) -> String {
    let suggestions: Vec<&str> = ALL_COMMANDS
        .iter()
        .copied()
        .filter(|c| {
            levenshtein(&typed.to_lowercase(), c) <= 2 || c.starts_with(&typed.to_lowercase())
        })
        .collect();
    let mut message = format!("error: unknown command \"{typed}\" for \"kubectl\"");
    if !suggestions.is_empty() {
        message.push_str("\n\nDid you mean this?\n");
        for s in suggestions {
            message.push('\t');
            message.push_str(s);
            message.push('\n');
        }
    }
    message
}

/// What the API server says (as a Warning header) to every request for v1 Endpoints.
pub(crate) const ENDPOINTS_DEPRECATION_WARNING: &str =
    "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n";

/// Whether a resource is the deprecated core/v1 Endpoints.
pub(crate) fn is_core_endpoints(resource: &model::ResourceType) -> bool {
    resource.kind == "Endpoints" && resource.group.is_empty()
}

/// The namespace a command works in: `-n`, else the context's.
pub(crate) fn namespace_of(kubectl: &Kubectl, parsed: &crate::flags::ParsedArgs) -> String {
    parsed
        .value("namespace")
        .map(str::to_string)
        .unwrap_or_else(|| kubectl.kubeconfig.namespace(parsed.value("context")))
}

/// `deployment.apps/web`: how kubectl names an object in one-line results.
pub(crate) fn object_ref(resource: &model::ResourceType, name: &str) -> String {
    if resource.group.is_empty() {
        format!("{}/{name}", resource.singular)
    } else {
        format!("{}.{}/{name}", resource.singular, resource.group)
    }
}

/// Reads every `-f` source: files, directories (their .yaml/.yml/.json files; with `-R` also
/// those of every directory below, in the order Go's filepath.Walk visits them: entries sorted
/// by name, a directory's files where its name sorts) and `-` (stdin). Returns (source name,
/// text) pairs, or kubectl's error.
pub(crate) fn read_sources(
    filenames: &[String],
    recursive: bool,
    workspace: &dyn Workspace,
) -> Result<Vec<(String, String)>, String> {
    let mut sources = Vec::new();
    for filename in filenames {
        if filename == "-" {
            match workspace.stdin() {
                Some(text) => sources.push(("STDIN".to_string(), text.to_string())),
                None => return Err("error: no objects passed to apply".to_string()),
            }
            continue;
        }
        if filename.starts_with("http://") || filename.starts_with("https://") {
            return Err(format!(
                "error: unable to read URL \"{filename}\": this playground has no network; paste the manifest into the editor instead"
            ));
        }
        if workspace.list_dir(filename).is_some() {
            let directory = if filename.len() > 1 {
                filename.trim_end_matches('/')
            } else {
                filename
            };
            read_directory(directory, recursive, workspace, 0, &mut sources)?;
            continue;
        }
        match workspace.read_file(filename) {
            Ok(text) => sources.push((filename.clone(), text)),
            Err(_) => return Err(format!("error: the path \"{filename}\" does not exist")),
        }
    }
    Ok(sources)
}

/// Go's filepath.Join for a directory walk: `./x` and `x/` are cleaned, `.` disappears.
fn join_path(directory: &str, name: &str) -> String {
    let mut directory = directory.trim_end_matches('/');
    while let Some(rest) = directory.strip_prefix("./") {
        directory = rest.trim_start_matches('/');
    }
    if directory.is_empty() || directory == "." {
        name.to_string()
    } else {
        format!("{directory}/{name}")
    }
}

/// How deep `-R` descends (a guard; real trees are shallow).
const MAX_DIRECTORY_DEPTH: usize = 32;

fn read_directory(
    directory: &str,
    recursive: bool,
    workspace: &dyn Workspace,
    depth: usize,
    sources: &mut Vec<(String, String)>,
) -> Result<(), String> {
    let files = workspace.list_dir(directory).unwrap_or_default();
    let subdirectories = if recursive && depth < MAX_DIRECTORY_DEPTH {
        workspace.list_subdirs(directory)
    } else {
        Vec::new()
    };
    let mut entries: Vec<(&String, bool)> = files
        .iter()
        .map(|f| (f, false))
        .chain(subdirectories.iter().map(|d| (d, true)))
        .collect();
    entries.sort_stable();
    for (entry, is_directory) in entries {
        let path = join_path(directory, entry);
        if is_directory {
            read_directory(&path, recursive, workspace, depth + 1, sources)?;
        } else if entry.ends_with(".yaml") || entry.ends_with(".yml") || entry.ends_with(".json") {
            let text = workspace
                .read_file(&path)
                .map_err(|e| format!("error: {e}"))?;
            sources.push((path, text));
        }
    }
    Ok(())
}

/// What Go's os.MkdirTemp / os.CreateTemp would have picked: a number, here a hash (FNV-1a) of the seed, the
/// resourceVersion, the simulated time, how many names this kubectl has made and the prefix,
/// so reruns print the same and two commands never the same.
pub(crate) fn temp_number(cluster: &Cluster, serial: u64, prefix: &str) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let text = format!(
        "{prefix}/{}/{}/{}/{serial}",
        cluster.seed(),
        cluster.resource_version(),
        cluster.now().0
    );
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    // splitmix64's finalizer, so that names made one after the other look unrelated.
    hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (hash ^ (hash >> 31)) as u32
}

/// kubectl's wording for a manifest that did not decode.
pub(crate) fn decode_error_message(
    source: &str,
    error: &model::DecodeError,
    verb_gerund: &str,
) -> String {
    use model::DecodeErrorKind as K;
    let position = match (error.line, error.column) {
        (Some(line), Some(column)) => format!("line {line}, column {column}"),
        (Some(line), None) => format!("line {line}"),
        _ => String::new(),
    };
    match error.kind {
        K::Syntax => format!("error: error parsing {source}: error converting YAML to JSON: yaml: {position}: {}", error.message),
        K::MissingTypeInfo => format!(
            "error: error validating \"{source}\": {}; if you choose to ignore these errors, turn validation off with --validate=false",
            error.message
        ),
        K::NoMatchForKind => format!(
            "error: resource mapping not found for name: \"{}\" namespace: \"\" from \"{source}\": {}\nensure CRDs are installed first",
            error.object_name.as_deref().unwrap_or(""),
            error.message
        ),
        K::StrictDecoding => {
            let kind = error.object_kind.as_deref().unwrap_or("");
            let version = error.api_version.as_deref().map(|v| model::registry::split_api_version(v).1).unwrap_or("");
            format!(
                "Error from server (BadRequest): error when {verb_gerund} \"{source}\": {kind} in version \"{version}\" cannot be handled as a {kind}: {}",
                error.message
            )
        }
        K::TooLarge => format!("error: error parsing {source}: {}{}", error.message, if position.is_empty() { String::new() } else { format!(" ({position})") }),
    }
}

/// kubectl's line for an API error: `Error from server (Reason): error when creating "f.yaml": …`
/// (the file part only for `-f` sources). A single Invalid error is printed as its bare message.
pub(crate) fn server_error(
    error: &cluster::ApiError,
    source: Option<&str>,
    verb_gerund: &str,
) -> String {
    match source {
        _ if error.reason == "Invalid" => error.message.clone(),
        Some(source) if !source.is_empty() => {
            format!(
                "Error from server ({}): error when {verb_gerund} \"{source}\": {}",
                error.reason, error.message
            )
        }
        _ => error.to_string(),
    }
}

/// With `--as`, asks the RBAC authorizer whether the impersonated user may make the request and
/// returns the API server's Forbidden error if not. Without `--as` the user is the cluster admin.
pub(crate) fn check_access(
    cluster: &Cluster,
    parsed: &crate::flags::ParsedArgs,
    verb: &str,
    resource: &model::ResourceType,
    namespace: Option<&str>,
    name: Option<&str>,
) -> Result<(), Output> {
    check_subresource_access(cluster, parsed, verb, resource, None, namespace, name)
}

/// What a connection to a pod (`exec`, `portforward`) is authorized as: kubectl reads the pod
/// (`get pods`), then the API server checks `create pods/<subresource>`.
pub(crate) fn check_pod_connect(
    cluster: &Cluster,
    parsed: &crate::flags::ParsedArgs,
    namespace: &str,
    pod: &str,
    subresource: &str,
) -> Result<(), Output> {
    let pods = model::registry::resolve("pods").expect("registered");
    check_access(cluster, parsed, "get", pods, Some(namespace), Some(pod))?;
    check_subresource_access(
        cluster,
        parsed,
        "create",
        pods,
        Some(subresource),
        Some(namespace),
        Some(pod),
    )
}

/// [`check_access`] for a subresource (`pods/exec`, `pods/portforward`).
pub(crate) fn check_subresource_access(
    cluster: &Cluster,
    parsed: &crate::flags::ParsedArgs,
    verb: &str,
    resource: &model::ResourceType,
    subresource: Option<&str>,
    namespace: Option<&str>,
    name: Option<&str>,
) -> Result<(), Output> {
    let Some(user) = parsed.value("as") else {
        return Ok(());
    };
    let user = cluster::rbac::UserInfo::impersonated(user, parsed.values("as-group"));
    let request = cluster::rbac::Request {
        verb,
        resource,
        subresource,
        namespace: namespace.filter(|_| resource.namespaced),
        name,
    };
    if cluster.authorize(&user, &request) {
        Ok(())
    } else {
        Err(Output::error(format!(
            "Error from server (Forbidden): {}",
            cluster::rbac::forbidden_message(&user, &request)
        )))
    }
}

/// Resolves a user-typed resource name or prints kubectl's error.
/// The one object `TYPE NAME` or `TYPE/NAME` names (expose, autoscale), with kubectl's errors
/// when a word is missing.
pub(crate) fn resource_and_name(
    words: &[String],
) -> Result<(&'static model::ResourceType, String), Output> {
    match words.first().map(|w| w.split_once('/')) {
        Some(Some((kind, name))) => resolve_resource(kind).map(|r| (r, name.to_string())),
        Some(None) => match (resolve_resource(&words[0])?, words.get(1)) {
            (r, Some(name)) => Ok((r, name.clone())),
            (_, None) => Err(Output::error(
                "error: resource(s) were provided, but no name was specified",
            )),
        },
        None => Err(Output::error(NO_RESOURCES_GIVEN)),
    }
}

pub(crate) fn resolve_resource(name: &str) -> Result<&'static model::ResourceType, Output> {
    model::registry::resolve(name).ok_or_else(|| {
        Output::error(format!(
            "error: the server doesn't have a resource type \"{name}\""
        ))
    })
}
