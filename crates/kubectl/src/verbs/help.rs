//! `--help` for every verb and `create` subcommand the playground has, laid out as kubectl lays
//! it out (summary, aliases, examples, subcommands, options with their defaults, usage, the
//! closing lines) and written in our own words. Help goes to stdout with exit code 0.

use super::create::{Flag, FlagType, COMMON_FLAGS, CREATE_FILE_FLAGS};
use super::generators::{self, GENERATORS, GROUPS};
use crate::Output;

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
        options.sort_by_key(|f| f.long);
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

use FlagType::{Array, Bool, Int64, Str};

const OUTPUT_FLAG: Flag = Flag::new(
    "output",
    Str,
    "",
    "Print the objects in this format: json, yaml, name, wide, jsonpath=…, jsonpath-as-json=…, custom-columns=….",
)
.short('o');
const FILENAME: Flag = Flag::new(
    "filename",
    Array,
    "",
    "A file, a directory of .yaml/.yml/.json files, or - for standard input.",
)
.short('f');
const RECURSIVE: Flag = Flag::new(
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
    RECURSIVE,
    SELECTOR,
    Flag::new("show-kind", Bool, "false", "Prefix each name with its resource type."),
    Flag::new("show-labels", Bool, "false", "Add a LABELS column with all of each object's labels."),
    Flag::new("sort-by", Str, "", "Sort the list by the field this JSONPath names, e.g. '{.metadata.name}'."),
    Flag::new("watch", Bool, "false", "After printing, keep following the objects and print each change.").short('w'),
];

const APPLY_FLAGS: &[Flag] = &[
    DRY_RUN,
    Flag::new("field-manager", Str, "kubectl-client-side-apply", "The manager name recorded as owning the fields this command sets."),
    FILENAME,
    Flag::new("force", Bool, "false", "When an update cannot be made, delete the object and create it again."),
    Flag::new("force-conflicts", Bool, "false", "With --server-side, take over fields that other managers own."),
    Flag::new("output", Str, "", "Print each result in this format instead of the one-line summary: one of (json, yaml, name).").short('o'),
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
        "Print the pod in this format instead of the one-line summary: one of (json, yaml, name).",
    )
    .short('o'),
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
        "config" => {
            if let Some(sub) = rest.iter().find(|a| !a.starts_with('-')) {
                path.push(sub.as_str());
            }
        }
        _ => {}
    }
    Output::ok(text(&path).unwrap_or_else(|| super::info::ROOT_HELP.to_string()))
}

/// The page for a command path (`["create", "secret", "tls"]`). Words past a known command
/// are ignored, as cobra ignores them with --help.
pub(crate) fn text(path: &[&str]) -> Option<String> {
    let page = match path {
        ["create", rest @ ..] => return Some(create_text(rest)),
        ["config", sub, ..] => return config_text(sub).or_else(|| config_text("")),
        ["config"] => return config_text(""),
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
            ],
            GET_FLAGS,
            "kubectl get [(-o|--output=)json|yaml|name|wide|jsonpath=...|custom-columns=...] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
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
    commands.sort_by_key(|(name, _)| *name);
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
        assert!(text.contains("\nOptions:\n    --dry-run='none':\n\t"));
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
        ] {
            let out = run(&format!("{verb} --help"));
            assert_eq!(out.exit_code, 0, "{verb}");
            assert!(
                out.stdout.contains("\nUsage:\n  kubectl "),
                "{verb}: {}",
                out.stdout
            );
            assert!(
                out.stdout.ends_with("(applies to all commands).\n"),
                "{verb}"
            );
        }
        for generator in GENERATORS {
            let out = run(&format!("create {} --help", generator.path));
            assert!(out.stdout.contains(generator.usage), "{}", generator.path);
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
        for (command, flags) in pages {
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
