//! `kubectl config`: the kubeconfig of this kubectl — contexts, clusters and users — and the
//! commands that read and change it (`view`, `get-contexts`, `current-context`, `use-context`,
//! `set-context`, `delete-context`, `rename-context`, `get-clusters`, `get-users`,
//! `set-cluster`, `set-credentials`). Every cluster entry reaches the one simulated cluster; a
//! context whose user is not the admin acts as that user (as `--as` would), so RBAC exercises
//! that switch contexts behave as on a real cluster.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

/// Where kubectl reads its configuration (what `delete-context` names).
const KUBECONFIG_PATH: &str = "/root/.kube/config";
/// The names kind gives the playground's own entries.
const DEFAULT_CONTEXT: &str = "kubeplay";
const DEFAULT_CLUSTER: &str = "kubeplay";
const ADMIN_USER: &str = "kubeplay-admin";

#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    pub cluster: String,
    pub user: String,
    pub namespace: Option<String>,
}

/// The kubeconfig: contexts by name, cluster servers by name, users, the current context.
#[derive(Debug, Clone, PartialEq)]
pub struct Kubeconfig {
    pub current_context: String,
    pub contexts: BTreeMap<String, Context>,
    pub clusters: BTreeMap<String, String>,
    pub users: BTreeMap<String, Value>,
}

impl Default for Kubeconfig {
    fn default() -> Self {
        let mut contexts = BTreeMap::new();
        contexts.insert(
            DEFAULT_CONTEXT.to_string(),
            Context {
                cluster: DEFAULT_CLUSTER.to_string(),
                user: ADMIN_USER.to_string(),
                namespace: None,
            },
        );
        let mut clusters = BTreeMap::new();
        clusters.insert(
            DEFAULT_CLUSTER.to_string(),
            "https://control-plane:6443".to_string(),
        );
        let mut users = BTreeMap::new();
        users.insert(
            ADMIN_USER.to_string(),
            json!({"client-certificate-data": "DATA+OMITTED", "client-key-data": "DATA+OMITTED"}),
        );
        Kubeconfig {
            current_context: DEFAULT_CONTEXT.to_string(),
            contexts,
            clusters,
            users,
        }
    }
}

impl Kubeconfig {
    /// The namespace of a context (the current one when `None`): its own, else `default`.
    pub fn namespace(&self, context: Option<&str>) -> String {
        self.contexts
            .get(context.unwrap_or(&self.current_context))
            .and_then(|c| c.namespace.clone())
            .unwrap_or_else(|| "default".to_string())
    }

    /// The user a context acts as when it is not the cluster admin.
    pub fn impersonated_user(&self, context: Option<&str>) -> Option<&str> {
        self.contexts
            .get(context.unwrap_or(&self.current_context))
            .map(|c| c.user.as_str())
            .filter(|user| !user.is_empty() && *user != ADMIN_USER)
    }

    /// The configuration as `kubectl config view` shows it (secrets as `DATA+OMITTED`); with
    /// `minify`, only what the current context uses.
    fn document(&self, minify: bool) -> Value {
        let current = self.contexts.get(&self.current_context);
        let keep_context = |name: &str| !minify || name == self.current_context;
        let keep_cluster = |name: &str| !minify || current.is_some_and(|c| c.cluster == name);
        let keep_user = |name: &str| !minify || current.is_some_and(|c| c.user == name);
        let clusters: Vec<Value> = self
            .clusters
            .iter()
            .filter(|(name, _)| keep_cluster(name))
            .map(|(name, server)| {
                json!({"cluster": {"certificate-authority-data": "DATA+OMITTED", "server": server}, "name": name})
            })
            .collect();
        let contexts: Vec<Value> = self
            .contexts
            .iter()
            .filter(|(name, _)| keep_context(name))
            .map(|(name, context)| {
                let mut fields = json!({"cluster": context.cluster, "user": context.user});
                if let Some(namespace) = &context.namespace {
                    fields["namespace"] = json!(namespace);
                }
                json!({"context": fields, "name": name})
            })
            .collect();
        let users: Vec<Value> = self
            .users
            .iter()
            .filter(|(name, _)| keep_user(name))
            .map(|(name, user)| json!({"name": name, "user": user}))
            .collect();
        json!({
            "apiVersion": "v1",
            "clusters": if clusters.is_empty() { Value::Null } else { json!(clusters) },
            "contexts": if contexts.is_empty() { Value::Null } else { json!(contexts) },
            "current-context": self.current_context,
            "kind": "Config",
            "preferences": {},
            "users": if users.is_empty() { Value::Null } else { json!(users) },
        })
    }
}

pub(crate) fn config(kubectl: &mut Kubectl, args: &[String]) -> Output {
    let parsed = match flags::parse(
        args,
        &[
            boolean("current", None),
            value("output", Some('o')),
            boolean("minify", None),
            boolean("raw", None),
            boolean("flatten", None),
            boolean("no-headers", None),
            value("server", None),
            value("token", None),
            value("username", None),
            value("password", None),
            value("client-certificate", None),
            value("client-key", None),
            boolean("embed-certs", None),
            boolean("insecure-skip-tls-verify", None),
            value("certificate-authority", None),
        ],
        "config",
    ) {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let config = &mut kubectl.kubeconfig;
    let words = &parsed.positionals;
    let argument = words.get(1).map(String::as_str);
    match words.first().map(String::as_str) {
        Some("view") => {
            let document = config.document(parsed.flag("minify"));
            match parsed.value("output") {
                Some(format) => super::output::print_with_template(format, &document)
                    .unwrap_or_else(|| match format {
                        "json" => Output::ok(super::get::to_json_pretty(&document) + "\n"),
                        _ => Output::ok(model::decode::json_to_yaml(&document)),
                    }),
                None => Output::ok(model::decode::json_to_yaml(&document)),
            }
        }
        Some("current-context") => {
            if config.current_context.is_empty() {
                Output::error("error: current-context is not set")
            } else {
                Output::ok(format!("{}\n", config.current_context))
            }
        }
        Some("get-contexts") => {
            let names: Vec<&String> = match argument {
                Some(name) => {
                    if !config.contexts.contains_key(name) {
                        return Output::error(format!("error: context {name} not found"));
                    }
                    config.contexts.keys().filter(|n| *n == name).collect()
                }
                None => config.contexts.keys().collect(),
            };
            if parsed.value("output") == Some("name") {
                return Output::ok(names.iter().map(|n| format!("{n}\n")).collect::<String>());
            }
            let rows: Vec<Vec<String>> = names
                .iter()
                .map(|name| {
                    let context = &config.contexts[*name];
                    vec![
                        if **name == config.current_context { "*" } else { "" }.to_string(),
                        name.to_string(),
                        context.cluster.clone(),
                        context.user.clone(),
                        context.namespace.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            Output::ok(crate::table::render(
                &["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"].map(String::from),
                &rows,
                parsed.flag("no-headers"),
            ))
        }
        Some("use-context" | "use") => match argument {
            Some(name) if config.contexts.contains_key(name) => {
                config.current_context = name.to_string();
                Output::ok(format!("Switched to context \"{name}\".\n"))
            }
            Some(name) => Output::error(format!(
                "error: no context exists with the name: \"{name}\""
            )),
            None => Output::error(
                "error: Unexpected args: []\nSee 'kubectl config use-context -h' for help and examples",
            ),
        },
        Some("set-context") => {
            let name = if parsed.flag("current") {
                if argument.is_some() {
                    return Output::error(
                        "error: you cannot specify both a context name and --current",
                    );
                }
                config.current_context.clone()
            } else {
                match argument.filter(|n| !n.is_empty()) {
                    Some(name) => name.to_string(),
                    None => {
                        return Output::error(
                            "error: you must specify a non-empty context name or --current",
                        )
                    }
                }
            };
            let existed = config.contexts.contains_key(&name);
            let context = config.contexts.entry(name.clone()).or_insert(Context {
                cluster: String::new(),
                user: String::new(),
                namespace: None,
            });
            if let Some(cluster) = parsed.value("cluster") {
                context.cluster = cluster.to_string();
            }
            if let Some(user) = parsed.value("user") {
                context.user = user.to_string();
            }
            if let Some(namespace) = parsed.value("namespace") {
                context.namespace = (!namespace.is_empty()).then(|| namespace.to_string());
            }
            Output::ok(format!(
                "Context \"{name}\" {}.\n",
                if existed { "modified" } else { "created" }
            ))
        }
        Some("delete-context") => match argument {
            Some(name) if config.contexts.remove(name).is_some() => {
                let mut output = Output::ok(format!(
                    "deleted context {name} from {KUBECONFIG_PATH}\n"
                ));
                if config.current_context == name {
                    output.stderr.push_str("warning: this removed your active context, use \"kubectl config use-context\" to select a different one\n");
                }
                output
            }
            Some(name) => Output::error(format!(
                "error: cannot delete context {name}, not in {KUBECONFIG_PATH}"
            )),
            None => Output::error("error: Unexpected args: []\nSee 'kubectl config delete-context -h' for help and examples"),
        },
        Some("rename-context") => {
            let (Some(old), Some(new)) = (argument, words.get(2)) else {
                return Output::error(
                    "error: Unexpected args: []\nSee 'kubectl config rename-context -h' for help and examples",
                );
            };
            if !config.contexts.contains_key(old) {
                return Output::error(format!(
                    "error: cannot rename the context \"{old}\", it's not in {KUBECONFIG_PATH}"
                ));
            }
            if config.contexts.contains_key(new.as_str()) {
                return Output::error(format!(
                    "error: cannot rename the context \"{old}\", the context \"{new}\" already exists in {KUBECONFIG_PATH}"
                ));
            }
            if let Some(context) = config.contexts.remove(old) {
                config.contexts.insert(new.clone(), context);
            }
            if config.current_context == old {
                config.current_context = new.clone();
            }
            Output::ok(format!("Context \"{old}\" renamed to \"{new}\".\n"))
        }
        Some("get-clusters") => Output::ok(
            std::iter::once("NAME".to_string())
                .chain(config.clusters.keys().cloned())
                .map(|line| line + "\n")
                .collect::<String>(),
        ),
        Some("get-users") => Output::ok(
            std::iter::once("NAME".to_string())
                .chain(config.users.keys().cloned())
                .map(|line| line + "\n")
                .collect::<String>(),
        ),
        Some("set-cluster") => {
            let Some(name) = argument else {
                return Output::error("error: you must specify a non-empty cluster name");
            };
            let server = parsed.value("server").map(str::to_string);
            let entry = config.clusters.entry(name.to_string()).or_default();
            if let Some(server) = server {
                *entry = server;
            }
            Output::ok(format!("Cluster \"{name}\" set.\n"))
        }
        Some("set-credentials") => {
            let Some(name) = argument else {
                return Output::error("error: you must specify a non-empty user name");
            };
            let user = config.users.entry(name.to_string()).or_insert(json!({}));
            if parsed.value("token").is_some() {
                user["token"] = json!("REDACTED");
            }
            if let Some(username) = parsed.value("username") {
                user["username"] = json!(username);
            }
            if parsed.value("password").is_some() {
                user["password"] = json!("REDACTED");
            }
            if let Some(path) = parsed.value("client-certificate") {
                user["client-certificate"] = json!(path);
            }
            if let Some(path) = parsed.value("client-key") {
                user["client-key"] = json!(path);
            }
            Output::ok(format!("User \"{name}\" set.\n"))
        }
        Some(other) => Output::error(format!(
            "error: unknown command \"{other}\"\nSee 'kubectl config -h' for help and examples"
        )),
        None => Output::ok("Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".\n"),
    }
}
