//! The `kubectl create` generators: each builds the object real kubectl 1.37 builds from the
//! same command line (checked field by field against `--dry-run=client -o yaml`), with its
//! checks and messages. The table also carries each subcommand's help: summary, examples,
//! usage and flags, in our own words and kubectl's layout.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::create::{Flag, FlagType, Request};
use super::create_input as input;

/// One `kubectl create` subcommand.
pub(crate) struct Generator {
    /// `deployment`, `secret generic`, `service clusterip`.
    pub path: &'static str,
    pub aliases: &'static [&'static str],
    /// The line of the parent's `Available Commands`.
    pub summary: &'static str,
    /// The first paragraph of `--help`.
    pub description: &'static str,
    /// `(comment, command)` pairs of the `Examples:` section.
    pub examples: &'static [(&'static str, &'static str)],
    pub usage: &'static str,
    pub flags: &'static [Flag],
    /// Flags cobra insists on before anything else runs.
    pub required: &'static [&'static str],
    /// The prefix this subcommand puts before the API server's message when creating fails
    /// (`failed to create deployment: `); `None` prints kubectl's usual `Error from server`.
    pub failure: Option<&'static str>,
    pub build: fn(&mut Request) -> Result<Value, String>,
}

/// `create secret` and `create service`: a word that only groups subcommands.
pub(crate) struct Group {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub summary: &'static str,
    pub description: &'static str,
    pub usage: &'static str,
}

pub(crate) static GROUPS: &[Group] = &[
    Group {
        name: "secret",
        aliases: &[],
        summary: "Create a secret with one of the subcommands",
        description: "Create a Secret of one of three types.\n\n docker-registry holds the credentials for pulling images from a registry.\n\n generic holds any keys and values (type Opaque unless --type says otherwise).\n\n tls holds a certificate and its private key.",
        usage: "kubectl create secret (docker-registry | generic | tls) [options]",
    },
    Group {
        name: "service",
        aliases: &["svc"],
        summary: "Create a service with one of the subcommands",
        description: "Create a Service of the type the subcommand names.",
        usage: "kubectl create service [flags] [options]",
    },
];

pub(crate) fn group_named(word: &str) -> Option<&'static Group> {
    GROUPS
        .iter()
        .find(|g| g.name == word || g.aliases.contains(&word))
}

/// The generator for `deployment`, `deploy`, `secret generic`, … (group aliases included).
pub(crate) fn find(path: &str) -> Option<&'static Generator> {
    let canonical = match path.split_once(' ') {
        Some((group, rest)) => match group_named(group) {
            Some(g) => format!("{} {rest}", g.name),
            None => return None,
        },
        None => path.to_string(),
    };
    GENERATORS
        .iter()
        .find(|g| g.path == canonical || (!canonical.contains(' ') && g.aliases.contains(&path)))
        .filter(|g| canonical.contains(' ') == g.path.contains(' '))
}

/// Every flag any generator takes (for finding the subcommand among the words).
pub(crate) fn all_flags() -> impl Iterator<Item = &'static Flag> {
    GENERATORS
        .iter()
        .flat_map(|g| g.flags.iter())
        .chain(super::create::COMMON_FLAGS)
}

use FlagType::{Array, Bool, Int32, Int64, Map as MapFlag, Slice, Str};

const APPEND_HASH: Flag = Flag::new(
    "append-hash",
    Bool,
    "false",
    "Add a hash of the contents to the name, so that changed contents make a new object.",
);
const FROM_FILE: Flag = Flag::new(
    "from-file",
    Slice,
    "",
    "A file, or a directory whose regular files are all taken, to read keys from. The key is the file's name unless given as key=path.",
);
const FROM_ENV_FILE: Flag = Flag::new(
    "from-env-file",
    Slice,
    "",
    "A file of KEY=value lines (blank lines and # comments are skipped) to read keys from.",
);
const FROM_LITERAL: Flag = Flag::new(
    "from-literal",
    Array,
    "",
    "A key and its value given on the command line, as key=value.",
);
const TCP: Flag = Flag::new(
    "tcp",
    Slice,
    "",
    "A port as <port>:<targetPort>, or just <port> when both are the same.",
);
const USER: Flag = Flag::new(
    "user",
    Array,
    "",
    "A user name to bind the role to; repeat for more users.",
);
const GROUP: Flag = Flag::new(
    "group",
    Array,
    "",
    "A group name to bind the role to; repeat for more groups.",
);
const SERVICE_ACCOUNT: Flag = Flag::new(
    "serviceaccount",
    Array,
    "",
    "A service account to bind the role to, as <namespace>:<name>; repeat for more.",
);
const VERB: Flag = Flag::new(
    "verb",
    Slice,
    "",
    "The verbs the rule allows, such as get, list, watch, create, or * for all.",
);
const RESOURCE: Flag = Flag::new(
    "resource",
    Slice,
    "",
    "The resources the rule covers, as resource, resource.group or resource/subresource.",
);
const RESOURCE_NAME: Flag = Flag::new(
    "resource-name",
    Array,
    "",
    "Limit the rule to objects with this name; repeat for more names.",
);

pub(crate) static GENERATORS: &[Generator] = &[
    Generator {
        path: "clusterrole",
        aliases: &[],
        summary: "Create a cluster role",
        description: "Create a ClusterRole: cluster-wide permission rules.",
        examples: &[
            ("Let the role read pods anywhere in the cluster", "kubectl create clusterrole pod-reader --verb=get,list,watch --resource=pods"),
            ("Allow reading only two named config maps", "kubectl create clusterrole settings-reader --verb=get --resource=configmaps --resource-name=app-config --resource-name=db-config"),
            ("Allow GET on URLs that are not API resources", "kubectl create clusterrole health-checker --verb=get --non-resource-url=/healthz,/livez"),
            ("Gather the rules of every cluster role with a label", "kubectl create clusterrole monitoring --aggregation-rule=\"rbac.example.com/aggregate-to-monitoring=true\""),
        ],
        usage: "kubectl create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
        flags: &[
            Flag::new("aggregation-rule", MapFlag, "", "Labels, as key=value, selecting the cluster roles whose rules this role gathers instead of having its own."),
            Flag::new("non-resource-url", Slice, "", "A URL path that is not an API resource (it must start with /), for the rule's verbs."),
            RESOURCE,
            RESOURCE_NAME,
            VERB,
        ],
        required: &[],
        failure: None,
        build: build_cluster_role,
    },
    Generator {
        path: "clusterrolebinding",
        aliases: &[],
        summary: "Create a cluster role binding for a cluster role",
        description: "Create a ClusterRoleBinding: grant a ClusterRole to users, groups or service accounts across the cluster.",
        examples: &[
            ("Make the user alice and the group ops cluster administrators", "kubectl create clusterrolebinding admins --clusterrole=cluster-admin --user=alice --group=ops"),
            ("Let a service account read everything", "kubectl create clusterrolebinding ci-view --clusterrole=view --serviceaccount=ci:builder"),
        ],
        usage: "kubectl create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
        flags: &[
            Flag::new("clusterrole", Str, "", "The ClusterRole to grant."),
            GROUP,
            SERVICE_ACCOUNT,
            USER,
        ],
        required: &["clusterrole"],
        failure: Some("failed to create clusterrolebinding: "),
        build: build_cluster_role_binding,
    },
    Generator {
        path: "configmap",
        aliases: &["cm"],
        summary: "Create a config map from files, directories or literal values",
        description: "Create a ConfigMap from files, from every regular file of a directory, from env files or from literal values.\n\n A file's key is its name unless the source is written key=path. For a directory, each regular file becomes one key.",
        examples: &[
            ("Keys from every file in a directory", "kubectl create configmap app-config --from-file=path/to/config-dir"),
            ("Keys named after two files", "kubectl create configmap app-config --from-file=app.properties --from-file=log.properties"),
            ("Choose the key names yourself", "kubectl create configmap app-config --from-file=main=app.properties --from-file=logging=log.properties"),
            ("Keys and values on the command line", "kubectl create configmap app-config --from-literal=mode=production --from-literal=workers=4"),
            ("Keys from an env file", "kubectl create configmap app-config --from-env-file=app.env"),
        ],
        usage: "kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
        flags: &[APPEND_HASH, FROM_ENV_FILE, FROM_FILE, FROM_LITERAL],
        required: &[],
        failure: Some("failed to create configmap: "),
        build: build_config_map,
    },
    Generator {
        path: "cronjob",
        aliases: &["cj"],
        summary: "Create a cron job with the given name",
        description: "Create a CronJob that starts a Job on a schedule.",
        examples: &[
            ("Print the date every five minutes", "kubectl create cronjob clock --image=busybox --schedule=\"*/5 * * * *\" -- date"),
            ("Run a nightly backup at 02:30", "kubectl create cronjob backup --image=busybox:1.36 --schedule=\"30 2 * * *\" -- sh -c 'echo backing up'"),
        ],
        usage: "kubectl create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags] [options]",
        flags: &[
            Flag::new("image", Str, "", "The image of the job's container."),
            Flag::new("restart", Str, "", "The pods' restart policy: OnFailure (when empty) or Never."),
            Flag::new("schedule", Str, "", "When to run, in cron syntax, for example \"*/5 * * * *\"."),
        ],
        required: &["image", "schedule"],
        failure: Some("failed to create cronjob: "),
        build: build_cron_job,
    },
    Generator {
        path: "deployment",
        aliases: &["deploy"],
        summary: "Create a deployment with the given name",
        description: "Create a Deployment with the given name.",
        examples: &[
            ("Run nginx", "kubectl create deployment web --image=nginx"),
            ("Run three replicas that listen on port 8080", "kubectl create deployment api --image=registry.k8s.io/echoserver:1.4 --replicas=3 --port=8080"),
            ("Give the container a command", "kubectl create deployment ticker --image=busybox -- sh -c 'while true; do date; sleep 5; done'"),
            ("Put two containers in each pod", "kubectl create deployment pair --image=nginx --image=redis"),
        ],
        usage: "kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]",
        flags: &[
            Flag::new("image", Slice, "", "An image to run; give several for several containers in each pod."),
            Flag::new("port", Int32, "-1", "The container port the first container exposes."),
            Flag::new("replicas", Int32, "1", "How many pods to run.").short('r'),
        ],
        required: &["image"],
        failure: Some("failed to create deployment: "),
        build: build_deployment,
    },
    Generator {
        path: "ingress",
        aliases: &["ing"],
        summary: "Create an ingress with the given name",
        description: "Create an Ingress that routes HTTP traffic to services.\n\n Each --rule is host/path=service:port. A path ending in * matches by prefix; any other path must match exactly. Add ,tls or ,tls=secret to serve the host over TLS.",
        examples: &[
            ("Send example.com/ to the web service's port 80", "kubectl create ingress web --rule=\"example.com/=web:80\""),
            ("Send everything under /api to the api service, over TLS", "kubectl create ingress api --class=nginx --rule=\"example.com/api*=api:8080,tls=example-cert\""),
            ("Route two hosts, and everything else to a default service", "kubectl create ingress shop --rule=\"shop.example.com/*=shop:http\" --rule=\"admin.example.com/*=admin:80\" --default-backend=fallback:80"),
            ("Add an annotation for the ingress controller", "kubectl create ingress web --rule=\"/=web:80\" --annotation=nginx.ingress.kubernetes.io/rewrite-target=/"),
        ],
        usage: "kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]]  [options]",
        flags: &[
            Flag::new("annotation", Array, "", "An annotation to set, as key=value; repeat for more."),
            Flag::new("class", Str, "", "The IngressClass that should serve this ingress."),
            Flag::new("default-backend", Str, "", "The service:port that gets the requests no rule matches."),
            Flag::new("rule", Array, "", "A routing rule, host/path=service:port[,tls[=secret]]; repeat for more."),
        ],
        required: &[],
        failure: Some("failed to create ingress: "),
        build: build_ingress,
    },
    Generator {
        path: "job",
        aliases: &[],
        summary: "Create a job with the given name",
        description: "Create a Job, from an image or from a CronJob's job template.",
        examples: &[
            ("Run a container once", "kubectl create job hello --image=busybox -- echo hello"),
            ("Start a CronJob's job now, without waiting for its schedule", "kubectl create job backup-now --from=cronjob/backup"),
        ],
        usage: "kubectl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]",
        flags: &[
            Flag::new("from", Str, "", "Copy the job template of this resource, as cronjob/NAME."),
            Flag::new("image", Str, "", "The image of the job's container."),
        ],
        required: &[],
        failure: Some("failed to create job: "),
        build: build_job,
    },
    Generator {
        path: "namespace",
        aliases: &["ns"],
        summary: "Create a namespace with the given name",
        description: "Create a Namespace with the given name.",
        examples: &[("Make a namespace for development", "kubectl create namespace dev")],
        usage: "kubectl create namespace NAME [--dry-run=server|client|none] [options]",
        flags: &[],
        required: &[],
        failure: None,
        build: build_namespace,
    },
    Generator {
        path: "poddisruptionbudget",
        aliases: &["pdb"],
        summary: "Create a pod disruption budget with the given name",
        description: "Create a PodDisruptionBudget: how many of the selected pods must stay up during voluntary disruptions such as node drains.",
        examples: &[
            ("Keep at least one pod labelled app=web running", "kubectl create poddisruptionbudget web --selector=app=web --min-available=1"),
            ("Let at most a fifth of the database pods be down", "kubectl create pdb db --selector=app=db --max-unavailable=20%"),
        ],
        usage: "kubectl create poddisruptionbudget NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none] [options]",
        flags: &[
            Flag::new("max-unavailable", Str, "", "How many of the selected pods may be unavailable, as a number or a percentage."),
            Flag::new("min-available", Str, "", "How many of the selected pods must stay available, as a number or a percentage."),
            Flag::new("selector", Str, "", "The label selector of the pods the budget protects."),
        ],
        required: &[],
        failure: Some("failed to create poddisruptionbudgets: "),
        build: build_pod_disruption_budget,
    },
    Generator {
        path: "priorityclass",
        aliases: &["pc"],
        summary: "Create a priority class with the given name",
        description: "Create a PriorityClass: a named priority pods can ask for.",
        examples: &[
            ("A high priority with a note", "kubectl create priorityclass critical --value=100000 --description=\"for the payment services\""),
            ("The default priority of pods that name none", "kubectl create priorityclass normal --value=1000 --global-default=true"),
            ("A priority that never preempts other pods", "kubectl create priorityclass batch --value=500 --preemption-policy=Never"),
        ],
        usage: "kubectl create priorityclass NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none] [options]",
        flags: &[
            Flag::new("description", Str, "", "What the priority class is for."),
            Flag::new("global-default", Bool, "false", "Make this the priority of pods that do not name a priority class."),
            Flag::new("preemption-policy", Str, "PreemptLowerPriority", "Whether these pods may evict lower-priority pods: PreemptLowerPriority or Never."),
            Flag::new("value", Int32, "0", "The priority; higher numbers win."),
        ],
        required: &[],
        failure: Some("failed to create priorityclass: "),
        build: build_priority_class,
    },
    Generator {
        path: "quota",
        aliases: &["resourcequota"],
        summary: "Create a quota with the given name",
        description: "Create a ResourceQuota that caps what a namespace may use.",
        examples: &[
            ("Cap pods, CPU and memory", "kubectl create quota team-limits --hard=pods=10,requests.cpu=2,requests.memory=4Gi"),
            ("Cap only the pods that have no resources set", "kubectl create quota best-effort --hard=pods=5 --scopes=BestEffort"),
        ],
        usage: "kubectl create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] [--dry-run=server|client|none] [options]",
        flags: &[
            Flag::new("hard", Str, "", "The limits, as resource=quantity pairs separated by commas."),
            Flag::new("scopes", Str, "", "The scopes the quota applies to, separated by commas."),
        ],
        required: &[],
        failure: Some("failed to create quota: "),
        build: build_quota,
    },
    Generator {
        path: "role",
        aliases: &[],
        summary: "Create a role with a single rule",
        description: "Create a Role: permission rules inside one namespace.",
        examples: &[
            ("Let the role read pods", "kubectl create role pod-reader --verb=get,list,watch --resource=pods"),
            ("Allow reading only two named pods", "kubectl create role one-pod --verb=get --resource=pods --resource-name=web-0 --resource-name=web-1"),
            ("Cover deployments of the apps group and their scale subresource", "kubectl create role scaler --verb=get,update --resource=deployments.apps,deployments.apps/scale"),
        ],
        usage: "kubectl create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none] [options]",
        flags: &[RESOURCE, RESOURCE_NAME, VERB],
        required: &[],
        failure: None,
        build: build_role,
    },
    Generator {
        path: "rolebinding",
        aliases: &[],
        summary: "Create a role binding for a role or cluster role",
        description: "Create a RoleBinding: grant a Role or a ClusterRole to users, groups or service accounts inside one namespace.",
        examples: &[
            ("Give the user bob the pod-reader role", "kubectl create rolebinding bob-reads-pods --role=pod-reader --user=bob"),
            ("Let a service account edit this namespace", "kubectl create rolebinding deployer --clusterrole=edit --serviceaccount=dev:deployer"),
        ],
        usage: "kubectl create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]",
        flags: &[
            Flag::new("clusterrole", Str, "", "The ClusterRole to grant in this namespace."),
            GROUP,
            Flag::new("role", Str, "", "The Role to grant."),
            SERVICE_ACCOUNT,
            USER,
        ],
        required: &[],
        failure: Some("failed to create rolebinding: "),
        build: build_role_binding,
    },
    Generator {
        path: "secret docker-registry",
        aliases: &[],
        summary: "Create a secret for pulling images from a registry",
        description: "Create a Secret of type kubernetes.io/dockerconfigjson that holds the credentials for a container registry.\n\n Pods list it under imagePullSecrets to pull private images.",
        examples: &[
            ("Credentials for a private registry", "kubectl create secret docker-registry regcred --docker-server=registry.example.com --docker-username=ci --docker-password=s3cret --docker-email=ci@example.com"),
            ("Use an existing Docker config file", "kubectl create secret docker-registry regcred --from-file=.dockerconfigjson=config.json"),
        ],
        usage: "kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] [--dry-run=server|client|none] [options]",
        flags: &[
            APPEND_HASH,
            Flag::new("docker-email", Str, "", "The email address for the registry (optional)."),
            Flag::new("docker-password", Str, "", "The password for the registry."),
            Flag::new("docker-server", Str, "https://index.docker.io/v1/", "The registry's address."),
            Flag::new("docker-username", Str, "", "The user name for the registry."),
            Flag::new("from-file", Slice, "", "Read the Docker config from a file instead; the key is .dockerconfigjson unless given as key=path."),
        ],
        required: &[],
        failure: Some("failed to create secret "),
        build: build_docker_registry_secret,
    },
    Generator {
        path: "secret generic",
        aliases: &[],
        summary: "Create a secret from files, directories or literal values",
        description: "Create a Secret from files, from every regular file of a directory, from env files or from literal values. The values are stored base64-encoded.\n\n A file's key is its name unless the source is written key=path.",
        examples: &[
            ("Keys from every file in a directory", "kubectl create secret generic app-secrets --from-file=path/to/secret-dir"),
            ("A key named after a file, and one named by you", "kubectl create secret generic app-secrets --from-file=id_rsa --from-file=key.pub=id_rsa.pub"),
            ("Keys and values on the command line", "kubectl create secret generic db-login --from-literal=username=admin --from-literal=password='s3cr=t'"),
            ("Keys from an env file", "kubectl create secret generic app-secrets --from-env-file=secrets.env"),
        ],
        usage: "kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=server|client|none] [options]",
        flags: &[
            APPEND_HASH,
            FROM_ENV_FILE,
            FROM_FILE,
            FROM_LITERAL,
            Flag::new("type", Str, "", "The secret's type (Opaque when not given)."),
        ],
        required: &[],
        failure: Some("failed to create secret "),
        build: build_generic_secret,
    },
    Generator {
        path: "secret tls",
        aliases: &[],
        summary: "Create a TLS secret",
        description: "Create a Secret of type kubernetes.io/tls from a PEM certificate and its PEM private key.",
        examples: &[("A certificate and its key", "kubectl create secret tls example-cert --cert=tls.crt --key=tls.key")],
        usage: "kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file [--dry-run=server|client|none] [options]",
        flags: &[
            APPEND_HASH,
            Flag::new("cert", Str, "", "The PEM certificate file."),
            Flag::new("key", Str, "", "The PEM private key file."),
        ],
        required: &[],
        failure: Some("failed to create secret "),
        build: build_tls_secret,
    },
    Generator {
        path: "service clusterip",
        aliases: &[],
        summary: "Create a ClusterIP service",
        description: "Create a Service of type ClusterIP: a stable virtual IP inside the cluster for the pods labelled app=NAME.",
        examples: &[
            ("Port 80 of the service goes to port 8080 of the pods", "kubectl create service clusterip web --tcp=80:8080"),
            ("A headless service: DNS names for the pods, no virtual IP", "kubectl create service clusterip db --clusterip=\"None\""),
        ],
        usage: "kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
        flags: &[
            Flag::new("clusterip", Str, "", "The cluster IP to ask for; \"None\" makes a headless service."),
            TCP,
        ],
        required: &[],
        failure: Some("failed to create ClusterIP service: "),
        build: build_cluster_ip_service,
    },
    Generator {
        path: "service externalname",
        aliases: &[],
        summary: "Create an ExternalName service",
        description: "Create a Service of type ExternalName: a DNS alias (CNAME) inside the cluster for a name outside it.",
        examples: &[("A cluster name for an outside database", "kubectl create service externalname orders-db --external-name=db.example.com")],
        usage: "kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] [options]",
        flags: &[
            Flag::new("external-name", Str, "", "The DNS name the service stands for."),
            TCP,
        ],
        required: &["external-name"],
        failure: Some("failed to create ExternalName service: "),
        build: build_external_name_service,
    },
    Generator {
        path: "service loadbalancer",
        aliases: &[],
        summary: "Create a LoadBalancer service",
        description: "Create a Service of type LoadBalancer: reachable from outside through a load balancer the cloud provides.",
        examples: &[("Port 80 of the load balancer goes to port 8080 of the pods", "kubectl create service loadbalancer web --tcp=80:8080")],
        usage: "kubectl create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
        flags: &[TCP],
        required: &[],
        failure: Some("failed to create LoadBalancer service: "),
        build: build_load_balancer_service,
    },
    Generator {
        path: "service nodeport",
        aliases: &[],
        summary: "Create a NodePort service",
        description: "Create a Service of type NodePort: reachable on a port of every node.",
        examples: &[("Port 80 of the service, on node port 30080 of every node", "kubectl create service nodeport web --tcp=80:8080 --node-port=30080")],
        usage: "kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
        flags: &[
            Flag::new("node-port", Int64, "0", "The port to open on every node (the cluster picks one when 0)."),
            TCP,
        ],
        required: &[],
        failure: Some("failed to create NodePort service: "),
        build: build_node_port_service,
    },
    Generator {
        path: "serviceaccount",
        aliases: &["sa"],
        summary: "Create a service account with the given name",
        description: "Create a ServiceAccount: an identity for the processes in pods.",
        examples: &[("An account for the build pipeline", "kubectl create serviceaccount builder")],
        usage: "kubectl create serviceaccount NAME [--dry-run=server|client|none] [options]",
        flags: &[],
        required: &[],
        failure: Some("failed to create serviceaccount: "),
        build: build_service_account,
    },
];

// ---------------------------------------------------------------------------------------------
// Workloads

fn build_deployment(request: &mut Request) -> Result<Value, String> {
    let images = request.list("image");
    let command = request.command();
    if images.len() > 1 && command.is_some() {
        return Err("error: cannot specify multiple --image options and command".to_string());
    }
    let name = request.name.clone();
    let seed = request.cluster.seed();
    let mut containers: Vec<Value> = images
        .iter()
        .map(|image| {
            json!({ "image": image, "name": input::container_name_for(image, seed), "resources": {} })
        })
        .collect();
    let port = request.int("port");
    if let Some(first) = containers.first_mut() {
        if port >= 0 {
            first["ports"] = json!([{ "containerPort": port }]);
        }
        if let Some(command) = command {
            first["command"] = json!(command);
        }
    }
    Ok(json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "labels": { "app": name }, "name": name },
        "spec": {
            "replicas": request.int("replicas"),
            "selector": { "matchLabels": { "app": name } },
            "strategy": {},
            "template": {
                "metadata": { "labels": { "app": name } },
                "spec": { "containers": containers }
            }
        },
        "status": {}
    }))
}

fn single_container(request: &Request, image: &str) -> Value {
    let mut container = json!({ "image": image, "name": request.name, "resources": {} });
    if let Some(command) = request.command() {
        container["command"] = json!(command);
    }
    container
}

fn build_cron_job(request: &mut Request) -> Result<Value, String> {
    let restart = match request.string("restart") {
        r if r.is_empty() => "OnFailure".to_string(),
        r => r,
    };
    let container = single_container(request, &request.string("image"));
    Ok(json!({
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": { "name": request.name },
        "spec": {
            "jobTemplate": {
                "metadata": { "name": request.name },
                "spec": {
                    "template": {
                        "metadata": {},
                        "spec": { "containers": [container], "restartPolicy": restart }
                    }
                }
            },
            "schedule": request.string("schedule")
        },
        "status": {}
    }))
}

fn build_job(request: &mut Request) -> Result<Value, String> {
    let image = request.string("image");
    let from = request.string("from");
    if image.is_empty() == from.is_empty() {
        return Err("error: either --image or --from must be specified".to_string());
    }
    if request.command().is_some() && !from.is_empty() {
        return Err("error: cannot specify --from and command".to_string());
    }
    if from.is_empty() {
        return Ok(json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": { "name": request.name },
            "spec": {
                "template": {
                    "metadata": {},
                    "spec": { "containers": [single_container(request, &image)], "restartPolicy": "Never" }
                }
            },
            "status": {}
        }));
    }
    job_from_cron_job(request, &from)
}

/// `create job NAME --from=cronjob/SOURCE`: the CronJob's job template, started by hand.
fn job_from_cron_job(request: &Request, from: &str) -> Result<Value, String> {
    let (kind, source) = match from.split_once('/') {
        Some((kind, source)) => (kind, Some(source)),
        None => (from, None),
    };
    let resource = super::resolve_resource(kind).map_err(|o| o.stderr.trim_end().to_string())?;
    let source = match source {
        None => {
            return Err("error: resource(s) were provided, but no name was specified".to_string())
        }
        Some(s) if s.is_empty() || s.contains('/') || kind.is_empty() => {
            return Err(
                "error: arguments in resource/name form must have a single resource and name"
                    .to_string(),
            )
        }
        Some(s) => s,
    };
    let namespace = if resource.namespaced {
        request.namespace.as_str()
    } else {
        ""
    };
    let object = match request.cluster.get(resource, namespace, source) {
        Ok(object) => object,
        Err(error) => {
            // kubectl checks the namespace when the object is missing and names it instead.
            let namespaces = model::registry::resolve("namespaces");
            if let Some(namespaces) = namespaces.filter(|_| resource.namespaced) {
                if let Err(missing) = request.cluster.get(namespaces, "", namespace) {
                    return Err(missing.to_string());
                }
            }
            return Err(error.to_string());
        }
    };
    let cron_job = object.to_json_value();
    if object.kind() != "CronJob" {
        let version = model::registry::split_api_version(object.api_version()).1;
        return Err(format!(
            "error: unknown object type *{version}.{}",
            object.kind()
        ));
    }
    let template = &cron_job["spec"]["jobTemplate"];
    let mut annotations = template["metadata"]["annotations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    annotations.insert(
        "cronjob.kubernetes.io/instantiate".into(),
        Value::String("manual".into()),
    );
    let mut metadata = json!({
        "annotations": annotations,
        "name": request.name,
        "ownerReferences": [{
            "apiVersion": "batch/v1",
            "controller": true,
            "kind": "CronJob",
            "name": object.name(),
            "uid": cron_job["metadata"]["uid"].as_str().unwrap_or("")
        }]
    });
    if let Some(labels) = template["metadata"]["labels"]
        .as_object()
        .filter(|l| !l.is_empty())
    {
        metadata["labels"] = Value::Object(labels.clone());
    }
    let mut spec = template["spec"].clone();
    if !spec.is_object() {
        spec = json!({});
    }
    with_go_zero_values(&mut spec);
    Ok(json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata,
        "spec": spec,
        "status": {}
    }))
}

/// The fields Go prints even when empty, because they are structs or unmarked slices: a job
/// spec's `template.metadata` and `template.spec`, `containers` (null when missing) and every
/// container's `resources`.
fn with_go_zero_values(job_spec: &mut Value) {
    let template = &mut job_spec["template"];
    if !template["metadata"].is_object() {
        template["metadata"] = json!({});
    }
    if !template["spec"].is_object() {
        template["spec"] = json!({});
    }
    let pod = &mut template["spec"];
    if pod.get("containers").is_none() {
        pod["containers"] = Value::Null;
    }
    for list in ["initContainers", "containers", "ephemeralContainers"] {
        if let Some(containers) = pod.get_mut(list).and_then(Value::as_array_mut) {
            for container in containers {
                if container.get("resources").is_none() {
                    container["resources"] = json!({});
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ConfigMaps and Secrets

#[derive(Clone, Copy, PartialEq, Eq)]
enum DataKind {
    ConfigMap,
    Secret,
}

struct DataBuilder<'a> {
    kind: DataKind,
    object_name: &'a str,
    data: Map<String, Value>,
}

impl DataBuilder<'_> {
    fn add(&mut self, key: &str, value: &str) -> Result<(), String> {
        let errors = input::config_key_errors(key);
        if !errors.is_empty() {
            return Err(match self.kind {
                DataKind::ConfigMap => format!(
                    "error: {} is not a valid key name for a ConfigMap: {}",
                    input::go_quote(key),
                    errors.join(";")
                ),
                DataKind::Secret => format!(
                    "error: {} is not valid key name for a Secret {}",
                    input::go_quote(key),
                    errors.join(";")
                ),
            });
        }
        if self.data.contains_key(key) {
            return Err(match self.kind {
                DataKind::ConfigMap => format!(
                    "error: cannot add key {}, another key by that name already exists in Data for ConfigMap {}",
                    input::go_quote(key),
                    input::go_quote(self.object_name)
                ),
                DataKind::Secret => {
                    format!("error: cannot add key {key}, another key by that name already exists")
                }
            });
        }
        let stored = match self.kind {
            DataKind::ConfigMap => value.to_string(),
            DataKind::Secret => input::base64_encode(value.as_bytes()),
        };
        self.data.insert(key.to_string(), Value::String(stored));
        Ok(())
    }

    /// `--from-file` sources: `path`, `key=path`, or a directory.
    fn add_files(
        &mut self,
        request: &Request,
        sources: &[String],
        default_key: Option<&str>,
    ) -> Result<(), String> {
        for source in sources {
            let (key, path) = match source.split_once('=') {
                None => (default_key.map(str::to_string), source.clone()),
                Some((key, path)) => {
                    if path.contains('=') {
                        return Err("error: key names or file paths cannot contain '='".to_string());
                    }
                    if key.is_empty() {
                        return Err(format!("error: key name for file path {path} missing"));
                    }
                    if path.is_empty() {
                        return Err(format!("error: file path for key name {key} missing"));
                    }
                    (Some(key.to_string()), path.to_string())
                }
            };
            if let Some(entries) = request.workspace.list_dir(&path) {
                if source.contains('=') {
                    return Err("error: cannot give a key name for a directory path".to_string());
                }
                for entry in entries {
                    let file = format!("{}/{entry}", path.trim_end_matches('/'));
                    let text = read(request, &file)?;
                    self.add(&entry, &text)?;
                }
                continue;
            }
            let text = read(request, &path)?;
            let key = key.unwrap_or_else(|| base_name(&path));
            self.add(&key, &text)?;
        }
        Ok(())
    }

    fn add_literals(&mut self, literals: &[String]) -> Result<(), String> {
        for literal in literals {
            match literal.split_once('=') {
                Some((key, value)) if !key.is_empty() => self.add(key, value)?,
                _ => {
                    return Err(format!(
                        "error: invalid literal source {literal}, expected key=value"
                    ))
                }
            }
        }
        Ok(())
    }

    fn add_env_files(&mut self, request: &Request, files: &[String]) -> Result<(), String> {
        for file in files {
            if request.workspace.list_dir(file).is_some() {
                return Err(match self.kind {
                    DataKind::ConfigMap => "error: env config file cannot be a directory",
                    DataKind::Secret => "error: env secret file cannot be a directory",
                }
                .to_string());
            }
            let text = read(request, file)?;
            for (key, value) in input::env_file_pairs(&text)? {
                self.add(&key, &value)?;
            }
        }
        Ok(())
    }
}

fn read(request: &Request, path: &str) -> Result<String, String> {
    request
        .workspace
        .read_file(path)
        .map_err(|_| format!("error: error reading {path}: no such file or directory"))
}

/// Go's `path.Base`.
fn base_name(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() {
            ".".into()
        } else {
            "/".into()
        };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

fn check_env_combination(request: &Request) -> Result<(), String> {
    if !request.list("from-env-file").is_empty()
        && (!request.list("from-file").is_empty() || !request.list("from-literal").is_empty())
    {
        return Err(
            "error: from-env-file cannot be combined with from-file or from-literal".into(),
        );
    }
    Ok(())
}

fn build_config_map(request: &mut Request) -> Result<Value, String> {
    check_env_combination(request)?;
    let name = request.name.clone();
    let mut builder = DataBuilder {
        kind: DataKind::ConfigMap,
        object_name: &name,
        data: Map::new(),
    };
    builder.add_files(request, &request.list("from-file"), None)?;
    builder.add_literals(&request.list("from-literal"))?;
    builder.add_env_files(request, &request.list("from-env-file"))?;
    let mut manifest =
        json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": name } });
    if !builder.data.is_empty() {
        manifest["data"] = Value::Object(builder.data);
    }
    Ok(manifest)
}

fn secret(name: &str, data: Map<String, Value>, secret_type: &str) -> Value {
    let mut manifest =
        json!({ "apiVersion": "v1", "kind": "Secret", "metadata": { "name": name } });
    if !data.is_empty() {
        manifest["data"] = Value::Object(data);
    }
    if !secret_type.is_empty() {
        manifest["type"] = Value::String(secret_type.to_string());
    }
    manifest
}

fn build_generic_secret(request: &mut Request) -> Result<Value, String> {
    check_env_combination(request)?;
    let name = request.name.clone();
    let mut builder = DataBuilder {
        kind: DataKind::Secret,
        object_name: &name,
        data: Map::new(),
    };
    builder.add_files(request, &request.list("from-file"), None)?;
    builder.add_literals(&request.list("from-literal"))?;
    builder.add_env_files(request, &request.list("from-env-file"))?;
    Ok(secret(&name, builder.data, &request.string("type")))
}

fn build_tls_secret(request: &mut Request) -> Result<Value, String> {
    let cert_path = request.string("cert");
    let key_path = request.string("key");
    if cert_path.is_empty() || key_path.is_empty() {
        return Err("error: key and cert must be specified".to_string());
    }
    let read_pem = |path: &str| {
        request.workspace.read_file(path).map_err(|_| {
            format!("error: Cannot read file {path}, open {path}: no such file or directory")
        })
    };
    let cert = read_pem(&cert_path)?;
    let key = read_pem(&key_path)?;
    input::check_tls_pair(&cert, &key).map_err(|e| format!("error: {e}"))?;
    let mut data = Map::new();
    data.insert(
        "tls.crt".into(),
        Value::String(input::base64_encode(cert.as_bytes())),
    );
    data.insert(
        "tls.key".into(),
        Value::String(input::base64_encode(key.as_bytes())),
    );
    Ok(secret(&request.name, data, "kubernetes.io/tls"))
}

fn build_docker_registry_secret(request: &mut Request) -> Result<Value, String> {
    let files = request.list("from-file");
    let username = request.string("docker-username");
    let password = request.string("docker-password");
    let server = request.string("docker-server");
    if files.is_empty() && (username.is_empty() || password.is_empty() || server.is_empty()) {
        return Err("error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required".to_string());
    }
    let name = request.name.clone();
    let mut builder = DataBuilder {
        kind: DataKind::Secret,
        object_name: &name,
        data: Map::new(),
    };
    if files.is_empty() {
        let config = input::docker_config_json(
            &server,
            &username,
            &password,
            &request.string("docker-email"),
        );
        builder.add(".dockerconfigjson", &config)?;
    } else {
        builder.add_files(request, &files, Some(".dockerconfigjson"))?;
    }
    Ok(secret(
        &name,
        builder.data,
        "kubernetes.io/dockerconfigjson",
    ))
}

fn build_namespace(request: &mut Request) -> Result<Value, String> {
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": { "name": request.name },
        "spec": {},
        "status": {}
    }))
}

fn build_service_account(request: &mut Request) -> Result<Value, String> {
    Ok(
        json!({ "apiVersion": "v1", "kind": "ServiceAccount", "metadata": { "name": request.name } }),
    )
}

// ---------------------------------------------------------------------------------------------
// Policy

fn build_quota(request: &mut Request) -> Result<Value, String> {
    let mut hard = Map::new();
    let hard_text = request.string("hard");
    if !hard_text.is_empty() {
        for pair in hard_text.split(',') {
            let Some((resource, quantity)) = pair.split_once('=') else {
                return Err(format!(
                    "error: Invalid argument syntax {pair}, expected <resource>=<value>"
                ));
            };
            let quantity =
                model::quantity::Quantity::parse(quantity).map_err(|e| format!("error: {e}"))?;
            hard.insert(resource.to_string(), Value::String(quantity.to_string()));
        }
    }
    let mut scopes = Vec::new();
    let scopes_text = request.string("scopes");
    if !scopes_text.is_empty() {
        for scope in scopes_text.split(',') {
            if scope.is_empty() {
                return Err("error: invalid resource quota scope \"\"".to_string());
            }
            scopes.push(scope.to_string());
        }
    }
    let mut spec = json!({});
    if !hard.is_empty() {
        spec["hard"] = Value::Object(hard);
    }
    if !scopes.is_empty() {
        spec["scopes"] = json!(scopes);
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": { "name": request.name },
        "spec": spec,
        "status": {}
    }))
}

fn build_priority_class(request: &mut Request) -> Result<Value, String> {
    let mut manifest = json!({
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": { "name": request.name },
        "preemptionPolicy": request.string("preemption-policy"),
        "value": request.int("value")
    });
    let description = request.string("description");
    if !description.is_empty() {
        manifest["description"] = Value::String(description);
    }
    if request.boolean("global-default") {
        manifest["globalDefault"] = Value::Bool(true);
    }
    Ok(manifest)
}

/// intstr.Parse: a number when it fits an int32, else the string.
fn int_or_string(text: &str) -> Value {
    match text.parse::<i32>() {
        Ok(n) => json!(n),
        Err(_) => json!(text),
    }
}

fn is_count_or_percent(text: &str) -> bool {
    let digits = text.strip_suffix('%').unwrap_or(text);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
}

fn build_pod_disruption_budget(request: &mut Request) -> Result<Value, String> {
    let selector = request.string("selector");
    let min = request.string("min-available");
    let max = request.string("max-unavailable");
    if selector.is_empty() {
        return Err("error: a selector must be specified".to_string());
    }
    if min.is_empty() && max.is_empty() {
        return Err("error: one of min-available or max-unavailable must be specified".to_string());
    }
    if !min.is_empty() && !max.is_empty() {
        return Err(
            "error: min-available and max-unavailable cannot be both specified".to_string(),
        );
    }
    let mut spec = Map::new();
    if !min.is_empty() {
        if !is_count_or_percent(&min) {
            return Err("error: invalid format specified for min-available".to_string());
        }
        spec.insert("minAvailable".into(), int_or_string(&min));
    }
    if !max.is_empty() {
        if !is_count_or_percent(&max) {
            return Err("error: invalid format specified for max-unavailable".to_string());
        }
        spec.insert("maxUnavailable".into(), int_or_string(&max));
    }
    let selector = input::parse_label_selector(&selector).map_err(|e| format!("error: {e}"))?;
    spec.insert("selector".into(), selector);
    Ok(json!({
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": { "name": request.name },
        "spec": spec,
        "status": { "currentHealthy": 0, "desiredHealthy": 0, "disruptionsAllowed": 0, "expectedPods": 0 }
    }))
}

// ---------------------------------------------------------------------------------------------
// RBAC

/// The verbs `create role` knows; others get a warning.
const RESOURCE_VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

/// The verbs that only make sense on particular resources.
const SPECIAL_VERBS: &[(&str, &[(&str, &str)])] = &[
    (
        "use",
        &[
            ("policy", "podsecuritypolicies"),
            ("extensions", "podsecuritypolicies"),
        ],
    ),
    (
        "bind",
        &[
            ("rbac.authorization.k8s.io", "roles"),
            ("rbac.authorization.k8s.io", "clusterroles"),
        ],
    ),
    (
        "escalate",
        &[
            ("rbac.authorization.k8s.io", "roles"),
            ("rbac.authorization.k8s.io", "clusterroles"),
        ],
    ),
    (
        "impersonate",
        &[
            ("", "users"),
            ("", "serviceaccounts"),
            ("", "groups"),
            ("authentication.k8s.io", "userextras"),
            ("authentication.k8s.io", "uids"),
        ],
    ),
];

const NON_RESOURCE_VERBS: &[&str] = &[
    "*", "get", "post", "put", "delete", "patch", "head", "options",
];

struct RuleResource {
    resource: String,
    group: String,
    subresource: Option<String>,
}

/// `pods`, `deployments.apps`, `pods/log`; a bare `*` stands for every resource.
fn rule_resources(items: &[String]) -> Vec<RuleResource> {
    let mut resources = Vec::new();
    for item in items {
        let (main, subresource) = match item.split_once('/') {
            Some((main, sub)) => (main, Some(sub.to_string())),
            None => (item.as_str(), None),
        };
        let (resource, group) = match main.split_once('.') {
            Some((resource, group)) => (resource, group),
            None => (main, ""),
        };
        let parsed = RuleResource {
            resource: resource.to_string(),
            group: group.to_string(),
            subresource,
        };
        if resource == "*" && !main.contains('.') && parsed.subresource.is_none() {
            return vec![parsed];
        }
        resources.push(parsed);
    }
    resources
}

/// The discovery lookup kubectl's RESTMapper does: plural, singular or short name, in the group
/// given (or one whose name starts with it).
fn discover(resource: &str, group: &str) -> Option<(&'static str, &'static str)> {
    let lower = resource.to_ascii_lowercase();
    model::registry::RESOURCE_TYPES
        .iter()
        .filter(|r| group.is_empty() || r.group == group || r.group.starts_with(group))
        .find(|r| {
            r.plural == lower || r.singular == lower || r.short_names.contains(&lower.as_str())
        })
        .map(|r| (r.plural, r.group))
}

/// kubectl's note when a short name (`ev`) is also the short name of a resource it did not pick.
fn short_name_warning(resource: &str, group: &str) -> Option<String> {
    let lower = resource.to_ascii_lowercase();
    let mut matches = model::registry::RESOURCE_TYPES.iter().filter(|r| {
        (group.is_empty() || r.group == group || r.group.starts_with(group))
            && r.short_names.contains(&lower.as_str())
    });
    let first = matches.next()?;
    if first.plural == lower || first.singular == lower {
        return None;
    }
    matches.next().map(|other| {
        format!(
            "Warning: short name \"{lower}\" could also match lower priority resource {}",
            other.qualified_plural()
        )
    })
}

fn unique(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

fn role_verbs(request: &Request) -> Vec<String> {
    let verbs = unique(request.list("verb"));
    if verbs.iter().any(|v| v == "*") {
        vec!["*".to_string()]
    } else {
        verbs
    }
}

/// Checks the resources against discovery and the special verbs, warning about verbs kubectl
/// does not know; returns the rules, one per API group (groups sorted).
fn resource_rules(request: &mut Request, verbs: &[String]) -> Result<Vec<Value>, String> {
    for verb in verbs {
        if !RESOURCE_VERBS.contains(&verb.as_str()) {
            request.warn(&format!(
                "Warning: '{verb}' is not a standard resource verb"
            ));
        }
    }
    let resources = rule_resources(&request.list("resource"));
    let mut short_name_warnings = Vec::new();
    // kubectl maps the resources twice, checking them and then building the rules, and warns
    // about ambiguous short names each time.
    let mapped = map_rule_resources(&resources, verbs, &mut short_name_warnings);
    for warning in &short_name_warnings {
        request.warn(warning);
    }
    let by_group = mapped?;
    for warning in &short_name_warnings {
        request.warn(warning);
    }
    let names = unique(request.list("resource-name"));
    Ok(by_group
        .into_iter()
        .map(|(group, resources)| {
            let mut rule = json!({ "apiGroups": [group], "resources": resources, "verbs": verbs });
            if !names.is_empty() {
                rule["resourceNames"] = json!(names);
            }
            rule
        })
        .collect())
}

/// Resolves the rule's resources (canonical plural and group, subresource kept), grouped by
/// API group in the order they were given.
fn map_rule_resources(
    resources: &[RuleResource],
    verbs: &[String],
    short_name_warnings: &mut Vec<String>,
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut by_group: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in resources {
        if r.resource.is_empty() {
            return Err(
                "error: resource must be specified if apiGroup/subresource specified".to_string(),
            );
        }
        if let Some(warning) = short_name_warning(&r.resource, &r.group) {
            short_name_warnings.push(warning);
        }
        let found = if r.resource == "*" {
            Some((r.resource.clone(), r.group.clone()))
        } else {
            discover(&r.resource, &r.group).map(|(p, g)| (p.to_string(), g.to_string()))
        };
        let (resource, group) = found
            .clone()
            .unwrap_or_else(|| (r.resource.clone(), r.group.clone()));
        let mut allowed_by_special_verb = false;
        for verb in verbs {
            if let Some((_, targets)) = SPECIAL_VERBS.iter().find(|(v, _)| v == verb) {
                if !targets
                    .iter()
                    .any(|(g, res)| *g == group && *res == resource)
                {
                    return Err(format!(
                        "error: can not perform '{verb}' on '{resource}' in group '{group}'"
                    ));
                }
                allowed_by_special_verb = true;
            }
        }
        if found.is_none() && !allowed_by_special_verb {
            return Err(if r.group.is_empty() {
                format!("the server doesn't have a resource type \"{}\"", r.resource)
            } else {
                format!(
                    "the server doesn't have a resource type \"{}\" in group \"{}\"",
                    r.resource, r.group
                )
            });
        }
        let full = match &r.subresource {
            Some(sub) => format!("{resource}/{sub}"),
            None => resource,
        };
        let entry = by_group.entry(group).or_default();
        if !entry.contains(&full) {
            entry.push(full);
        }
    }
    Ok(by_group)
}

fn build_role(request: &mut Request) -> Result<Value, String> {
    let verbs = role_verbs(request);
    if verbs.is_empty() {
        return Err("error: at least one verb must be specified".to_string());
    }
    if request.list("resource").is_empty() {
        return Err("error: at least one resource must be specified".to_string());
    }
    let rules = resource_rules(request, &verbs)?;
    Ok(json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "Role",
        "metadata": { "name": request.name },
        "rules": rules
    }))
}

fn build_cluster_role(request: &mut Request) -> Result<Value, String> {
    let verbs = role_verbs(request);
    let resources = request.list("resource");
    let urls = unique(request.list("non-resource-url"));
    let aggregation = request.map("aggregation-rule");
    let mut manifest = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": { "name": request.name }
    });
    if !aggregation.is_empty() {
        if !verbs.is_empty()
            || !resources.is_empty()
            || !request.list("resource-name").is_empty()
            || !urls.is_empty()
        {
            return Err("error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames".to_string());
        }
        manifest["aggregationRule"] =
            json!({ "clusterRoleSelectors": [{ "matchLabels": aggregation }] });
        manifest["rules"] = Value::Null;
        return Ok(manifest);
    }
    if verbs.is_empty() {
        return Err("error: at least one verb must be specified".to_string());
    }
    if resources.is_empty() && urls.is_empty() {
        return Err("error: one of resource or nonResourceURL must be specified".to_string());
    }
    let mut rules = Vec::new();
    if !resources.is_empty() {
        rules = resource_rules(request, &verbs)?;
    }
    if !urls.is_empty() {
        for verb in &verbs {
            if !NON_RESOURCE_VERBS.contains(&verb.as_str()) {
                return Err(format!("error: invalid verb: '{verb}' for nonResourceURL"));
            }
        }
        if urls.iter().any(|u| !u.starts_with('/')) {
            return Err("error: nonResourceURL should start with /".to_string());
        }
        rules.push(json!({ "nonResourceURLs": urls, "verbs": verbs }));
    }
    manifest["rules"] = json!(rules);
    Ok(manifest)
}

/// Users, then groups, then service accounts (`namespace:name`).
fn subjects(request: &Request) -> Result<Vec<Value>, String> {
    let mut subjects = Vec::new();
    for user in request.list("user") {
        subjects
            .push(json!({ "apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": user }));
    }
    for group in request.list("group") {
        subjects.push(
            json!({ "apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": group }),
        );
    }
    for account in request.list("serviceaccount") {
        let parts: Vec<&str> = account.split(':').collect();
        match parts.as_slice() {
            [namespace, name] if !namespace.is_empty() && !name.is_empty() => subjects
                .push(json!({ "kind": "ServiceAccount", "name": name, "namespace": namespace })),
            _ => return Err("error: serviceaccount must be <namespace>:<name>".to_string()),
        }
    }
    Ok(subjects)
}

fn binding(kind: &str, name: &str, role_kind: &str, role: &str, subjects: Vec<Value>) -> Value {
    let mut manifest = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": kind,
        "metadata": { "name": name },
        "roleRef": { "apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role }
    });
    if !subjects.is_empty() {
        manifest["subjects"] = json!(subjects);
    }
    manifest
}

fn build_role_binding(request: &mut Request) -> Result<Value, String> {
    let role = request.string("role");
    let cluster_role = request.string("clusterrole");
    if role.is_empty() == cluster_role.is_empty() {
        return Err("error: exactly one of clusterrole or role must be specified".to_string());
    }
    let subjects = subjects(request)?;
    Ok(if role.is_empty() {
        binding(
            "RoleBinding",
            &request.name,
            "ClusterRole",
            &cluster_role,
            subjects,
        )
    } else {
        binding("RoleBinding", &request.name, "Role", &role, subjects)
    })
}

fn build_cluster_role_binding(request: &mut Request) -> Result<Value, String> {
    let subjects = subjects(request)?;
    Ok(binding(
        "ClusterRoleBinding",
        &request.name,
        "ClusterRole",
        &request.string("clusterrole"),
        subjects,
    ))
}

// ---------------------------------------------------------------------------------------------
// Networking

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `[\w-]+:[\w-]+` at the start of `text`.
fn starts_with_service_port(text: &str) -> bool {
    let Some((service, rest)) = text.split_once(':') else {
        return false;
    };
    let port_len = rest
        .chars()
        .take_while(|c| is_word_char(*c) || *c == '-')
        .count();
    !service.is_empty() && service.chars().all(|c| is_word_char(c) || c == '-') && port_len > 0
}

/// kubectl's check of a rule: `host/path=service:port` at the start (the TLS part is free).
fn valid_ingress_rule(rule: &str) -> bool {
    let host_len = rule
        .chars()
        .take_while(|c| is_word_char(*c) || matches!(c, '*' | '-' | '.'))
        .count();
    let rest = &rule[host_len..];
    if !rest.starts_with('/') {
        return false;
    }
    rest.char_indices()
        .filter(|(_, c)| *c == '=')
        .any(|(i, _)| starts_with_service_port(&rest[i + 1..]))
}

/// `service:port` as an IngressBackend: a numeric port is a number, else a port name.
fn ingress_backend(service: &str, port: &str) -> Value {
    let port = match port.parse::<i64>() {
        Ok(n) => json!({ "number": n as i32 }),
        Err(_) => json!({ "name": port }),
    };
    json!({ "service": { "name": service, "port": port } })
}

fn build_ingress(request: &mut Request) -> Result<Value, String> {
    let rules = request.list("rule");
    let default_backend = request.string("default-backend");
    let rule_error = |rule: &str| {
        format!("error: rule {rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]")
    };
    for rule in &rules {
        if !valid_ingress_rule(rule) {
            return Err(rule_error(rule));
        }
    }
    if !default_backend.is_empty() {
        let valid = default_backend.split_once(':').is_some_and(|(s, p)| {
            !s.is_empty()
                && !p.is_empty()
                && s.chars()
                    .chain(p.chars())
                    .all(|c| is_word_char(c) || c == '-')
        });
        if !valid {
            return Err(
                "error: default-backend should be in format servicename:serviceport".to_string(),
            );
        }
    }
    let mut annotations = Map::new();
    for annotation in request.list("annotation") {
        let Some((key, value)) = annotation.split_once('=') else {
            return Err(format!(
                "error: annotation {annotation} is invalid and should be in format key=[value]"
            ));
        };
        annotations.insert(key.to_string(), Value::String(value.to_string()));
    }
    if rules.is_empty() && default_backend.is_empty() {
        return Err("error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)".to_string());
    }
    let mut hosts: Vec<(String, Vec<Value>)> = Vec::new();
    let mut tls: Vec<(String, Vec<String>)> = Vec::new();
    let mut tls_hosts: Vec<String> = Vec::new();
    for rule in &rules {
        let (host, rest) = rule.split_once('/').unwrap_or((rule, ""));
        let parts: Vec<&str> = rest.split('=').collect();
        let service_port = parts.get(1).copied().unwrap_or("");
        let Some((service, port)) = service_port.split_once(':') else {
            // kubectl itself crashes on this shape (`host/a=b=svc:80`); say what is wrong.
            return Err(rule_error(rule));
        };
        let port = port.split(',').next().unwrap_or(port);
        let mut path = format!("/{}", parts[0]);
        let path_type = if path.ends_with('*') {
            path.pop();
            "Prefix"
        } else {
            "Exact"
        };
        let entry = json!({ "backend": ingress_backend(service, port), "path": path, "pathType": path_type });
        match hosts.iter_mut().find(|(h, _)| h == host) {
            Some((_, paths)) => paths.push(entry),
            None => hosts.push((host.to_string(), vec![entry])),
        }
        let pieces: Vec<&str> = rule.split(',').collect();
        if pieces.len() == 2 {
            let secret = match pieces[1].split('=').collect::<Vec<_>>().as_slice() {
                [_, secret] => secret.to_string(),
                _ => String::new(),
            };
            if tls_hosts.iter().any(|h| h == host) {
                continue;
            }
            tls_hosts.push(host.to_string());
            let index = match tls.iter().position(|(s, _)| *s == secret) {
                Some(i) => i,
                None => {
                    tls.push((secret, Vec::new()));
                    tls.len() - 1
                }
            };
            if !host.is_empty() {
                tls[index].1.push(host.to_string());
            }
        }
    }
    let mut spec = Map::new();
    let class = request.string("class");
    if !class.is_empty() {
        spec.insert("ingressClassName".into(), Value::String(class));
    }
    if let Some((service, port)) = default_backend.split_once(':') {
        spec.insert("defaultBackend".into(), ingress_backend(service, port));
    }
    if !hosts.is_empty() {
        let rules: Vec<Value> = hosts
            .into_iter()
            .map(|(host, paths)| {
                let mut rule = json!({ "http": { "paths": paths } });
                if !host.is_empty() {
                    rule["host"] = Value::String(host);
                }
                rule
            })
            .collect();
        spec.insert("rules".into(), Value::Array(rules));
    }
    if !tls.is_empty() {
        let entries: Vec<Value> = tls
            .into_iter()
            .map(|(secret, hosts)| {
                let mut entry = json!({});
                if !hosts.is_empty() {
                    entry["hosts"] = json!(hosts);
                }
                if !secret.is_empty() {
                    entry["secretName"] = Value::String(secret);
                }
                entry
            })
            .collect();
        spec.insert("tls".into(), Value::Array(entries));
    }
    let mut metadata = json!({ "name": request.name });
    if !annotations.is_empty() {
        metadata["annotations"] = Value::Object(annotations);
    }
    Ok(json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": metadata,
        "spec": spec,
        "status": { "loadBalancer": {} }
    }))
}

/// Go's `strconv.ParseUint(text, 10, 16)` with its error text.
fn parse_service_port(text: &str) -> Result<i64, String> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "error: strconv.ParseUint: parsing {}: invalid syntax",
            input::go_quote(text)
        ));
    }
    match text.parse::<u16>() {
        Ok(n) => Ok(i64::from(n)),
        Err(_) => Err(format!(
            "error: strconv.ParseUint: parsing {}: value out of range",
            input::go_quote(text)
        )),
    }
}

/// `--tcp` entries: `port` or `port:targetPort`, named after the text with `:` as `-`.
fn service_ports(request: &Request, node_port: i64) -> Result<Vec<Value>, String> {
    let mut ports = Vec::new();
    for tcp in request.list("tcp") {
        let parts: Vec<&str> = tcp.split(':').collect();
        let port = parse_service_port(parts[0])?;
        let target = match parts.get(1) {
            None => json!(port),
            Some(target) => match target.parse::<i64>() {
                Ok(n) if (1..=65535).contains(&n) => json!(n),
                Ok(_) => return Err("error: must be between 1 and 65535, inclusive".to_string()),
                Err(_) => {
                    let errors = input::port_name_errors(target);
                    if !errors.is_empty() {
                        return Err(format!("error: {}", errors.join(",")));
                    }
                    json!(target)
                }
            },
        };
        let mut entry = json!({
            "name": tcp.replace(':', "-"),
            "port": port,
            "protocol": "TCP",
            "targetPort": target
        });
        if node_port != 0 {
            entry["nodePort"] = json!(node_port as i32);
        }
        ports.push(entry);
    }
    Ok(ports)
}

fn service(
    request: &Request,
    service_type: &str,
    mut spec: Map<String, Value>,
    ports: Vec<Value>,
) -> Value {
    if !ports.is_empty() {
        spec.insert("ports".into(), Value::Array(ports));
    }
    spec.insert("selector".into(), json!({ "app": request.name }));
    spec.insert("type".into(), json!(service_type));
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": { "labels": { "app": request.name }, "name": request.name },
        "spec": spec,
        "status": { "loadBalancer": {} }
    })
}

fn require_ports(request: &Request) -> Result<(), String> {
    if request.list("tcp").is_empty() {
        return Err("error: at least one tcp port specifier must be provided".to_string());
    }
    Ok(())
}

fn build_cluster_ip_service(request: &mut Request) -> Result<Value, String> {
    let cluster_ip = request.string("clusterip");
    if cluster_ip != "None" {
        require_ports(request)?;
    }
    let ports = service_ports(request, 0)?;
    let mut spec = Map::new();
    if !cluster_ip.is_empty() {
        spec.insert("clusterIP".into(), json!(cluster_ip));
    }
    Ok(service(request, "ClusterIP", spec, ports))
}

fn build_node_port_service(request: &mut Request) -> Result<Value, String> {
    require_ports(request)?;
    let ports = service_ports(request, request.int("node-port"))?;
    Ok(service(request, "NodePort", Map::new(), ports))
}

fn build_load_balancer_service(request: &mut Request) -> Result<Value, String> {
    require_ports(request)?;
    let ports = service_ports(request, 0)?;
    Ok(service(request, "LoadBalancer", Map::new(), ports))
}

fn build_external_name_service(request: &mut Request) -> Result<Value, String> {
    let external = request.string("external-name");
    if !input::is_dns1123_subdomain(&external) {
        return Err(format!("error: invalid service external name {external}"));
    }
    let ports = service_ports(request, 0)?;
    let mut spec = Map::new();
    spec.insert("externalName".into(), json!(external));
    Ok(service(request, "ExternalName", spec, ports))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generator_is_found_by_its_names() {
        for generator in GENERATORS {
            assert!(std::ptr::eq(find(generator.path).unwrap(), generator));
            for alias in generator.aliases {
                assert!(std::ptr::eq(find(alias).unwrap(), generator));
            }
        }
        assert_eq!(find("svc nodeport").unwrap().path, "service nodeport");
        assert!(find("generic").is_none());
        assert!(find("secret").is_none());
        assert!(find("secret deployment").is_none());
    }

    #[test]
    fn flags_are_listed_alphabetically_like_pflag() {
        for generator in GENERATORS {
            let names: Vec<&str> = generator.flags.iter().map(|f| f.long).collect();
            let mut sorted = names.clone();
            model::sort::SortSlice::sort_stable(sorted.as_mut_slice());
            assert_eq!(names, sorted, "{}", generator.path);
        }
    }

    #[test]
    fn ingress_rules_are_checked_like_kubectl() {
        for good in [
            "example.com/=web:80",
            "/path=svc:80",
            "a.com/x=s1:80,foo",
            "*.a.com/x=s:http",
            "a.com/x y=s1:80",
        ] {
            assert!(valid_ingress_rule(good), "{good}");
        }
        for bad in [
            "bad",
            "example.com/=web",
            "example.com=web:80",
            "a.com/x=s1:",
            "=x/y=s1:80",
        ] {
            assert!(!valid_ingress_rule(bad), "{bad}");
        }
    }

    #[test]
    fn role_resources_collapse_on_a_bare_star() {
        let items: Vec<String> = ["pods", "*"].iter().map(|s| s.to_string()).collect();
        let resources = rule_resources(&items);
        assert_eq!(resources.len(), 1);
        assert_eq!(resources[0].resource, "*");
        assert_eq!(discover("deploy", ""), Some(("deployments", "apps")));
        assert_eq!(discover("deployments", "ap"), Some(("deployments", "apps")));
        assert_eq!(discover("Pods", ""), Some(("pods", "")));
        assert_eq!(discover("pods", "apps"), None);
    }
}
