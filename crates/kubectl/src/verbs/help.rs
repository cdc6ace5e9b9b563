//! `--help` for every verb and `create` subcommand the playground has, laid out as kubectl lays
//! it out (summary, aliases, examples, subcommands, options with their defaults, usage, the
//! closing lines) and written in our own words. Help goes to stdout with exit code 0.

use super::create::{Flag, FlagType, COMMON_FLAGS, CREATE_FILE_FLAGS};
use super::generators::{self, GENERATORS, GROUPS};
use crate::Output;
use model::sort::SortSlice;

/// One help page.
struct Page<'a> {
    description: &'a str,
    /// The command's name followed by its aliases (printed only when there are aliases).
    aliases: Vec<&'a str>,
    examples: &'a [(&'a str, &'a str)],
    /// `(name, summary)` of the subcommands.
    commands: Vec<(&'a str, &'a str)>,
    options: Vec<Flag>,
    usage: &'a str,
    /// `kubectl create` for `Use "kubectl create <command> --help" …`.
    command_path: &'a str,
}

fn render(page: &Page) -> String {
    let mut out = String::new();
    out.push_str(page.description);
    out.push_str("\n\n");
    if page.aliases.len() > 1 {
        out.push_str("Aliases:\n");
        out.push_str(&page.aliases.join(", "));
        out.push_str("\n\n");
    }
    if !page.examples.is_empty() {
        out.push_str("Examples:\n");
        let blocks: Vec<String> = page
            .examples
            .iter()
            .map(|(comment, command)| format!("  # {comment}\n  {command}\n"))
            .collect();
        out.push_str(&blocks.join("  \n"));
        out.push('\n');
    }
    if !page.commands.is_empty() {
        out.push_str("Available Commands:\n");
        let width = page
            .commands
            .iter()
            .map(|(n, _)| n.len())
            .max()
            .unwrap_or(0)
            .max(11)
            + 2;
        for (name, summary) in &page.commands {
            out.push_str(&format!("  {name:<width$} {summary}\n"));
        }
        out.push('\n');
    }
    if !page.options.is_empty() {
        out.push_str("Options:\n");
        let mut options = page.options.clone();
        options.sort_stable_by_key(|f| f.long);
        for flag in options {
            out.push_str(&format!("    {}:\n\t{}\n\n", flag.help_line(), flag.help));
        }
    }
    out.push_str("Usage:\n  ");
    out.push_str(page.usage);
    out.push_str("\n\n");
    if !page.commands.is_empty() {
        out.push_str(&format!(
            "Use \"{} <command> --help\" for more information about a given command.\n",
            page.command_path
        ));
    }
    out.push_str(
        "Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n",
    );
    out
}

use FlagType::{Array, Bool, Int32, Int64, Slice, Str};

const OUTPUT_FLAG: Flag = Flag::new(
    "output",
    Str,
    "",
    "Print the objects in this format: json, yaml, name, wide, jsonpath=…, jsonpath-as-json=…, jsonpath-file=PATH, custom-columns=…, go-template=… (also template=…), go-template-file=PATH (also templatefile=PATH).",
)
.short('o');
pub(crate) const TEMPLATE: Flag = Flag::new(
    "template",
    Str,
    "",
    "The Go template (or, with -o go-template-file, the file holding it) to print with; giving it without -o means -o go-template.",
);
pub(crate) const ALLOW_MISSING_TEMPLATE_KEYS: Flag = Flag::new(
    "allow-missing-template-keys",
    Bool,
    "true",
    "Print <no value> for a key a template names that the object lacks; false makes it an error.",
);
const FILENAME: Flag = Flag::new(
    "filename",
    Array,
    "",
    "A file, a directory of .yaml/.yml/.json files, or - for standard input.",
)
.short('f');
pub(crate) const RECURSIVE: Flag = Flag::new(
    "recursive",
    Bool,
    "false",
    "Also read the directories inside the directories given with -f.",
)
.short('R');
const SELECTOR: Flag = Flag::new(
    "selector",
    Str,
    "",
    "Only objects whose labels match this selector, e.g. -l app=web,tier!=db or -l 'env in (dev,test)'.",
)
.short('l');
const DRY_RUN: Flag = Flag::new(
    "dry-run",
    Str,
    "none",
    "One of \"none\", \"server\" or \"client\". \"client\" only shows what would be sent; \"server\" sends it for checking without storing anything.",
);
const FIELD_SELECTOR: Flag = Flag::new(
    "field-selector",
    Str,
    "",
    "Only objects whose fields match, e.g. --field-selector metadata.name=web or status.phase!=Running.",
);
const IGNORE_NOT_FOUND: Flag = Flag::new(
    "ignore-not-found",
    Bool,
    "false",
    "Say nothing, and succeed, when a named object does not exist.",
);
const ALL_NAMESPACES: Flag = Flag::new(
    "all-namespaces",
    Bool,
    "false",
    "Work on every namespace instead of the current one.",
)
.short('A');

const GET_FLAGS: &[Flag] = &[
    ALL_NAMESPACES,
    Flag::new("chunk-size", Int64, "500", "How many objects to ask the server for at a time (0 for all at once); the output is the same either way."),
    FIELD_SELECTOR,
    FILENAME,
    IGNORE_NOT_FOUND,
    Flag::new("label-columns", Array, "", "Add a column with the value of each of these labels.").short('L'),
    Flag::new("no-headers", Bool, "false", "Leave out the header row of tables."),
    OUTPUT_FLAG,
    TEMPLATE,
    ALLOW_MISSING_TEMPLATE_KEYS,
    RECURSIVE,
    SELECTOR,
    Flag::new("show-kind", Bool, "false", "Prefix each name with its resource type."),
    Flag::new("show-labels", Bool, "false", "Add a LABELS column with all of each object's labels."),
    Flag::new("sort-by", Str, "", "Sort the list by the field this JSONPath names, e.g. '{.metadata.name}'."),
    Flag::new("watch", Bool, "false", "After printing, keep following the objects and print each change (one resource type; in a script the stream covers the next sleep, in the page it runs until Ctrl+C).").short('w'),
    Flag::new("watch-only", Bool, "false", "Like --watch, without printing the objects as they are first."),
    Flag::new("output-watch-events", Bool, "false", "Watch, and print the kind of each change (ADDED, MODIFIED, DELETED) in a first EVENT column."),
];

const APPLY_FLAGS: &[Flag] = &[
    DRY_RUN,
    Flag::new("field-manager", Str, "kubectl-client-side-apply", "The manager name recorded as owning the fields this command sets."),
    FILENAME,
    Flag::new("force", Bool, "false", "When an update cannot be made, delete the object and create it again."),
    Flag::new("force-conflicts", Bool, "false", "With --server-side, take over fields that other managers own."),
    Flag::new("output", Str, "", "Print each result in this format instead of the one-line summary: one of (json, yaml, name, jsonpath=…, go-template=…, go-template-file=PATH).").short('o'),
    TEMPLATE,
    ALLOW_MISSING_TEMPLATE_KEYS,
    Flag::new("overwrite", Bool, "true", "Let the file's values replace values that were changed in the cluster."),
    Flag::new("prune", Bool, "false", "Delete the objects matching -l that are no longer in the files."),
    RECURSIVE,
    SELECTOR,
    Flag::new("server-side", Bool, "false", "Let the API server do the merge (server-side apply) instead of kubectl."),
    Flag::new("validate", Str, "strict", "How strictly to check the objects: strict (or true) rejects unknown or duplicate fields, warn only reports them, ignore (or false) skips the check."),
];

const DELETE_FLAGS: &[Flag] = &[
    Flag::new("all", Bool, "false", "Delete every object of the given types in the namespace."),
    ALL_NAMESPACES,
    Flag::new("cascade", Str, "background", "What happens to dependents such as a Deployment's pods: background, foreground or orphan."),
    DRY_RUN,
    FIELD_SELECTOR,
    FILENAME,
    Flag::new("force", Bool, "false", "Remove the objects at once, without waiting for them to shut down (with --grace-period=0)."),
    Flag::new("grace-period", Int64, "-1", "Seconds an object gets to shut down; -1 keeps its own default, 0 removes it at once."),
    IGNORE_NOT_FOUND,
    Flag::new("now", Bool, "false", "Shorthand for --grace-period=1."),
    Flag::new("output", Str, "", "Print \"name\" to get resource/name lines instead of the usual messages.").short('o'),
    RECURSIVE,
    SELECTOR,
    Flag::new("timeout", Str, "0s", "How long to wait for the objects to be gone (0s picks a time from the grace period)."),
    Flag::new("wait", Bool, "true", "Wait until the objects are gone before returning."),
];

const RUN_FLAGS: &[Flag] = &[
    Flag::new(
        "annotations",
        Array,
        "",
        "An annotation for the pod, as key=value; repeat for more.",
    ),
    Flag::new(
        "attach",
        Bool,
        "false",
        "Wait for the pod to start and attach to its container.",
    ),
    Flag::new(
        "command",
        Bool,
        "false",
        "Use the words after -- as the container's command instead of its arguments.",
    ),
    DRY_RUN,
    Flag::new(
        "env",
        Array,
        "",
        "An environment variable for the container, as NAME=value; repeat for more.",
    ),
    Flag::new(
        "expose",
        Bool,
        "false",
        "Also create a ClusterIP service for the pod on --port.",
    ),
    Flag::new("image", Str, "", "The image to run."),
    Flag::new(
        "image-pull-policy",
        Str,
        "",
        "When the kubelet pulls the image: Always, IfNotPresent or Never.",
    ),
    Flag::new(
        "labels",
        Str,
        "",
        "Labels for the pod, as key=value pairs separated by commas (run=NAME when not given).",
    )
    .short('l'),
    Flag::new(
        "output",
        Str,
        "",
        "Print the pod in this format instead of the one-line summary: one of (json, yaml, name, jsonpath=…, go-template=…, go-template-file=PATH).",
    )
    .short('o'),
    TEMPLATE,
    ALLOW_MISSING_TEMPLATE_KEYS,
    Flag::new(
        "overrides",
        Str,
        "",
        "JSON merged into the generated pod before it is sent.",
    ),
    Flag::new("port", Str, "", "The port the container exposes."),
    Flag::new(
        "quiet",
        Bool,
        "false",
        "Print nothing but what the container writes.",
    )
    .short('q'),
    Flag::new(
        "restart",
        Str,
        "Always",
        "The pod's restart policy: Always, OnFailure or Never.",
    ),
    Flag::new(
        "rm",
        Bool,
        "false",
        "Delete the pod when the attached session ends (needs -i or --attach).",
    ),
    Flag::new(
        "stdin",
        Bool,
        "false",
        "Keep the container's standard input open.",
    )
    .short('i'),
    Flag::new("tty", Bool, "false", "Give the container a terminal.").short('t'),
];

const VERSION_FLAGS: &[Flag] = &[
    Flag::new("client", Bool, "false", "Print only kubectl's own version."),
    Flag::new("output", Str, "", "Print the versions as yaml or json.").short('o'),
];

const API_RESOURCES_FLAGS: &[Flag] = &[
    Flag::new("api-group", Str, "", "Only the resources of this API group (\"\" is the core group)."),
    Flag::new("namespaced", Bool, "true", "With =true only namespaced resources, with =false only cluster-wide ones; all when not given."),
    Flag::new("no-headers", Bool, "false", "Leave out the header row."),
    Flag::new("output", Str, "", "wide adds the verbs and categories; name prints resource.group names only.").short('o'),
];

const DESCRIBE_FLAGS: &[Flag] = &[
    ALL_NAMESPACES,
    Flag::new("chunk-size", Int64, "500", "How many objects to ask the server for at a time (0 for all at once); the output is the same either way."),
    Flag::new("filename", Array, "", "Describe the objects this file names: a file, a directory of .yaml/.yml/.json files, or - for standard input.").short('f'),
    Flag::new("kustomize", Str, "", "Not available in this playground (it reads no kustomization directories): use -f.").short('k'),
    RECURSIVE,
    SELECTOR,
    Flag::new("show-events", Bool, "true", "Add the events about each object. When not given, events are shown for a single object and left out when several are described."),
];

/// `--dry-run` on the verbs that change one field family: report, write nothing.
const DRY_RUN_NOT_SIMULATED: Flag = Flag::new(
    "dry-run",
    Str,
    "none",
    "Must be \"none\", \"server\", or \"client\". With client or server, print what would change and change nothing.",
);
const FILENAME_NOT_READ: Flag = Flag::new(
    "filename",
    Array,
    "",
    "Accepted for compatibility; this command cannot pick objects from files yet, so name them as TYPE NAME or TYPE/NAME.",
)
.short('f');
const LOCAL_NOT_SIMULATED: Flag = Flag::new(
    "local",
    Bool,
    "false",
    "Accepted for compatibility; the change is always sent to the cluster.",
);
const RESULT_OUTPUT: Flag = Flag::new(
    "output",
    Str,
    "",
    "Print each changed object in this format instead of the one-line summary: one of (json, yaml, name, jsonpath=…, go-template=…, go-template-file=PATH).",
)
.short('o');
const RESOURCE_VERSION_IGNORED: Flag = Flag::new(
    "resource-version",
    Str,
    "",
    "Accepted for compatibility; the change is made whatever the object's current resourceVersion is.",
);
const ALL_OF_TYPE: Flag = Flag::new(
    "all",
    Bool,
    "false",
    "Work on every object of the given type in the namespace.",
);

const PATCH_FLAGS: &[Flag] = &[
    DRY_RUN_NOT_SIMULATED,
    FILENAME_NOT_READ,
    LOCAL_NOT_SIMULATED,
    RESULT_OUTPUT,
    TEMPLATE,
    ALLOW_MISSING_TEMPLATE_KEYS,
    Flag::new(
        "patch",
        Str,
        "",
        "The patch itself, written in JSON or YAML. Required.",
    )
    .short('p'),
    Flag::new(
        "patch-file",
        Str,
        "",
        "Accepted for compatibility, but not read yet: pass the patch with -p.",
    ),
    Flag::new(
        "type",
        Str,
        "strategic",
        "How the patch is read: strategic, merge (JSON merge patch) or json (JSON patch).",
    ),
];

/// label and annotate take the same flags.
const METADATA_MAP_FLAGS: &[Flag] = &[
    ALL_OF_TYPE,
    DRY_RUN_NOT_SIMULATED,
    Flag::new("list", Bool, "false", "Print the object's current keys and values instead of changing them."),
    RESULT_OUTPUT,
    TEMPLATE,
    ALLOW_MISSING_TEMPLATE_KEYS,
    Flag::new("overwrite", Bool, "false", "Let a new value replace one that is already set; without it, such a change is an error."),
    RESOURCE_VERSION_IGNORED,
    Flag::new("selector", Str, "", "Change the objects whose labels match this selector (when no names are given), e.g. -l app=web.").short('l'),
];

const SCALE_FLAGS: &[Flag] = &[
    ALL_OF_TYPE,
    Flag::new("current-replicas", Int64, "-1", "Scale only objects that ask for exactly this many replicas now; without it there is no such check."),
    DRY_RUN,
    FILENAME_NOT_READ,
    RESULT_OUTPUT,
    TEMPLATE,
    ALLOW_MISSING_TEMPLATE_KEYS,
    Flag::new("replicas", Int64, "0", "How many replicas to ask for, 0 or more. Required."),
    RESOURCE_VERSION_IGNORED,
    Flag::new("selector", Str, "", "Scale the objects whose labels match this selector (when no names are given), e.g. -l tier=frontend.").short('l'),
    Flag::new("timeout", Str, "0s", "Accepted for compatibility; the command returns as soon as the new count is stored."),
];

const SET_IMAGE_FLAGS: &[Flag] = &[
    ALL_OF_TYPE,
    DRY_RUN_NOT_SIMULATED,
    FILENAME_NOT_READ,
    LOCAL_NOT_SIMULATED,
    RESULT_OUTPUT,
    TEMPLATE,
    ALLOW_MISSING_TEMPLATE_KEYS,
    Flag::new("selector", Str, "", "Change the objects whose labels match this selector (when no names are given), e.g. -l app=web.").short('l'),
];

const CAN_I_FLAGS: &[Flag] = &[
    Flag::new(
        "all-namespaces",
        Bool,
        "false",
        "Ask about every namespace at once instead of the current one.",
    )
    .short('A'),
    Flag::new(
        "list",
        Bool,
        "false",
        "Instead of one question, list every action allowed in the namespace.",
    ),
    Flag::new(
        "no-headers",
        Bool,
        "false",
        "With --list, leave out the header row.",
    ),
    Flag::new(
        "quiet",
        Bool,
        "false",
        "Print nothing; answer with the exit code only (0 for yes, 1 for no).",
    )
    .short('q'),
    Flag::new(
        "subresource",
        Str,
        "",
        "Ask about a subresource of TYPE, such as log or status.",
    ),
];

const WHOAMI_FLAGS: &[Flag] = &[Flag::new(
    "output",
    Str,
    "",
    "Accepted for compatibility; the answer is always printed as a table.",
)
.short('o')];

const EVENTS_FLAGS: &[Flag] = &[
    ALL_NAMESPACES,
    Flag::new(
        "for",
        Str,
        "",
        "Only the events about this object, given as TYPE/NAME.",
    ),
    Flag::new("no-headers", Bool, "false", "Leave out the header row."),
    Flag::new(
        "output",
        Str,
        "",
        "Accepted for compatibility; events are always printed as a table.",
    )
    .short('o'),
    Flag::new(
        "types",
        Slice,
        "",
        "Only the events of these types, comma-separated: Normal, Warning or both.",
    ),
    Flag::new(
        "watch",
        Bool,
        "false",
        "Accepted for compatibility; the list is printed once and the command returns.",
    )
    .short('w'),
];

/// `kubectl diff`.
const DIFF_FLAGS: &[Flag] = &[
    Flag::new("concurrency", Int32, "1", "Accepted for compatibility; objects are compared one after the other."),
    Flag::new("field-manager", Str, "kubectl-client-side-apply", "The manager name the dry-run apply records as owning the fields it sets."),
    Flag::new("filename", Array, "", "A file, a directory of .yaml/.yml/.json files, or - for standard input, holding the objects to compare.").short('f'),
    Flag::new("force-conflicts", Bool, "false", "With --server-side, take over fields that other managers own."),
    RECURSIVE,
    Flag::new("server-side", Bool, "false", "Compare with a server-side apply instead of kubectl's client-side one (the playground merges the same way)."),
    Flag::new("show-managed-fields", Bool, "false", "Keep metadata.managedFields in the compared YAML."),
    Flag::new("show-secrets", Bool, "false", "Show Secret values instead of ***."),
];

/// `kubectl edit`.
const EDIT_FLAGS: &[Flag] = &[
    ALLOW_MISSING_TEMPLATE_KEYS,
    Flag::new("field-manager", Str, "kubectl-edit", "The manager name recorded as owning the fields this command sets."),
    Flag::new("filename", Array, "", "Files (or a directory, or - for standard input) naming the objects to edit.").short('f'),
    Flag::new("output", Str, "", "Print each edited object in this format instead of the one-line summary: one of (json, yaml, name, jsonpath=…, go-template=…, go-template-file=PATH).").short('o'),
    Flag::new("output-patch", Bool, "false", "Print the patch the edit sends before the result."),
    RECURSIVE,
    Flag::new("save-config", Bool, "false", "Record the edited object in the kubectl.kubernetes.io/last-applied-configuration annotation (done anyway when the object has one)."),
    Flag::new("show-managed-fields", Bool, "false", "Keep metadata.managedFields in the YAML to edit."),
    Flag::new("subresource", Str, "", "Edit this subresource instead of the object; status is not available in this playground yet."),
    TEMPLATE,
    Flag::new("validate", Str, "strict", "How strictly to check the edited objects: strict (or true), warn, ignore (or false)."),
    Flag::new("windows-line-endings", Bool, "false", "Accepted for compatibility; the buffer always uses \\n line endings."),
];

/// `kubectl explain`.
const EXPLAIN_FLAGS: &[Flag] = &[
    Flag::new("api-version", Str, "", "The API version (GROUP/VERSION) whose schema to explain, e.g. autoscaling/v1; the preferred one by default."),
    Flag::new("output", Str, "plaintext", "Format: plaintext (plaintext-openapiv2 is not available in this playground).").short('o'),
    Flag::new("max-depth", Int32, "0", "With --recursive, how many levels of nested fields to list (0: all)."),
    Flag::new("recursive", Bool, "false", "List every field below, nested, without descriptions.").short('R'),
];

/// `kubectl replace`.
const REPLACE_FLAGS: &[Flag] = &[
    Flag::new("cascade", Str, "background", "With --force: \"background\", \"orphan\" or \"foreground\", how the deleted object's dependents go."),
    DRY_RUN,
    Flag::new("field-manager", Str, "kubectl-replace", "The manager name recorded as owning the fields this command sets."),
    Flag::new("filename", Array, "", "The files (or - for standard input) with the objects to replace.").short('f'),
    Flag::new("force", Bool, "false", "Delete the object, wait until it is gone, and create it again."),
    Flag::new("grace-period", Int32, "-1", "With --force: seconds the deleted object gets to shut down; negative keeps its own; 0 needs --force."),
    Flag::new("output", Str, "", "Print each result in this format instead of the one-line summary: one of (json, yaml, name, jsonpath=…, go-template=…, go-template-file=PATH).").short('o'),
    TEMPLATE,
    ALLOW_MISSING_TEMPLATE_KEYS,
    RECURSIVE,
    Flag::new("save-config", Bool, "false", "Record the object in the kubectl.kubernetes.io/last-applied-configuration annotation, for later kubectl apply."),
    Flag::new("timeout", Str, "0s", "With --force: how long to wait for the deletion before giving up."),
    Flag::new("validate", Str, "strict", "How strictly to check the objects: strict (or true) rejects unknown or duplicate fields, warn only reports them, ignore (or false) skips the check."),
    Flag::new("wait", Bool, "false", "With --force: wait until the deleted object is gone."),
];

/// `kubectl exec`.
pub(crate) const EXEC_FLAGS: &[Flag] = &[
    Flag::new("container", Str, "", "The container to run the command in; without it, the one the kubectl.kubernetes.io/default-container annotation names, else the pod's first.").short('c'),
    Flag::new("filename", Array, "", "A file naming the resource to exec into.").short('f'),
    Flag::new("pod-running-timeout", Str, "1m0s", "How long to wait for a pod to run (like 5s, 2m or 3h, above zero)."),
    Flag::new("quiet", Bool, "false", "Print only what the command prints.").short('q'),
    Flag::new("stdin", Bool, "false", "Pass stdin to the container (accepted; the command reads no input here).").short('i'),
    Flag::new("tty", Bool, "false", "Stdin is a TTY (accepted; interactive sessions are not simulated).").short('t'),
];

/// `kubectl debug`.
const DEBUG_FLAGS: &[Flag] = &[
    Flag::new("arguments-only", Bool, "false", "The words after -- become the container's args instead of its command."),
    Flag::new("attach", Bool, "false", "Wait for the container to start and attach to it (as -i does)."),
    Flag::new("container", Str, "", "The debug container's name (default: debugger-XXXXX); with --copy-to, the container of the copy to change.").short('c'),
    Flag::new("copy-to", Str, "", "Create a copy of the pod with this name instead of adding an ephemeral container."),
    Flag::new("custom", Str, "", "A JSON or YAML file with a partial container spec to merge (not available in the playground yet)."),
    Flag::new("env", Array, "", "Environment variables of the debug container, NAME=VALUE."),
    Flag::new("filename", Array, "", "A file naming the pod to debug (not available in the playground yet).").short('f'),
    Flag::new("image", Str, "", "The debug container's image."),
    Flag::new("image-pull-policy", Str, "", "The debug container's image pull policy."),
    Flag::new("keep-annotations", Bool, "false", "With --copy-to, keep the pod's annotations."),
    Flag::new("keep-init-containers", Bool, "true", "With --copy-to, keep the pod's init containers."),
    Flag::new("keep-labels", Bool, "false", "With --copy-to, keep the pod's labels (Services and controllers may then pick the copy up)."),
    Flag::new("keep-liveness", Bool, "false", "With --copy-to, keep the liveness probes."),
    Flag::new("keep-readiness", Bool, "false", "With --copy-to, keep the readiness probes."),
    Flag::new("keep-startup", Bool, "false", "With --copy-to, keep the startup probes."),
    Flag::new("profile", Str, "general", "The security profile of the debug container: legacy, general, baseline, netadmin, restricted or sysadmin."),
    Flag::new("quiet", Bool, "false", "Print only what the session prints.").short('q'),
    Flag::new("replace", Bool, "false", "With --copy-to, delete the original pod."),
    Flag::new("same-node", Bool, "false", "With --copy-to, put the copy on the original's node."),
    Flag::new("set-image", Slice, "", "With --copy-to, change images: NAME=IMAGE pairs, * for every container."),
    Flag::new("share-processes", Bool, "true", "With --copy-to, let the copy's containers see each other's processes."),
    Flag::new("stdin", Bool, "false", "Keep stdin open on the container (an interactive session is not simulated).").short('i'),
    Flag::new("target", Str, "", "Share this container's process namespace with the ephemeral container."),
    Flag::new("tty", Bool, "false", "Allocate a TTY for the debug container.").short('t'),
];

/// `kubectl attach`.
const ATTACH_FLAGS: &[Flag] = &[
    Flag::new("container", Str, "", "The container to attach to; without it, the one the kubectl.kubernetes.io/default-container annotation names, else the pod's first.").short('c'),
    Flag::new("detach-keys", Str, "ctrl-p,ctrl-q", "The keys that detach from the container (accepted; Ctrl+C ends the stream in the page)."),
    Flag::new("pod-running-timeout", Str, "1m0s", "How long to wait for a pod to run (like 5s, 2m or 3h, above zero)."),
    Flag::new("quiet", Bool, "false", "Print only what the container prints.").short('q'),
    Flag::new("stdin", Bool, "false", "Pass stdin to the container (accepted; the programs here read no input).").short('i'),
    Flag::new("tty", Bool, "false", "Stdin is a TTY (accepted).").short('t'),
];

/// `kubectl port-forward`.
const PORT_FORWARD_FLAGS: &[Flag] = &[
    Flag::new("address", Slice, "localhost", "The addresses to listen on, comma-separated: IP addresses or localhost (127.0.0.1 and ::1)."),
    Flag::new("pod-running-timeout", Str, "1m0s", "How long to wait for a pod to run (like 5s, 2m or 3h, above zero)."),
];

/// `kubectl cp`.
const CP_FLAGS: &[Flag] = &[
    Flag::new("container", Str, "", "The container to copy to or from; without it, the one the kubectl.kubernetes.io/default-container annotation names, else the pod's first.").short('c'),
    Flag::new("no-preserve", Bool, "false", "Do not keep the copied files' ownership and permissions in the container (accepted; the simulated files have none)."),
    Flag::new("retries", Int32, "0", "How many times to retry a copy out of a container; 0 for none, negative for no limit (accepted; copies here do not break off)."),
];

/// `kubectl logs`.
const LOGS_FLAGS: &[Flag] = &[
    Flag::new("all-containers", Bool, "false", "The logs of every container of the pod(s)."),
    Flag::new("all-pods", Bool, "false", "The logs of every pod of the workload; turns on --prefix."),
    Flag::new("container", Str, "", "The container whose log to print.").short('c'),
    Flag::new("follow", Bool, "false", "Keep printing new lines as they are written (in a script, during the next sleep; in the page, until Ctrl+C).").short('f'),
    Flag::new("ignore-errors", Bool, "false", "When following, keep going after an error."),
    Flag::new("insecure-skip-tls-verify-backend", Bool, "false", "Do not check the kubelet's serving certificate (accepted; the simulated kubelet has none)."),
    Flag::new("limit-bytes", Int64, "0", "Stop after this many bytes; 0 for no limit."),
    Flag::new("max-log-requests", Int32, "5", "How many logs to follow at once with a selector."),
    Flag::new("pod-running-timeout", Int32, "20s", "How long to wait for a pod to run (like 5s, 2m or 3h, above zero)."),
    Flag::new("prefix", Bool, "false", "Start each line with its source: [pod/NAME/CONTAINER]."),
    Flag::new("previous", Bool, "false", "The log of the previous, terminated instance of the container, if there is one.").short('p'),
    Flag::new("selector", Str, "", "Label selector of the pods ('=', '==', '!=', 'in', 'notin'; e.g. -l key1=value1,key2=value2,key3 in (value3)); all requirements must match.").short('l'),
    Flag::new("since", Int32, "0s", "Only lines newer than this duration, like 5s, 2m or 3h; the default is all of them. Not together with --since-time."),
    Flag::new("since-time", Str, "", "Only lines written after this RFC3339 time; the default is all of them. Not together with --since."),
    Flag::new("tail", Int64, "-1", "How many of the latest lines to print: -1 (the default) prints all of them, or 10 with a selector."),
    Flag::new("timestamps", Bool, "false", "Start each line with the time it was written."),
];

/// The help of `kubectl VERB …` for the words after the verb (`create deployment`, `config
/// view`), or kubectl's root help for verbs the playground does not have.
pub(crate) fn help(verb: &str, rest: &[String]) -> Output {
    let mut path = vec![verb];
    match verb {
        "create" => {
            for i in super::create::positional_indices(rest) {
                path.push(rest[i].as_str());
            }
        }
        "config" | "set" | "auth" | "rollout" | "top" => {
            if let Some(sub) = first_word(rest) {
                path.push(sub);
            }
        }
        _ => {}
    }
    Output::ok(text(&path).unwrap_or_else(|| super::info::ROOT_HELP.to_string()))
}

/// The first word of `args` that is neither a flag nor the value of a global flag given as its
/// own word (`-n dev set image` → `image`).
fn first_word(args: &[String]) -> Option<&str> {
    let takes_value = |arg: &str| {
        crate::flags::GLOBAL_FLAGS.iter().any(|s| {
            s.takes_value
                && (arg.strip_prefix("--") == Some(s.long)
                    || s.short.is_some_and(|c| arg == format!("-{c}")))
        })
    };
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        if arg == "--" {
            return None;
        }
        if !arg.starts_with('-') || arg == "-" {
            return Some(arg);
        }
        i += if takes_value(arg) { 2 } else { 1 };
    }
    None
}

/// The page for a command path (`["create", "secret", "tls"]`). Words past a known command
/// are ignored, as cobra ignores them with --help.
pub(crate) fn text(path: &[&str]) -> Option<String> {
    let page = match path {
        ["create", rest @ ..] => return Some(create_text(rest)),
        ["config", sub, ..] => return config_text(sub).or_else(|| config_text("")),
        ["config"] => return config_text(""),
        ["set", "image", ..] => "set image",
        ["auth", "can-i", ..] => "auth can-i",
        ["auth", "whoami", ..] => "auth whoami",
        ["rollout", sub @ ("status" | "history" | "undo" | "pause" | "resume" | "restart"), ..] => {
            return Some(rollout_text(sub))
        }
        ["top", sub @ ("pod" | "pods" | "po" | "node" | "nodes" | "no"), ..] => {
            if sub.starts_with('n') {
                "top node"
            } else {
                "top pod"
            }
        }
        ["set" | "auth" | "rollout" | "top", ..] => return Some(group_text(path[0])),
        [verb, ..] => *verb,
        [] => return None,
    };
    let (description, examples, options, usage): (&str, &[(&str, &str)], &[Flag], &str) = match page {
        "get" => (
            "Show one or more resources.\n\n Prints a table of the most useful columns for each type (wide adds more), or the objects themselves with -o yaml or -o json. Run 'kubectl api-resources' to see every type you can ask for.",
            &[
                ("Every pod in the current namespace", "kubectl get pods"),
                ("More columns, such as each pod's IP and node", "kubectl get pods -o wide"),
                ("One deployment as YAML", "kubectl get deployment web -o yaml"),
                ("Several types at once", "kubectl get deployments,services"),
                ("Objects named in type/name form", "kubectl get deployment/web service/web"),
                ("Pods labelled app=web in every namespace, with their labels", "kubectl get pods -l app=web -A --show-labels"),
                ("Only the names of the pods, sorted by creation time", "kubectl get pods -o name --sort-by=.metadata.creationTimestamp"),
                ("One field of an object", "kubectl get service web -o jsonpath='{.spec.clusterIP}'"),
                ("Each pod's name and phase, through a Go template", "kubectl get pods -o go-template='{{range .items}}{{.metadata.name}} {{.status.phase}}{{\"\\n\"}}{{end}}'"),
            ],
            GET_FLAGS,
            "kubectl get [(-o|--output=)json|yaml|name|wide|jsonpath=...|custom-columns=...|go-template=...|go-template-file=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
        ),
        "apply" => (
            "Make the cluster match the objects in files or standard input.\n\n Objects that do not exist yet are created; existing ones are updated to what the files say. kubectl remembers what it applied (in the kubectl.kubernetes.io/last-applied-configuration annotation), so that fields you delete from a file are deleted from the object on the next apply.",
            &[
                ("Apply one file", "kubectl apply -f web.yaml"),
                ("Apply every manifest in a directory", "kubectl apply -f manifests/"),
                ("Apply what arrives on standard input", "cat web.yaml | kubectl apply -f -"),
                ("See what would be sent, without changing anything", "kubectl apply -f web.yaml --dry-run=client -o yaml"),
            ],
            APPLY_FLAGS,
            "kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
        ),
        "delete" => (
            "Delete resources named on the command line, chosen by label or field selectors, or described in files.\n\n Deleting a namespace deletes everything in it. Objects get their grace period to shut down unless --now or --force says otherwise.",
            &[
                ("Delete a pod", "kubectl delete pod web-0"),
                ("Delete what a file describes", "kubectl delete -f web.yaml"),
                ("Delete a deployment and a service", "kubectl delete deployment/web service/web"),
                ("Delete the pods labelled app=web", "kubectl delete pods -l app=web"),
                ("Delete every pod in the namespace", "kubectl delete pods --all"),
                ("Remove a pod at once, without waiting for it to stop", "kubectl delete pod web-0 --force --grace-period=0"),
            ],
            DELETE_FLAGS,
            "kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
        ),
        "run" => (
            "Start a pod that runs one image.",
            &[
                ("Run nginx", "kubectl run web --image=nginx"),
                ("Run nginx and say which port it listens on", "kubectl run web --image=nginx --port=80"),
                ("Set environment variables", "kubectl run app --image=busybox --env=MODE=test --env=LEVEL=debug -- sleep 3600"),
                ("Choose the labels", "kubectl run web --image=nginx --labels=app=web,tier=frontend"),
                ("Show the pod that would be created", "kubectl run web --image=nginx --dry-run=client -o yaml"),
                ("Give the container arguments", "kubectl run pinger --image=busybox -- ping -c 3 10.0.0.1"),
                ("Replace the container's command", "kubectl run shell --image=busybox --restart=Never --command -- sh -c 'echo hi'"),
            ],
            RUN_FLAGS,
            "kubectl run NAME --image=image [--env=\"key=value\"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
        ),
        "describe" => (
            "Show the details of resources, together with related objects such as their events.\n\n Choose objects as TYPE NAME, TYPE/NAME, a whole TYPE, a label selector or a file. When TYPE NAME matches no object exactly, every object of that type whose name starts with NAME is described. Run 'kubectl api-resources' to see every type you can ask for.",
            &[
                ("One pod, with its containers, conditions and events", "kubectl describe pod web-0"),
                ("The same pod, named in type/name form", "kubectl describe pod/web-0"),
                ("Every deployment in the current namespace", "kubectl describe deployments"),
                ("Every pod whose name starts with web-", "kubectl describe pods web-"),
                ("The pods labelled app=web, with their events", "kubectl describe pods -l app=web --show-events=true"),
                ("The objects a file describes, as they are in the cluster", "kubectl describe -f web.yaml"),
            ],
            DESCRIBE_FLAGS,
            "kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
        ),
        "patch" => (
            "Change some fields of existing objects by sending a patch.\n\n Write the patch in JSON or YAML. --type says how it is read: strategic (the default) merges lists such as containers or ports item by item, matching them by name; merge replaces lists whole and removes fields set to null; json is a list of operations (add, remove, replace, move, copy, test).",
            &[
                ("Ask a deployment for three replicas", "kubectl patch deployment web -p '{\"spec\":{\"replicas\":3}}'"),
                ("The same patch, written as YAML", "kubectl patch deployment web -p 'spec: {replicas: 3}'"),
                ("Change the image of the container named nginx; the other containers stay as they are", "kubectl patch deployment web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.27\"}]}}}}'"),
                ("Remove a label with a merge patch", "kubectl patch pod web-0 --type=merge -p '{\"metadata\":{\"labels\":{\"tier\":null}}}'"),
                ("Replace the first container's image with a JSON patch", "kubectl patch pod web-0 --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/containers/0/image\",\"value\":\"nginx:1.27\"}]'"),
            ],
            PATCH_FLAGS,
            "kubectl patch (TYPE NAME | TYPE/NAME) -p PATCH [options]",
        ),
        "label" => (
            "Add, change or remove the labels of objects.\n\n Give key=value to set a label and key- to remove one. A label that already has another value is only changed with --overwrite. Keys may start with a DNS subdomain and a slash, as in example.com/team.",
            &[
                ("Label a pod tier=frontend", "kubectl label pod web-0 tier=frontend"),
                ("Give that label another value", "kubectl label pod web-0 tier=backend --overwrite"),
                ("Label every pod labelled app=web", "kubectl label pods -l app=web team=blue"),
                ("Label every pod in the namespace", "kubectl label pods --all env=dev"),
                ("Remove the tier label", "kubectl label pod web-0 tier-"),
                ("Show a deployment's labels", "kubectl label deployment web --list"),
            ],
            METADATA_MAP_FLAGS,
            "kubectl label [--overwrite] (TYPE NAME | TYPE/NAME | TYPE -l label | TYPE --all) KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
        ),
        "annotate" => (
            "Add, change or remove the annotations of objects.\n\n Give key=value to set an annotation and key- to remove one. An annotation that already has another value is only changed with --overwrite. Unlike labels, annotation values may be long free text.",
            &[
                ("Leave a note on a deployment", "kubectl annotate deployment web note='serves the shop front'"),
                ("Replace the note", "kubectl annotate deployment web note='retired soon' --overwrite"),
                ("Annotate every pod labelled app=web", "kubectl annotate pods -l app=web checked=yes"),
                ("Remove the note", "kubectl annotate deployment web note-"),
                ("Show a deployment's annotations", "kubectl annotate deployment web --list"),
            ],
            METADATA_MAP_FLAGS,
            "kubectl annotate [--overwrite] (TYPE NAME | TYPE/NAME | TYPE -l label | TYPE --all) KEY_1=VAL_1 ... KEY_N=VAL_N [options]",
        ),
        "expose" => (
            "Make a Service for a pod, deployment, replica set, replication controller, stateful set or service.\n\n The Service selects what the object selects (a pod: its labels) and listens on --port, or on the ports the pod template declares; --target-port is where the pods listen (the same port if not given). Types: ClusterIP (the default), NodePort, LoadBalancer.",
            &[
                ("A ClusterIP Service for the web deployment on port 80", "kubectl expose deployment web --port=80"),
                ("Listen on 80, send to the pods' 8080", "kubectl expose deployment web --port=80 --target-port=8080"),
                ("Reach the deployment on every node's IP", "kubectl expose deployment web --type=NodePort --port=80"),
                ("A second Service under another name", "kubectl expose service web --name=web-internal --port=8080 --target-port=80"),
            ],
            EXPOSE_FLAGS,
            "kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
        ),
        "wait" => (
            "Wait until resources meet a condition.\n\n --for=condition=NAME[=VALUE] waits for a status condition (VALUE defaults to True), --for=delete waits until the objects are gone, --for=jsonpath='{EXPRESSION}'=VALUE waits for a field to have a value. In this playground the wait lets simulated time run, one second at a time, until the condition holds or --timeout passes.",
            &[
                ("Wait until the pod busybox is Ready", "kubectl wait --for=condition=Ready pod/busybox"),
                ("Wait until a deployment is available, for at most two minutes", "kubectl wait --for=condition=Available deployment/web --timeout=2m"),
                ("Wait until a job has completed", "kubectl wait --for=condition=complete job/pi"),
                ("Wait until the pods labelled app=web are gone", "kubectl wait --for=delete pod -l app=web"),
                ("Wait until a pod is Running", "kubectl wait --for=jsonpath='{.status.phase}'=Running pod/busybox"),
            ],
            WAIT_FLAGS,
            "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
        ),
        "cordon" | "uncordon" => (
            if page == "cordon" {
                "Mark a node unschedulable: the scheduler places no new pods on it; the pods already there keep running."
            } else {
                "Mark a node schedulable again after a cordon or a drain."
            },
            if page == "cordon" {
                &[("Stop new pods landing on node-1", "kubectl cordon node-1"), ("Cordon every node labelled pool=old", "kubectl cordon -l pool=old")]
            } else {
                &[("Let the scheduler use node-1 again", "kubectl uncordon node-1")]
            },
            NODE_SELECT_FLAGS,
            if page == "cordon" { "kubectl cordon NODE [options]" } else { "kubectl uncordon NODE [options]" },
        ),
        "drain" => (
            "Empty a node before maintenance: cordon it, then evict its pods and wait until they are gone.\n\n Evictions respect PodDisruptionBudgets: while a budget allows no disruption the eviction is refused and retried every 5 seconds (in this playground, simulated seconds pass while it waits, and while the evicted pods shut down). Pods managed by a DaemonSet, pods with emptyDir data and pods that no controller would recreate stop the drain unless --ignore-daemonsets, --delete-emptydir-data or --force says they may go.",
            &[
                ("Drain node-1, leaving DaemonSet pods where they are", "kubectl drain node-1 --ignore-daemonsets"),
                ("Also delete pods that no controller manages and emptyDir data", "kubectl drain node-1 --ignore-daemonsets --force --delete-emptydir-data"),
                ("Give up after two minutes", "kubectl drain node-1 --ignore-daemonsets --timeout=2m"),
            ],
            DRAIN_FLAGS,
            "kubectl drain NODE [options]",
        ),
        "taint" => (
            "Add, change or remove taints on nodes.\n\n A taint is KEY[=VALUE]:EFFECT, where EFFECT is NoSchedule, PreferNoSchedule or NoExecute. Pods that do not tolerate a NoSchedule taint are not scheduled onto the node; a NoExecute taint also evicts the pods already there that do not tolerate it. KEY:EFFECT- or KEY- removes taints.",
            &[
                ("Keep pods off node-1 unless they tolerate dedicated=gpu", "kubectl taint nodes node-1 dedicated=gpu:NoSchedule"),
                ("Change the value of that taint", "kubectl taint nodes node-1 dedicated=db:NoSchedule --overwrite"),
                ("Remove the taint with key dedicated and effect NoSchedule", "kubectl taint nodes node-1 dedicated:NoSchedule-"),
                ("Remove every taint with key dedicated", "kubectl taint nodes node-1 dedicated-"),
                ("Taint every node", "kubectl taint nodes --all maintenance=soon:PreferNoSchedule"),
            ],
            TAINT_FLAGS,
            "kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]",
        ),
        "scale" => (
            "Change how many replicas a Deployment, ReplicaSet, ReplicationController or StatefulSet asks for.\n\n With --current-replicas the change is only made when the object asks for that many replicas now, so two people scaling at once do not undo each other.",
            &[
                ("Run three replicas of a deployment", "kubectl scale deployment web --replicas=3"),
                ("The same, naming the deployment in type/name form", "kubectl scale --replicas=3 deployment/web"),
                ("Go from 3 to 5 replicas, but only if there are 3 now", "kubectl scale deployment web --current-replicas=3 --replicas=5"),
                ("Stop all pods of a stateful set but keep the set", "kubectl scale statefulset db --replicas=0"),
                ("Scale every deployment labelled tier=frontend", "kubectl scale deployments -l tier=frontend --replicas=2"),
            ],
            SCALE_FLAGS,
            "kubectl scale [--current-replicas=count] --replicas=COUNT (TYPE NAME | TYPE/NAME | TYPE -l label | TYPE --all) [options]",
        ),
        "set image" => (
            "Change the images of containers in existing objects.\n\n Works on pods and on objects with a pod template: deployments (deploy), replica sets (rs), replication controllers (rc), daemon sets (ds), stateful sets (sts), jobs and cron jobs (cj). Give CONTAINER=IMAGE for each container to change, or *=IMAGE for every container, init containers included.",
            &[
                ("Move a deployment's nginx container to a newer image", "kubectl set image deployment/web nginx=nginx:1.27"),
                ("Change two containers at once", "kubectl set image deployment/web nginx=nginx:1.27 sidecar=busybox:1.36"),
                ("Give every container of a daemon set the same image", "kubectl set image daemonset/agent '*=agent:2.0'"),
                ("Change the deployments labelled app=web", "kubectl set image deployments -l app=web nginx=nginx:1.27"),
            ],
            SET_IMAGE_FLAGS,
            "kubectl set image (TYPE NAME | TYPE/NAME | TYPE -l label | TYPE --all) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
        ),
        "auth can-i" => (
            "Ask whether an action is allowed.\n\n VERB is an API verb such as get, list, watch, create or delete. TYPE is a resource type; short names and group-qualified names (deployments.apps) work. Add /NAME, or NAME as a third word, to ask about one object. The answer is yes (exit code 0) or no (exit code 1). Add --as and --as-group to ask on behalf of another user or a service account.",
            &[
                ("May I create deployments in the current namespace?", "kubectl auth can-i create deployments"),
                ("May I delete pods in every namespace?", "kubectl auth can-i delete pods -A"),
                ("May the service account ci of namespace dev read secrets in prod?", "kubectl auth can-i get secrets --as=system:serviceaccount:dev:ci -n prod"),
                ("May I change one particular config map?", "kubectl auth can-i update configmaps/settings"),
                ("May I read the logs of pods?", "kubectl auth can-i get pods --subresource=log"),
                ("Everything I may do in the namespace dev", "kubectl auth can-i --list -n dev"),
            ],
            CAN_I_FLAGS,
            "kubectl auth can-i VERB [TYPE | TYPE/NAME | TYPE NAME] [options]",
        ),
        "auth whoami" => (
            "Show the user kubectl acts as: its name and its groups.\n\n With --as (and --as-group) it shows the user being impersonated.",
            &[
                ("Who am I?", "kubectl auth whoami"),
                ("Who would I be as alice in the group dev?", "kubectl auth whoami --as=alice --as-group=dev"),
            ],
            WHOAMI_FLAGS,
            "kubectl auth whoami [options]",
        ),
        "logs" => (
            "Print the log of a container in a pod, or of the first pod of a workload. The container name may be left out when the pod has only one.\n\n The log is as it stands at the current simulated time; with -f new lines follow as simulated time passes.",
            &[
                ("The log of pod nginx (one container)", "kubectl logs nginx"),
                ("Each line prefixed with its pod and container", "kubectl logs nginx --prefix"),
                ("At most 500 bytes", "kubectl logs nginx --limit-bytes=500"),
                ("Every container of a multi-container pod", "kubectl logs nginx --all-containers=true"),
                ("Every container of the pods labelled app=nginx", "kubectl logs -l app=nginx --all-containers=true"),
                ("The previous, terminated instance of container ruby in pod web-1", "kubectl logs -p -c ruby web-1"),
                ("The last 20 lines", "kubectl logs --tail=20 nginx"),
                ("What was written in the last hour", "kubectl logs --since=1h nginx"),
                ("With the time of each line", "kubectl logs nginx --timestamps=true"),
                ("The first pod of job hello", "kubectl logs job/hello"),
                ("Container nginx-1 of the first pod of deployment nginx", "kubectl logs deployment/nginx -c nginx-1"),
            ],
            LOGS_FLAGS,
            "kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
        ),
        "replace" => (
            "Replace objects with what files or standard input describe.\n\n The whole object must be given (what the file leaves out is removed); get it with kubectl get TYPE NAME -o yaml. A resourceVersion in the file must still be current; without one the replace is unconditional. --force deletes the object and creates it again.",
            &[
                ("Replace a pod with what pod.yaml describes", "kubectl replace -f ./pod.yaml"),
                ("Replace from standard input", "kubectl replace -f -"),
                ("Delete and create again", "kubectl replace --force -f ./pod.yaml"),
            ],
            REPLACE_FLAGS,
            "kubectl replace -f FILENAME [options]",
        ),
        "diff" => (
            "Show what kubectl apply would change: the live objects against the objects a server-side dry run of the apply would store.\n\n The output is always YAML, as diff -u -N prints two directories of files (one per object, named group.version.Kind.namespace.name): the live objects in /tmp/LIVE-<n>, the merged ones in /tmp/MERGED-<n>. An object that does not exist yet is compared with an empty file. managedFields are left out unless --show-managed-fields; Secret values show as *** unless --show-secrets.\n\n Exit status: 0 No differences were found. 1 Differences were found. >1 Kubectl or diff failed with an error.",
            &[
                ("Diff the objects in pod.json", "kubectl diff -f pod.json"),
                ("Diff what standard input describes", "kubectl diff -f - <<EOF"),
                ("Diff a directory tree of manifests", "kubectl diff -f manifests/ -R"),
            ],
            DIFF_FLAGS,
            "kubectl diff -f FILENAME [options]",
        ),
        "edit" => (
            "Edit objects of the cluster in an editor and send back what is saved.\n\n The objects open as YAML under a comment header; lines starting with # are ignored, an unchanged or empty buffer cancels the edit. apiVersion, kind and name cannot change. In the page the object opens in the editor (press Apply when done); in a script, give the edited object as standard input (a heredoc after the command: the whole YAML as it would be saved; without a uid, kind and name say which object it is). When the cluster rejects the edit, kubectl would reopen the editor with the reasons in the header: a script prints that header and the edit ends with \"Edit cancelled, no valid changes were saved.\"",
            &[
                ("Edit the service named 'registry'", "kubectl edit svc/registry"),
                ("Edit a deployment in a script, the edited object following as a heredoc", "kubectl edit deployment/web <<EOF"),
                ("Edit a deployment and print the patch that was sent", "kubectl edit deployment/web --output-patch"),
            ],
            EDIT_FLAGS,
            "kubectl edit (RESOURCE/NAME | -f FILENAME) [options]",
        ),
        "explain" => (
            "Describe fields and structure of the resource types the cluster serves.\n\n Name a type and, with dots, a field inside it (TYPE.FIELD.FIELD…): explain prints its description and the fields below it, each with its type; --recursive lists every field below without descriptions. The documentation is the API's own (from the Kubernetes OpenAPI schemas the playground is built with).",
            &[
                ("Get the documentation of the resource and its fields", "kubectl explain pods"),
                ("Get all the fields in the resource", "kubectl explain pods --recursive"),
                ("Get the documentation of a specific field of a resource", "kubectl explain pods.spec.containers"),
                ("Get the explanation for a deployment in a given API version", "kubectl explain deployments --api-version=apps/v1"),
            ],
            EXPLAIN_FLAGS,
            "kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]",
        ),
        "exec" => (
            "Run a command in a container of a running pod.\n\n The command runs in the container's simulated shell, against its files and environment and with the pod's view of the cluster network (wget, curl, nslookup). What it writes stays in the container. Interactive sessions (-it … -- sh) are not simulated: run one command at a time.",
            &[
                ("Run 'date' in the first container of pod mypod", "kubectl exec mypod -- date"),
                ("Run 'date' in container ruby-container of pod mypod", "kubectl exec mypod -c ruby-container -- date"),
                ("Write a file through a shell", "kubectl exec web-0 -- sh -c 'echo $(hostname) > /usr/share/nginx/html/index.html'"),
                ("Ask a Service from inside the cluster", "kubectl exec mypod -- wget -qO- http://web"),
                ("Run 'date' in the first pod of deployment mydeployment", "kubectl exec deploy/mydeployment -- date"),
                ("Run 'date' in the first pod of service myservice", "kubectl exec svc/myservice -- date"),
            ],
            EXEC_FLAGS,
            "kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]",
        ),
        "cp" => (
            "Copy files and directories between this machine and a container.\n\n kubectl streams a tar archive through exec, so the container's image must have 'tar' (scratch and distroless images do not). In the playground, \"this machine\" is the script's directory (or nothing, in the page) plus what earlier cp commands copied out of containers.",
            &[
                ("Copy a local file into a pod", "kubectl cp ./index.html web-0:/usr/share/nginx/html/index.html"),
                ("Copy a local directory into a pod's directory", "kubectl cp ./site web-0:/usr/share/nginx/html"),
                ("Copy a file out of a pod in namespace dev", "kubectl cp dev/db-0:/var/lib/data/dump.sql ./dump.sql"),
                ("Copy into a particular container", "kubectl cp ./app.conf mypod:/etc/app.conf -c sidecar"),
            ],
            CP_FLAGS,
            "kubectl cp <file-spec-src> <file-spec-dest> [options]",
        ),
        "debug" => (
            "Create debugging sessions for troubleshooting workloads and nodes.\n\n For a pod: an ephemeral container joins the running pod (--target shares a container's process namespace), or --copy-to makes a debugging copy of the pod with a container added or changed. For node/NAME: a pod on that node in its host namespaces with the node's root filesystem at /host. Interactive sessions (-it) are not simulated in the playground: the debug container keeps running, and kubectl exec POD -c NAME -- COMMAND runs commands in it.",
            &[
                ("Add a debug container to pod mypod", "kubectl debug mypod -it --image=busybox"),
                ("Share the process namespace of container app", "kubectl debug mypod --image=busybox --target=app -- sleep 3600"),
                ("Name the debug container", "kubectl debug --image=myproj/debug-tools -c debugger mypod"),
                ("A copy of mypod with a debug container added", "kubectl debug mypod -it --image=busybox --copy-to=my-debugger"),
                ("A copy of mypod with every image changed", "kubectl debug mypod --copy-to=my-debugger --set-image=*=busybox"),
                ("A pod on node mynode with the host's filesystem at /host", "kubectl debug node/mynode -it --image=busybox"),
            ],
            DEBUG_FLAGS,
            "kubectl debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ] [options]",
        ),
        "attach" => (
            "Attach to the output of a process already running in a container.\n\n Prints what the container's main process writes from now on (what kubectl logs -f would add), until Ctrl+C in the page or the next sleep in a script. Sending input to the process (-i) is not simulated.",
            &[
                ("The output of pod mypod (its default container)", "kubectl attach mypod"),
                ("The output of container ruby-container of pod mypod", "kubectl attach mypod -c ruby-container"),
                ("The output of the first pod of replica set nginx", "kubectl attach rs/nginx"),
            ],
            ATTACH_FLAGS,
            "kubectl attach (POD | TYPE/NAME) -c CONTAINER [options]",
        ),
        "port-forward" => (
            "Forward one or more local ports to a pod.\n\n Name the pod, or a workload or Service whose pod kubectl picks (a Service's port becomes its targetPort). In the playground the forward runs in the background: the next commands can reach it with curl http://localhost:PORT/. It ends when its pod goes away, as the real command ends when the pod terminates.",
            &[
                ("Forward local ports 5000 and 6000 to the same ports of a pod", "kubectl port-forward pod/mypod 5000 6000"),
                ("Forward to a pod of a deployment", "kubectl port-forward deployment/mydeployment 5000 6000"),
                ("Forward local 8443 to the targetPort of the Service port named https", "kubectl port-forward service/myservice 8443:https"),
                ("Forward local 8888 to 5000 in the pod", "kubectl port-forward pod/mypod 8888:5000"),
                ("Listen on every address", "kubectl port-forward --address 0.0.0.0 pod/mypod 8888:5000"),
                ("Pick a free local port", "kubectl port-forward pod/mypod :5000"),
            ],
            PORT_FORWARD_FLAGS,
            "kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]",
        ),
        "events" => (
            "List events, oldest first.\n\n Shows the events of the current namespace, of every namespace with -A, or only those about one object with --for. Each row tells when the event was last seen (and how often it repeated), its type and reason, the object it is about and its message.",
            &[
                ("The events of the current namespace", "kubectl events"),
                ("The events of every namespace", "kubectl events -A"),
                ("Only the events about one pod", "kubectl events --for pod/web-0"),
                ("Only the warnings", "kubectl events --types=Warning"),
            ],
            EVENTS_FLAGS,
            "kubectl events [--for TYPE/NAME] [--types=Normal,Warning] [options]",
        ),
        "version" => (
            "Show the version of kubectl and of the cluster it talks to.",
            &[
                ("Both versions", "kubectl version"),
                ("kubectl's version as JSON", "kubectl version --client -o json"),
            ],
            VERSION_FLAGS,
            "kubectl version [flags] [options]",
        ),
        "api-resources" => (
            "List the resource types the API server offers.",
            &[
                ("Every resource type", "kubectl api-resources"),
                ("With the verbs each type supports", "kubectl api-resources -o wide"),
                ("Only the types that live in a namespace", "kubectl api-resources --namespaced=true"),
                ("Only the types of one API group", "kubectl api-resources --api-group=apps"),
            ],
            API_RESOURCES_FLAGS,
            "kubectl api-resources [flags] [options]",
        ),
        "api-versions" => (
            "List the API versions the server offers, as \"group/version\" (just the version for the core group).",
            &[("Every API version", "kubectl api-versions")],
            &[],
            "kubectl api-versions [options]",
        ),
        "top pod" => (
            "Show how much CPU and memory pods use, as the metrics API reports it.\n\n The figures come from metrics-server, which samples every 15 seconds: a pod shows up a little while after it starts, and not at all while metrics-server is down.",
            &[
                ("Every pod in the current namespace", "kubectl top pod"),
                ("Every pod in every namespace, the busiest first", "kubectl top pod -A --sort-by=cpu"),
                ("Each container of the pods labelled app=web", "kubectl top pod -l app=web --containers"),
                ("One pod, with a total line", "kubectl top pod web-0 --sum"),
            ],
            TOP_POD_FLAGS,
            "kubectl top pod [NAME | -l label] [options]",
        ),
        "top node" => (
            "Show how much CPU and memory nodes use, as the metrics API reports it, against what they can give to pods (or, with --show-capacity, their whole capacity).",
            &[
                ("Every node", "kubectl top node"),
                ("The nodes labelled zone-a, by memory", "kubectl top node -l topology.kubernetes.io/zone=zone-a --sort-by=memory"),
            ],
            TOP_NODE_FLAGS,
            "kubectl top node [NAME | -l label] [options]",
        ),
        "autoscale" => (
            "Create a HorizontalPodAutoscaler for a deployment, replica set, stateful set or replication controller.\n\n The autoscaler keeps the workload between --min and --max replicas, aiming at the given average CPU (or memory) use of its pods' requests; it reads the metrics API every 15 seconds.",
            &[
                ("Keep deployment web between 2 and 10 replicas at 80% CPU", "kubectl autoscale deployment web --min=2 --max=10 --cpu=80%"),
                ("Between 1 and 5 replicas at the default CPU target", "kubectl autoscale deployment web --max=5"),
                ("Aim at 500Mi of memory per pod on average", "kubectl autoscale deployment web --max=5 --memory=500Mi"),
            ],
            AUTOSCALE_FLAGS,
            "kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu=CPU] [--memory=MEMORY] [options]",
        ),
        "cluster-info" => (
            "Show where the control plane and the cluster's add-on services can be reached.",
            &[("The addresses", "kubectl cluster-info")],
            &[],
            "kubectl cluster-info [flags] [options]",
        ),
        _ => return None,
    };
    Some(render(&Page {
        description,
        aliases: Vec::new(),
        examples,
        commands: Vec::new(),
        options: options.to_vec(),
        usage,
        command_path: "",
    }))
}

/// The pages of `kubectl set` and `kubectl auth`, which only list their subcommands.
fn group_text(verb: &str) -> String {
    let (description, commands, usage, command_path): (&str, Vec<(&str, &str)>, &str, &str) =
        match verb {
            "set" => (
                "Change particular fields of existing objects.\n\n Each subcommand changes one kind of field; this playground has all but set subject.",
                vec![
                    ("env", "Change the environment variables of pod templates and pods"),
                    ("image", "Change the images of containers in pods and pod templates"),
                    ("resources", "Change the requests and limits of containers"),
                    ("selector", "Replace the selector of a Service"),
                    ("serviceaccount", "Change the service account of pod templates and pods"),
                ],
                "kubectl set SUBCOMMAND [options]",
                "kubectl set",
            ),
            "rollout" => (
                "Look after the rollout of a deployment: follow it, list its revisions, go back to an earlier one, hold it, or start a fresh one.",
                vec![
                    ("history", "List a deployment's revisions"),
                    ("pause", "Hold a deployment's rollout where it is"),
                    ("restart", "Replace every pod of a deployment with a new one"),
                    ("resume", "Let a paused deployment roll out again"),
                    ("status", "Follow a rollout until it is done"),
                    ("undo", "Go back to an earlier revision"),
                ],
                "kubectl rollout SUBCOMMAND [options]",
                "kubectl rollout",
            ),
            "top" => (
                "Show how much CPU and memory pods and nodes use.\n\n The numbers come from the metrics API, which metrics-server fills every 15 seconds.",
                vec![
                    ("node", "Show the CPU and memory use of nodes"),
                    ("pod", "Show the CPU and memory use of pods"),
                ],
                "kubectl top [flags] [options]",
                "kubectl top",
            ),
            _ => (
                "Ask the cluster's authorizer about permissions and identity.",
                vec![
                    ("can-i", "Ask whether an action is allowed"),
                    ("whoami", "Show the user kubectl acts as"),
                ],
                "kubectl auth [flags] [options]",
                "kubectl auth",
            ),
        };
    render(&Page {
        description,
        aliases: Vec::new(),
        examples: &[],
        commands,
        options: Vec::new(),
        usage,
        command_path,
    })
}

fn create_text(words: &[&str]) -> String {
    if let Some(group) = words.first().and_then(|w| generators::group_named(w)) {
        let generator = words
            .get(1)
            .and_then(|sub| generators::find(&format!("{} {sub}", group.name)));
        if let Some(generator) = generator {
            return generator_text(generator);
        }
        let prefix = format!("{} ", group.name);
        let commands: Vec<(&str, &str)> = GENERATORS
            .iter()
            .filter_map(|g| g.path.strip_prefix(&prefix).map(|sub| (sub, g.summary)))
            .collect();
        let mut aliases = vec![group.name];
        aliases.extend(group.aliases);
        let command_path = format!("kubectl create {}", group.name);
        return render(&Page {
            description: group.description,
            aliases,
            examples: &[],
            commands,
            options: Vec::new(),
            usage: group.usage,
            command_path: &command_path,
        });
    }
    if let Some(generator) = words.first().and_then(|w| generators::find(w)) {
        return generator_text(generator);
    }
    let mut commands: Vec<(&str, &str)> = GENERATORS
        .iter()
        .filter(|g| !g.path.contains(' '))
        .map(|g| (g.path, g.summary))
        .chain(GROUPS.iter().map(|g| (g.name, g.summary)))
        .collect();
    commands.sort_stable_by_key(|(name, _)| *name);
    render(&Page {
        description: "Create resources from files or standard input, or with one of the generators below.\n\n Files may hold YAML or JSON, several objects each.",
        aliases: Vec::new(),
        examples: &[
            ("Create the objects a file describes", "kubectl create -f web.yaml"),
            ("Create what arrives on standard input", "cat web.yaml | kubectl create -f -"),
            ("Create a deployment without writing any YAML", "kubectl create deployment web --image=nginx"),
        ],
        commands,
        options: CREATE_FILE_FLAGS.to_vec(),
        usage: "kubectl create -f FILENAME [options]",
        command_path: "kubectl create",
    })
}

fn generator_text(generator: &generators::Generator) -> String {
    let name = generator.path.rsplit(' ').next().unwrap_or(generator.path);
    let mut aliases = vec![name];
    aliases.extend(generator.aliases);
    let options: Vec<Flag> = generator
        .flags
        .iter()
        .chain(COMMON_FLAGS)
        .copied()
        .collect();
    render(&Page {
        description: generator.description,
        aliases,
        examples: generator.examples,
        commands: Vec::new(),
        options,
        usage: generator.usage,
        command_path: "",
    })
}

fn config_text(sub: &str) -> Option<String> {
    const COMMANDS: &[(&str, &str)] = &[
        ("current-context", "Show the name of the current context"),
        ("get-contexts", "List the contexts of the kubeconfig"),
        (
            "set-context",
            "Change a context, such as its default namespace",
        ),
        ("view", "Show the kubeconfig"),
    ];
    let page = match sub {
        "" => Page {
            description: "Read and change the kubeconfig: the clusters, users and contexts kubectl knows.\n\n The playground has one context, kubeplay; set-context --current changes its default namespace.",
            aliases: Vec::new(),
            examples: &[],
            commands: COMMANDS.to_vec(),
            options: Vec::new(),
            usage: "kubectl config SUBCOMMAND [options]",
            command_path: "kubectl config",
        },
        "current-context" => Page {
            description: "Show the name of the context kubectl uses.",
            aliases: Vec::new(),
            examples: &[("The current context", "kubectl config current-context")],
            commands: Vec::new(),
            options: Vec::new(),
            usage: "kubectl config current-context [options]",
            command_path: "",
        },
        "get-contexts" => Page {
            description: "List the contexts of the kubeconfig, with a * beside the current one.",
            aliases: Vec::new(),
            examples: &[("Every context", "kubectl config get-contexts")],
            commands: Vec::new(),
            options: Vec::new(),
            usage: "kubectl config get-contexts [(-o|--output=)name)] [options]",
            command_path: "",
        },
        "set-context" => Page {
            description: "Change a context of the kubeconfig.\n\n Fields you do not give keep their values.",
            aliases: Vec::new(),
            examples: &[(
                "Work in the dev namespace from now on",
                "kubectl config set-context --current --namespace=dev",
            )],
            commands: Vec::new(),
            options: vec![
                Flag::new("current", Bool, "false", "Change the context in use."),
                Flag::new("namespace", Str, "", "The namespace commands use when they are given none.")
                    .short('n'),
            ],
            usage: "kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]",
            command_path: "",
        },
        "view" => Page {
            description: "Show the kubeconfig as YAML.",
            aliases: Vec::new(),
            examples: &[("The whole kubeconfig", "kubectl config view")],
            commands: Vec::new(),
            options: Vec::new(),
            usage: "kubectl config view [flags] [options]",
            command_path: "",
        },
        _ => return None,
    };
    Some(render(&page))
}

const EXPOSE_FLAGS: &[Flag] = &[
    Flag::new(
        "cluster-ip",
        Str,
        "",
        "The ClusterIP to ask for; None makes a headless Service.",
    ),
    DRY_RUN_NOT_SIMULATED,
    Flag::new(
        "external-ip",
        Str,
        "",
        "An extra external IP the Service accepts traffic on.",
    ),
    Flag::new(
        "labels",
        Str,
        "",
        "Labels for the Service (default: the exposed object's labels).",
    )
    .short('l'),
    Flag::new(
        "name",
        Str,
        "",
        "The Service's name (default: the exposed object's name).",
    ),
    RESULT_OUTPUT,
    TEMPLATE,
    ALLOW_MISSING_TEMPLATE_KEYS,
    Flag::new(
        "port",
        Str,
        "",
        "The port the Service listens on (several: comma-separated).",
    ),
    Flag::new("protocol", Str, "", "TCP (the default), UDP or SCTP."),
    Flag::new(
        "selector",
        Str,
        "",
        "The label selector to use instead of the exposed object's.",
    ),
    Flag::new("session-affinity", Str, "", "None or ClientIP."),
    Flag::new(
        "target-port",
        Str,
        "",
        "The port (number or name) the pods listen on; default: --port.",
    ),
    Flag::new(
        "type",
        Str,
        "",
        "ClusterIP, NodePort, LoadBalancer or ExternalName (default ClusterIP).",
    ),
];

const WAIT_FLAGS: &[Flag] = &[
    Flag::new("all", Bool, "false", "Wait for every object of the type in the namespace."),
    Flag::new("for", Str, "", "The condition to wait for: condition=NAME[=VALUE], delete, or jsonpath='{EXPRESSION}'=VALUE."),
    Flag::new("selector", Str, "", "Wait for the objects whose labels match this selector, e.g. -l app=web.").short('l'),
    Flag::new("timeout", Str, "30s", "How long (in simulated time) to wait before giving up."),
];

const NODE_SELECT_FLAGS: &[Flag] = &[
    DRY_RUN_NOT_SIMULATED,
    Flag::new(
        "selector",
        Str,
        "",
        "Act on the nodes whose labels match this selector, e.g. -l pool=old.",
    )
    .short('l'),
];

// The flags `top pod` and `top node` share.
const TOP_USE_PROTOCOL_BUFFERS: Flag = Flag::new(
    "use-protocol-buffers",
    Bool,
    "true",
    "Accepted for compatibility; the playground has one wire format.",
);

const TOP_SORT_BY: Flag = Flag::new(
    "sort-by",
    Str,
    "",
    "Sort by cpu or memory, the largest first.",
);

const TOP_SHOW_SWAP: Flag = Flag::new(
    "show-swap",
    Bool,
    "false",
    "Also show swap use (always 0 in this playground).",
);

const TOP_POD_FLAGS: &[Flag] = &[
    Flag::new(
        "all-namespaces",
        Bool,
        "false",
        "Show the pods of every namespace.",
    )
    .short('A'),
    Flag::new(
        "containers",
        Bool,
        "false",
        "Show each container of the pods on its own line.",
    ),
    Flag::new(
        "field-selector",
        Str,
        "",
        "Only the pods whose fields match this selector (metadata.name=web-0).",
    ),
    Flag::new("no-headers", Bool, "false", "Leave out the header line."),
    Flag::new(
        "selector",
        Str,
        "",
        "Only the pods whose labels match this selector.",
    )
    .short('l'),
    TOP_SHOW_SWAP,
    TOP_SORT_BY,
    Flag::new("sum", Bool, "false", "Add a line with the totals."),
    TOP_USE_PROTOCOL_BUFFERS,
];

const TOP_NODE_FLAGS: &[Flag] = &[
    Flag::new("no-headers", Bool, "false", "Leave out the header line."),
    Flag::new(
        "selector",
        Str,
        "",
        "Only the nodes whose labels match this selector.",
    )
    .short('l'),
    Flag::new(
        "show-capacity",
        Bool,
        "false",
        "Compare use with each node's capacity instead of its allocatable resources.",
    ),
    TOP_SHOW_SWAP,
    TOP_SORT_BY,
    TOP_USE_PROTOCOL_BUFFERS,
];

const AUTOSCALE_FLAGS: &[Flag] = &[
    Flag::new("allow-missing-template-keys", Bool, "true", "With a template output, print nothing for keys the object does not have instead of failing."),
    Flag::new("cpu", Str, "", "The average CPU use to aim at, as a share of the pods' requests (80%) or an amount (500m)."),
    Flag::new("cpu-percent", Int32, "-1", "The average CPU use to aim at, as a share of the pods' requests (use --cpu instead)."),
    DRY_RUN_NOT_SIMULATED,
    Flag::new("field-manager", Str, "kubectl-autoscale", "The name recorded as the manager of the fields this sets."),
    Flag::new("filename", Array, "[]", "The file that names the workload to autoscale.").short('f'),
    Flag::new("max", Int32, "-1", "The most replicas the autoscaler may ask for (required)."),
    Flag::new("memory", Str, "", "The average memory use to aim at, as a share of the pods' requests (80%) or an amount (500Mi)."),
    Flag::new("min", Int32, "-1", "The fewest replicas the autoscaler may ask for (1 when not given)."),
    Flag::new("name", Str, "", "The name of the new autoscaler (the workload's name when not given)."),
    Flag::new("output", Str, "", "Print the new autoscaler in this format (json, yaml, name, …) instead of the one-line message.").short('o'),
    Flag::new("record", Bool, "false", "Record the command in the kubernetes.io/change-cause annotation (deprecated)."),
    Flag::new("recursive", Bool, "false", "Read the directories given with -f and their subdirectories.").short('R'),
    Flag::new("save-config", Bool, "false", "Keep the configuration in the last-applied annotation for a later kubectl apply."),
    Flag::new("show-managed-fields", Bool, "false", "Keep managedFields when printing JSON or YAML."),
    TEMPLATE,
];

const DRAIN_FLAGS: &[Flag] = &[
    Flag::new("delete-emptydir-data", Bool, "false", "Drain even when pods use emptyDir volumes; their data is lost with them."),
    Flag::new("disable-eviction", Bool, "false", "Delete pods directly instead of evicting them, ignoring PodDisruptionBudgets."),
    DRY_RUN_NOT_SIMULATED,
    Flag::new("force", Bool, "false", "Drain even when some pods have no controller to recreate them elsewhere."),
    Flag::new("ignore-daemonsets", Bool, "false", "Leave DaemonSet-managed pods on the node instead of refusing to drain."),
    Flag::new("pod-selector", Str, "", "Only evict the pods whose labels match this selector."),
    Flag::new("selector", Str, "", "Drain the nodes whose labels match this selector.").short('l'),
    Flag::new("timeout", Str, "0s", "How long (in simulated time) to keep retrying refused evictions; 0 means up to 10 simulated minutes."),
];

const TAINT_FLAGS: &[Flag] = &[
    Flag::new("all", Bool, "false", "Change the taints of every node."),
    DRY_RUN_NOT_SIMULATED,
    Flag::new("overwrite", Bool, "false", "Replace a taint that already exists with the same key and effect; without it that is an error."),
    Flag::new("selector", Str, "", "Change the nodes whose labels match this selector.").short('l'),
];

const ROLLOUT_STATUS_FLAGS: &[Flag] = &[
    FILENAME_NOT_READ,
    Flag::new("revision", Int64, "0", "Accepted for compatibility; the status is always that of the latest revision."),
    Flag::new("timeout", Str, "0s", "How long (in simulated time) to wait before giving up; 0 waits up to 30 simulated minutes."),
    Flag::new("watch", Bool, "true", "Keep following the rollout until it is done; with --watch=false print the state once.").short('w'),
];

const ROLLOUT_HISTORY_FLAGS: &[Flag] = &[
    FILENAME_NOT_READ,
    Flag::new(
        "revision",
        Int64,
        "0",
        "Show the pod template of this revision instead of the list.",
    ),
];

const ROLLOUT_UNDO_FLAGS: &[Flag] = &[
    DRY_RUN_NOT_SIMULATED,
    FILENAME_NOT_READ,
    Flag::new(
        "to-revision",
        Int64,
        "0",
        "The revision to go back to; 0 means the one before the current revision.",
    ),
];

const ROLLOUT_PLAIN_FLAGS: &[Flag] = &[FILENAME_NOT_READ];

/// `kubectl rollout SUBCOMMAND --help`.
fn rollout_text(sub: &str) -> String {
    let (description, examples, options, usage): (&str, &[(&str, &str)], &[Flag], &str) = match sub {
        "status" => (
            "Follow the rollout of a deployment until it is done.\n\n Prints a line each time the rollout moves on (new replicas updated, old ones going away, new ones becoming available) and ends when every replica runs the new template, or with an error when the deployment passes its progress deadline. In this playground the wait lets simulated time run.",
            &[("Follow the rollout of the web deployment", "kubectl rollout status deployment/web"), ("Print where the rollout stands now, without waiting", "kubectl rollout status deployment/web --watch=false")],
            ROLLOUT_STATUS_FLAGS,
            "kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
        ),
        "history" => (
            "List the revisions of a deployment, with the change-cause annotation each one carried.",
            &[("The revisions of the web deployment", "kubectl rollout history deployment/web"), ("The pod template of revision 3", "kubectl rollout history deployment/web --revision=3")],
            ROLLOUT_HISTORY_FLAGS,
            "kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
        ),
        "undo" => (
            "Go back to an earlier revision of a deployment.\n\n The pod template of that revision becomes the deployment's template again, which starts a rollout; the revision comes back under a new number.",
            &[("Go back to the previous revision", "kubectl rollout undo deployment/web"), ("Go back to revision 3", "kubectl rollout undo deployment/web --to-revision=3")],
            ROLLOUT_UNDO_FLAGS,
            "kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
        ),
        "pause" => (
            "Hold a deployment's rollout where it is.\n\n Changes to the pod template made while paused start no rollout until the deployment is resumed; scaling still works.",
            &[("Pause the web deployment, change its image, then resume", "kubectl rollout pause deployment/web")],
            ROLLOUT_PLAIN_FLAGS,
            "kubectl rollout pause RESOURCE",
        ),
        "resume" => (
            "Let a paused deployment roll out again.",
            &[("Resume the web deployment", "kubectl rollout resume deployment/web")],
            ROLLOUT_PLAIN_FLAGS,
            "kubectl rollout resume RESOURCE",
        ),
        _ => (
            "Replace every pod of a deployment with a new one.\n\n Stamps the pod template with a kubectl.kubernetes.io/restartedAt annotation, which starts an ordinary rolling update.",
            &[("Restart the pods of the web deployment", "kubectl rollout restart deployment/web")],
            ROLLOUT_PLAIN_FLAGS,
            "kubectl rollout restart RESOURCE",
        ),
    };
    render(&Page {
        description,
        aliases: Vec::new(),
        examples,
        commands: Vec::new(),
        options: options.to_vec(),
        usage,
        command_path: "",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Output {
        let mut kubectl = crate::Kubectl::default();
        let mut cluster = cluster::Cluster::new(1);
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        kubectl.run(&mut cluster, &args, &crate::NoFiles { stdin: None })
    }

    #[test]
    fn help_pages_have_kubectls_layout() {
        let out = run("create deployment --help");
        assert_eq!(out.exit_code, 0);
        let text = out.stdout;
        assert!(text.starts_with("Create a Deployment with the given name.\n\nAliases:\ndeployment, deploy\n\nExamples:\n  # "), "{text}");
        assert!(text.contains("\n  \n  # "));
        assert!(text.contains("\nOptions:\n    --allow-missing-template-keys=true:\n\t"));
        assert!(text.contains("\n    --dry-run='none':\n\t"));
        assert!(text.contains("    -r, --replicas=1:\n\t"));
        assert!(text.contains("    --image=[]:\n\t"));
        assert!(text.ends_with("\n\nUsage:\n  kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]\n\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n"));
        let create = run("create -h").stdout;
        assert!(
            create.contains("Available Commands:\n  clusterrole           Create a cluster role\n"),
            "{create}"
        );
        assert!(create.contains(
            "Use \"kubectl create <command> --help\" for more information about a given command.\n"
        ));
        let secret = run("create secret tls --help").stdout;
        assert!(secret.contains("--cert='':"));
        let group = run("create secret --help").stdout;
        assert!(
            group.contains(
                "  docker-registry   Create a secret for pulling images from a registry\n"
            ),
            "{group}"
        );
    }

    #[test]
    fn every_verb_and_subcommand_has_help() {
        for verb in [
            "get",
            "apply",
            "create",
            "delete",
            "run",
            "version",
            "api-resources",
            "api-versions",
            "cluster-info",
            "config",
            "describe",
            "patch",
            "label",
            "annotate",
            "scale",
            "set",
            "set image",
            "auth",
            "auth can-i",
            "auth whoami",
            "events",
            "logs",
        ] {
            let out = run(&format!("{verb} --help"));
            assert_eq!(out.exit_code, 0, "{verb}");
            assert!(
                out.stdout.contains(&format!("\nUsage:\n  kubectl {verb} ")),
                "{verb}: {}",
                out.stdout
            );
            assert!(
                out.stdout.ends_with("(applies to all commands).\n"),
                "{verb}"
            );
            assert_eq!(run(&format!("{verb} -h")).stdout, out.stdout, "{verb} -h");
            assert_eq!(
                run(&format!("help {verb}")).stdout,
                out.stdout,
                "help {verb}"
            );
        }
        // Global flags before the verb, or between it and the subcommand, change nothing.
        assert_eq!(
            run("-n dev set image --help").stdout,
            run("set image --help").stdout
        );
        assert_eq!(
            run("auth -n dev can-i --help").stdout,
            run("auth can-i --help").stdout
        );
        // Subcommands the playground lacks fall back to their group's page.
        assert_eq!(run("set env --help").stdout, run("set --help").stdout);
        for generator in GENERATORS {
            let out = run(&format!("create {} --help", generator.path));
            assert!(out.stdout.contains(generator.usage), "{}", generator.path);
        }
    }

    /// Pages whose Options must list exactly the flags the verb's parser takes, with the command
    /// line (verb and arguments) that reaches that parser.
    const EXACT_PAGES: &[(&str, &[Flag])] = &[
        ("describe pods", DESCRIBE_FLAGS),
        ("patch pod x -p {}", PATCH_FLAGS),
        ("label pod x a=b", METADATA_MAP_FLAGS),
        ("annotate pod x a=b", METADATA_MAP_FLAGS),
        ("scale deployment x --replicas=1", SCALE_FLAGS),
        ("set image deployment/x a=b", SET_IMAGE_FLAGS),
        ("auth can-i get pods", CAN_I_FLAGS),
        ("auth whoami", WHOAMI_FLAGS),
        ("events", EVENTS_FLAGS),
        ("logs pod/x", LOGS_FLAGS),
        ("exec pod/x", EXEC_FLAGS),
        ("replace -f -", REPLACE_FLAGS),
        ("top pod", TOP_POD_FLAGS),
        ("top node", TOP_NODE_FLAGS),
        ("autoscale deployment x --max=2", AUTOSCALE_FLAGS),
    ];

    /// The pages above leave out no flag their parser takes: every other flag name any page or
    /// generator documents (and a few kubectl has that we do not) is rejected as unknown.
    #[test]
    fn documented_flags_are_all_the_flags() {
        let mut candidates: Vec<&str> = [
            GET_FLAGS,
            APPLY_FLAGS,
            DELETE_FLAGS,
            RUN_FLAGS,
            VERSION_FLAGS,
            API_RESOURCES_FLAGS,
            CREATE_FILE_FLAGS,
            COMMON_FLAGS,
        ]
        .iter()
        .flat_map(|f| f.iter())
        .chain(EXACT_PAGES.iter().flat_map(|(_, f)| f.iter()))
        .chain(GENERATORS.iter().flat_map(|g| g.flags.iter()))
        .map(|f| f.long)
        .chain([
            "allow-missing-template-keys",
            "field-manager",
            "show-managed-fields",
            "subresource",
            "template",
        ])
        .collect();
        candidates.sort_stable();
        candidates.dedup();
        for (command, flags) in EXACT_PAGES {
            for long in &candidates {
                if flags.iter().any(|f| f.long == *long)
                    || crate::flags::GLOBAL_FLAGS.iter().any(|g| g.long == *long)
                {
                    continue;
                }
                let out = run(&format!("{command} --{long}=x"));
                assert!(
                    out.stderr.contains(&format!("unknown flag: --{long}")),
                    "{command} accepts --{long}, which its help page does not list: {}",
                    out.stderr
                );
            }
        }
    }

    #[test]
    fn top_and_autoscale_have_pages_of_their_own() {
        for (verb, rest, usage) in [
            ("top", &[][..], "kubectl top [flags] [options]"),
            (
                "top",
                &["pod"][..],
                "kubectl top pod [NAME | -l label] [options]",
            ),
            (
                "top",
                &["nodes"][..],
                "kubectl top node [NAME | -l label] [options]",
            ),
            ("autoscale", &[][..], "kubectl autoscale (-f FILENAME"),
        ] {
            let rest: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
            let out = help(verb, &rest);
            assert!(
                out.stdout.contains(usage),
                "{verb} {rest:?}: {}",
                out.stdout
            );
            assert_ne!(out.stdout, super::super::info::ROOT_HELP);
        }
    }

    /// The root help lists every verb that has a page of its own, and nothing else.
    #[test]
    fn root_help_lists_the_verbs_with_pages() {
        let root = super::super::info::ROOT_HELP;
        let listed: Vec<&str> = root
            .lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("  kubectl"))
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        for verb in &listed {
            assert!(text(&[verb]).is_some(), "{verb} has no help page");
        }
        for verb in [
            "describe", "patch", "label", "annotate", "scale", "set", "auth", "events",
        ] {
            assert!(
                listed.contains(&verb),
                "{verb} is missing from the root help"
            );
        }
        let group_of = |verb: &str| {
            let at = root.find(&format!("\n  {verb} ")).unwrap();
            root[..at]
                .rsplit("\n\n")
                .next()
                .unwrap()
                .lines()
                .next()
                .unwrap()
        };
        assert_eq!(group_of("set"), "Basic Commands (Beginner):");
        assert_eq!(group_of("expose"), "Basic Commands (Beginner):");
        assert_eq!(group_of("scale"), "Deploy Commands:");
        assert_eq!(group_of("rollout"), "Deploy Commands:");
        for verb in ["cordon", "uncordon", "drain", "taint"] {
            assert_eq!(group_of(verb), "Cluster Management Commands:");
        }
        for verb in ["replace", "wait"] {
            assert_eq!(group_of(verb), "Advanced Commands:");
        }
        for verb in ["describe", "auth", "events"] {
            assert_eq!(group_of(verb), "Troubleshooting and Debugging Commands:");
        }
        assert_eq!(group_of("patch"), "Advanced Commands:");
        for verb in ["label", "annotate"] {
            assert_eq!(group_of(verb), "Settings Commands:");
        }
    }

    /// Every option a help page lists is one the verb accepts.
    #[test]
    fn documented_flags_are_accepted() {
        let pages: &[(&str, &[Flag])] = &[
            ("get pods", GET_FLAGS),
            ("apply", APPLY_FLAGS),
            ("delete pods", DELETE_FLAGS),
            ("run x --image=nginx", RUN_FLAGS),
            ("version", VERSION_FLAGS),
            ("api-resources", API_RESOURCES_FLAGS),
            ("create", CREATE_FILE_FLAGS),
        ];
        for (command, flags) in pages.iter().chain(EXACT_PAGES) {
            for flag in *flags {
                let arg = match flag.kind {
                    FlagType::Bool => format!("--{}", flag.long),
                    _ => format!("--{}=x", flag.long),
                };
                let out = run(&format!("{command} {arg}"));
                assert!(
                    !out.stderr.contains("unknown flag"),
                    "{command} {arg}: {}",
                    out.stderr
                );
                if let Some(c) = flag.short {
                    let out = run(&format!("{command} -{c} x"));
                    assert!(
                        !out.stderr.contains("unknown shorthand flag"),
                        "{command} -{c}: {}",
                        out.stderr
                    );
                }
            }
        }
        for generator in GENERATORS {
            for flag in generator.flags.iter().chain(COMMON_FLAGS) {
                let arg = match flag.kind {
                    FlagType::Bool => format!("--{}", flag.long),
                    _ => format!("--{}=x", flag.long),
                };
                let out = run(&format!("create {} n {arg}", generator.path));
                assert!(
                    !out.stderr.contains("unknown flag"),
                    "{} {arg}: {}",
                    generator.path,
                    out.stderr
                );
            }
        }
    }
}
