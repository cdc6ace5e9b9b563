//! `kubectl create -f` and the generators (`create deployment`, `create secret generic`, …).
//!
//! A generator goes through the steps kubectl takes, in kubectl's order, each with kubectl's
//! error: flag parsing (pflag's typed values), required flags, exactly one NAME, `--dry-run`,
//! `-o`, `--validate`, the generator's own checks, building the object, then either printing it
//! (`--dry-run=client`) or creating it through [`Cluster::create`]. The generators themselves
//! live in [`super::generators`]; the input readers in [`super::create_input`].

use std::collections::BTreeMap;

use cluster::Cluster;
use model::Object;
use serde_json::Value;

use super::create_input as input;
use super::generators::{self, Generator};
use crate::flags::{self, FlagSpec, ParsedArgs};
use crate::{Kubectl, Output, Workspace};

/// How pflag reads a flag's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlagType {
    /// A string; the last occurrence wins.
    Str,
    Bool,
    Int32,
    Int64,
    /// A list; every occurrence is split at commas (`--verb=get,list --verb=watch`).
    Slice,
    /// A list; every occurrence is one item (`--from-literal=a=b,c`).
    Array,
    /// `key=value` pairs, comma-separated, merged over occurrences.
    Map,
}

/// One flag of a create subcommand: how it parses, its default as `--help` shows it, and what
/// it does (in our words).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagType,
    pub default: &'static str,
    pub help: &'static str,
}

impl Flag {
    pub(crate) const fn new(
        long: &'static str,
        kind: FlagType,
        default: &'static str,
        help: &'static str,
    ) -> Flag {
        Flag {
            long,
            short: None,
            kind,
            default,
            help,
        }
    }
    pub(crate) const fn short(mut self, short: char) -> Flag {
        self.short = Some(short);
        self
    }
    fn spec(&self) -> FlagSpec {
        if self.kind == FlagType::Bool {
            flags::boolean(self.long, self.short)
        } else {
            flags::value(self.long, self.short)
        }
    }
    /// `-r, --replicas` or `--image`, as pflag names a flag in its errors.
    fn display_name(&self) -> String {
        match self.short {
            Some(c) => format!("-{c}, --{}", self.long),
            None => format!("--{}", self.long),
        }
    }
    /// `--image=[]`, `-o, --output=''`: the option line of `--help`.
    pub(crate) fn help_line(&self) -> String {
        let default = match self.kind {
            FlagType::Str => format!("'{}'", self.default),
            FlagType::Slice | FlagType::Array => format!("[{}]", self.default),
            _ => self.default.to_string(),
        };
        match self.short {
            Some(c) => format!("-{c}, --{}={default}", self.long),
            None => format!("--{}={default}", self.long),
        }
    }
}

use FlagType::{Bool, Str};

/// The flags every generator takes besides its own.
pub(crate) const COMMON_FLAGS: &[Flag] = &[
    Flag::new(
        "dry-run",
        Str,
        "none",
        "One of \"none\", \"server\" or \"client\". \"client\" only prints the object that would be sent; \"server\" sends it for validation without storing it.",
    ),
    Flag::new(
        "field-manager",
        Str,
        "kubectl-create",
        "The manager name recorded as owning the fields this command sets.",
    ),
    Flag::new(
        "output",
        Str,
        "",
        "Print the result in this format instead of the one-line summary: one of (json, yaml, name, jsonpath=…, go-template=…, go-template-file=PATH).",
    )
    .short('o'),
    super::help::TEMPLATE,
    super::help::ALLOW_MISSING_TEMPLATE_KEYS,
    Flag::new(
        "save-config",
        Bool,
        "false",
        "When true, store the object's configuration in the kubectl.kubernetes.io/last-applied-configuration annotation, so that a later 'kubectl apply' can work with it.",
    ),
    Flag::new(
        "show-managed-fields",
        Bool,
        "false",
        "When true, keep metadata.managedFields in JSON and YAML output.",
    ),
    Flag::new(
        "validate",
        Str,
        "strict",
        "How strictly to check the object: strict (or true) rejects unknown or duplicate fields, warn only reports them, ignore (or false) skips the check.",
    ),
];

/// The flags of `kubectl create -f`.
pub(crate) const CREATE_FILE_FLAGS: &[Flag] = &[
    super::help::RECURSIVE,
    Flag::new(
        "dry-run",
        Str,
        "none",
        "One of \"none\", \"server\" or \"client\". \"client\" only prints the objects that would be sent; \"server\" sends them for validation without storing them.",
    ),
    Flag::new(
        "field-manager",
        Str,
        "kubectl-create",
        "The manager name recorded as owning the fields this command sets.",
    ),
    Flag::new(
        "filename",
        FlagType::Array,
        "",
        "A file, a directory of .yaml/.yml/.json files, or - for standard input, holding the objects to create.",
    )
    .short('f'),
    Flag::new(
        "output",
        Str,
        "",
        "Print each result in this format instead of the one-line summary: one of (json, yaml, name, jsonpath=…, go-template=…, go-template-file=PATH).",
    )
    .short('o'),
    super::help::TEMPLATE,
    super::help::ALLOW_MISSING_TEMPLATE_KEYS,
    Flag::new(
        "save-config",
        Bool,
        "false",
        "When true, store each object's configuration in the kubectl.kubernetes.io/last-applied-configuration annotation, so that a later 'kubectl apply' can work with it.",
    ),
    Flag::new(
        "validate",
        Str,
        "strict",
        "How strictly to check the objects: strict (or true) rejects unknown or duplicate fields, warn only reports them, ignore (or false) skips the check.",
    ),
];

/// Flags of `create -f` the parser has always accepted but that do nothing yet (`-l` does not
/// filter), so the help does not list them.
const CREATE_FILE_EXTRA: &[FlagSpec] = &[flags::value("selector", Some('l'))];

/// Output formats kubectl knows for `create` but the playground does not print (the template
/// formats arrive here as `FORMAT=TEXT`, see `output`).
const UNSUPPORTED_OUTPUTS: &[&str] = &["kyaml"];

pub(crate) fn create(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let positions = positional_indices(args);
    let first = positions.first().map(|&i| args[i].as_str());
    if let Some(group) = first.and_then(generators::group_named) {
        let rest: Vec<String> = remove_indices(args, &positions[..1]);
        let Some(&sub_index) = positions.get(1) else {
            // `kubectl create secret` without a type: cobra prints the group's help, exit 1.
            if let Err(e) = flags::parse(&rest, &[], &format!("create {}", group.name)) {
                return Output::error(e);
            }
            let mut help = super::help::text(&["create", group.name]).unwrap_or_default();
            if !help.ends_with('\n') {
                help.push('\n');
            }
            return Output {
                stdout: String::new(),
                stderr: help,
                exit_code: 1,
                open_in_editor: None,
            };
        };
        let typed = args[sub_index].as_str();
        let Some(generator) = generators::find(&format!("{} {typed}", group.name)) else {
            if let Err(e) = flags::parse(&rest, &[], &format!("create {}", group.name)) {
                return Output::error(e);
            }
            let words: Vec<&str> = positions[1..].iter().map(|&i| args[i].as_str()).collect();
            return Output::error(format!(
                "error: unknown command \"{}\"\nSee 'kubectl create {} -h' for help and examples",
                words.join(" "),
                group.name
            ));
        };
        let rest = remove_indices(args, &positions[..2]);
        return run_generator(generator, kubectl, cluster, &rest, workspace);
    }
    if let Some(generator) = first.and_then(generators::find) {
        let rest = remove_indices(args, &positions[..1]);
        return run_generator(generator, kubectl, cluster, &rest, workspace);
    }
    if first == Some("token") {
        let rest = remove_indices(args, &positions[..1]);
        return create_token(kubectl, cluster, &rest);
    }
    create_from_files(kubectl, cluster, args, workspace)
}

/// Where the positional words are, skipping flags and the values of flags that take one.
pub(crate) fn positional_indices(args: &[String]) -> Vec<usize> {
    let takes_value = |long: &str| {
        flags::GLOBAL_FLAGS
            .iter()
            .copied()
            .chain(CREATE_FILE_FLAGS.iter().map(Flag::spec))
            .chain(generators::all_flags().map(Flag::spec))
            .any(|s| s.long == long && s.takes_value)
    };
    let short_takes_value = |c: char| {
        flags::GLOBAL_FLAGS
            .iter()
            .copied()
            .chain(CREATE_FILE_FLAGS.iter().map(Flag::spec))
            .chain(generators::all_flags().map(Flag::spec))
            .any(|s| s.short == Some(c) && s.takes_value)
    };
    let mut positions = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            // A bare `--dry-run` has a default value (pflag's NoOptDefVal) and takes no word.
            if !long.contains('=') && long != "dry-run" && takes_value(long) {
                i += 1;
            }
        } else if arg.len() > 1 && arg.starts_with('-') {
            let shorts: Vec<char> = arg[1..].chars().collect();
            // `-n dev`: the value is the next word when the flag letter ends the group.
            if let Some(position) = shorts.iter().position(|c| short_takes_value(*c)) {
                if position == shorts.len() - 1 {
                    i += 1;
                }
            }
        } else {
            positions.push(i);
        }
        i += 1;
    }
    positions
}

fn remove_indices(args: &[String], indices: &[usize]) -> Vec<String> {
    args.iter()
        .enumerate()
        .filter(|(i, _)| !indices.contains(i))
        .map(|(_, a)| a.clone())
        .collect()
}

fn create_from_files(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let specs: Vec<FlagSpec> = CREATE_FILE_FLAGS
        .iter()
        .map(Flag::spec)
        .chain(CREATE_FILE_EXTRA.iter().copied())
        .collect();
    let parsed = match flags::parse(args, &specs, "create") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    if !parsed.positionals.is_empty() {
        return Output::error(format!(
            "error: Unexpected args: [{}]\nSee 'kubectl create -h' for help and examples",
            parsed.positionals.join(" ")
        ));
    }
    if parsed.values("filename").is_empty() {
        return Output::error("error: must specify one of -f and -k");
    }
    let namespace = super::namespace_of(kubectl, &parsed);
    let dry_run = parsed.value("dry-run").filter(|d| *d != "none");
    let output_format = parsed.value("output");
    let save_config = parsed
        .value("save-config")
        .and_then(input::parse_go_bool)
        .unwrap_or(false);
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
            Ok(o) => o,
            Err(e) => {
                output.append(Output::error(super::decode_error_message(
                    &source, &e, "creating",
                )));
                continue;
            }
        };
        for object in objects {
            match super::apply::with_request_namespace(
                object,
                &namespace,
                parsed.is_set("namespace"),
            ) {
                Ok(mut object) => {
                    if save_config {
                        save_configuration(&mut object);
                    }
                    // Only requests that reach the API server are authorized (`--as`).
                    if dry_run != Some("client") {
                        if let Err(denied) = super::check_access(
                            cluster,
                            &parsed,
                            "create",
                            object.resource_type(),
                            Some(object.namespace()),
                            None,
                        ) {
                            output.append(denied);
                            continue;
                        }
                    }
                    output.append(create_object(
                        cluster,
                        object,
                        &source,
                        dry_run,
                        output_format,
                    ))
                }
                Err(e) => output.append(Output::error(e)),
            }
        }
    }
    output
}

/// `--save-config`: the object as sent (namespace filled in, its other annotations kept)
/// becomes its own last-applied-configuration annotation, as `kubectl apply` would write it.
fn save_configuration(object: &mut Object) {
    let text = super::apply::last_applied_text(&object.to_json_value());
    object
        .metadata_mut()
        .annotations
        .get_or_insert_with(Default::default)
        .insert(super::apply::LAST_APPLIED.to_string(), text);
}

pub(crate) fn create_object(
    cluster: &mut Cluster,
    object: Object,
    source: &str,
    dry_run: Option<&str>,
    output_format: Option<&str>,
) -> Output {
    let resource = object.resource_type();
    let reference = super::object_ref(resource, object.name());
    if let Some(mode) = dry_run {
        let suffix = if mode == "server" {
            "server dry run"
        } else {
            "dry run"
        };
        return super::apply::print_result(
            &object,
            &format!("{reference} created ({suffix})"),
            output_format,
        );
    }
    match cluster.create(object) {
        Ok(stored) => super::apply::print_result(
            &stored,
            &format!("{} created", super::object_ref(resource, stored.name())),
            output_format,
        ),
        Err(e) => Output::error(super::server_error(&e, Some(source), "creating")),
    }
}

// ---------------------------------------------------------------------------------------------
// Generators

/// What a generator is given: the parsed command line, the NAME, the namespace, the files and
/// (read-only) the cluster. Warnings it writes go to stderr before its output.
pub(crate) struct Request<'a> {
    pub name: String,
    pub namespace: String,
    pub parsed: &'a ParsedArgs,
    flags: Vec<Flag>,
    pub workspace: &'a dyn Workspace,
    pub cluster: &'a Cluster,
    pub warnings: String,
}

impl Request<'_> {
    fn flag(&self, long: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.long == long)
    }
    /// A string flag's value, or its default.
    pub(crate) fn string(&self, long: &str) -> String {
        match self.parsed.value(long) {
            Some(v) => v.to_string(),
            None => self.flag(long).map(|f| f.default).unwrap_or("").to_string(),
        }
    }
    /// A list flag's items (slices split at commas; arrays as given).
    pub(crate) fn list(&self, long: &str) -> Vec<String> {
        let raw = self.parsed.values(long);
        match self.flag(long).map(|f| f.kind) {
            Some(FlagType::Slice) => raw
                .iter()
                .flat_map(|v| input::split_csv(v).unwrap_or_default())
                .collect(),
            _ => raw.to_vec(),
        }
    }
    /// An integer flag (already checked when the command line was read).
    pub(crate) fn int(&self, long: &str) -> i64 {
        let text = self
            .parsed
            .value(long)
            .or_else(|| self.flag(long).map(|f| f.default))
            .unwrap_or("0");
        input::parse_go_int(text, 64).unwrap_or(0)
    }
    pub(crate) fn boolean(&self, long: &str) -> bool {
        let text = self
            .parsed
            .value(long)
            .or_else(|| self.flag(long).map(|f| f.default))
            .unwrap_or("false");
        input::parse_go_bool(text).unwrap_or(false)
    }
    /// A `key=value,…` flag, merged over its occurrences.
    pub(crate) fn map(&self, long: &str) -> BTreeMap<String, String> {
        let mut map = BTreeMap::new();
        for raw in self.parsed.values(long) {
            for item in input::split_csv(raw).unwrap_or_default() {
                if let Some((k, v)) = item.split_once('=') {
                    map.insert(k.to_string(), v.to_string());
                }
            }
        }
        map
    }
    /// The words after `--`, when there are any.
    pub(crate) fn command(&self) -> Option<Vec<String>> {
        self.parsed
            .after_dash_dash
            .clone()
            .filter(|c| !c.is_empty())
    }
    pub(crate) fn warn(&mut self, line: &str) {
        self.warnings.push_str(line);
        self.warnings.push('\n');
    }
}

/// pflag's check of typed values: `invalid argument "abc" for "--port" flag: …`.
fn check_flag_values(flags: &[Flag], parsed: &ParsedArgs) -> Result<(), String> {
    for flag in flags {
        for raw in parsed.values(flag.long) {
            let problem = match flag.kind {
                FlagType::Bool => input::parse_go_bool(raw).is_none().then(|| {
                    format!(
                        "strconv.ParseBool: parsing {}: invalid syntax",
                        input::go_quote(raw)
                    )
                }),
                FlagType::Int32 | FlagType::Int64 => {
                    let bits = if flag.kind == FlagType::Int32 { 32 } else { 64 };
                    input::parse_go_int(raw, bits).err().map(|reason| {
                        format!(
                            "strconv.ParseInt: parsing {}: {reason}",
                            input::go_quote(raw)
                        )
                    })
                }
                FlagType::Slice => input::split_csv(raw).err(),
                FlagType::Map => match input::split_csv(raw) {
                    Err(e) => Some(e),
                    Ok(items) => items
                        .iter()
                        .any(|i| !i.contains('='))
                        .then(|| "malformed pair, expect string=string".to_string()),
                },
                FlagType::Str | FlagType::Array => None,
            };
            if let Some(problem) = problem {
                return Err(format!(
                    "error: invalid argument {} for \"{}\" flag: {problem}",
                    input::go_quote(raw),
                    flag.display_name()
                ));
            }
        }
    }
    Ok(())
}

/// A bare `--dry-run` means `--dry-run=unchanged` to pflag (kubectl reads it as client).
fn normalize_bare_dry_run(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut after_dash_dash = false;
    for arg in args {
        if arg == "--" {
            after_dash_dash = true;
        }
        if !after_dash_dash && arg == "--dry-run" {
            out.push("--dry-run=unchanged".to_string());
        } else {
            out.push(arg.clone());
        }
    }
    out
}

/// A klog warning line as kubectl writes it (`W0101 00:00:00.000000       1 file:line] …`),
/// stamped with the simulated clock.
fn klog_warning(cluster: &Cluster, location: &str, message: &str) -> String {
    let millis = cluster.now().0;
    let seconds = millis / 1000;
    let days = seconds / 86_400;
    let (month, day) = month_day_2026(days);
    format!(
        "W{month:02}{day:02} {:02}:{:02}:{:02}.{:06} {:>7} {location}] {message}\n",
        (seconds / 3600) % 24,
        (seconds / 60) % 60,
        seconds % 60,
        (millis % 1000) * 1000,
        1
    )
}

/// Month and day for a day count since 2026-01-01 (the simulated epoch), through the years.
fn month_day_2026(mut days: u64) -> (u64, u64) {
    let mut year = 2026;
    loop {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let length = if leap { 366 } else { 365 };
        if days < length {
            let months = [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ];
            for (i, m) in months.iter().enumerate() {
                if days < *m {
                    return (i as u64 + 1, days + 1);
                }
                days -= m;
            }
            return (12, 31);
        }
        days -= length;
        year += 1;
    }
}

fn run_generator(
    generator: &'static Generator,
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let command = format!("create {}", generator.path);
    let all_flags: Vec<Flag> = generator
        .flags
        .iter()
        .chain(COMMON_FLAGS)
        .copied()
        .collect();
    let specs: Vec<FlagSpec> = all_flags.iter().map(Flag::spec).collect();
    let args = normalize_bare_dry_run(args);
    let parsed = match flags::parse(&args, &specs, &command) {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    if let Err(e) = check_flag_values(&all_flags, &parsed) {
        return Output::error(format!("{e}\nSee 'kubectl {command} --help' for usage."));
    }
    let missing: Vec<String> = generator
        .required
        .iter()
        .filter(|f| !parsed.is_set(f))
        .map(|f| format!("\"{f}\""))
        .collect();
    if !missing.is_empty() {
        return Output::error(format!(
            "error: required flag(s) {} not set",
            missing.join(", ")
        ));
    }
    if parsed.positionals.len() != 1 {
        return Output::error(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl {command} -h' for help and examples",
            parsed.positionals.len()
        ));
    }
    let mut warnings = String::new();
    let dry_run = match parsed.value("dry-run") {
        None | Some("none") => None,
        Some("client") => Some("client"),
        Some("server") => Some("server"),
        Some("unchanged") => {
            warnings.push_str(&klog_warning(
                cluster,
                "helpers.go:714",
                "--dry-run is deprecated and can be replaced with --dry-run=client.",
            ));
            Some("client")
        }
        Some("true") => {
            warnings.push_str(&klog_warning(
                cluster,
                "helpers.go:728",
                "--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.",
            ));
            Some("client")
        }
        Some("false") => {
            warnings.push_str(&klog_warning(
                cluster,
                "helpers.go:731",
                "--dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.",
            ));
            None
        }
        Some(other) => {
            return Output::error(format!(
            "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
        ))
        }
    };
    let output_format = parsed.value("output").filter(|o| !o.is_empty());
    match output_format {
        None | Some("yaml" | "json" | "name") => {}
        format if super::output::is_template_format(format) => {}
        Some(format) if UNSUPPORTED_OUTPUTS.contains(&format) => {
            return Output::error(format!(
                "error: -o {format} is not available in this playground yet for kubectl create; use -o yaml, -o json or -o name"
            ))
        }
        Some(format) => return Output::error(format!(
            "error: unable to match a printer suitable for the output format \"{format}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml"
        )),
    }
    if let Some(validate) = parsed.value("validate") {
        if !["strict", "true", "warn", "ignore", "false"]
            .contains(&validate.to_lowercase().as_str())
        {
            return Output::error(format!(
                "error: invalid - validate option \"{validate}\"; must be one of: strict (or true), warn, ignore (or false)"
            ));
        }
    }
    let namespace = super::namespace_of(kubectl, &parsed);
    let mut request = Request {
        name: parsed.positionals[0].clone(),
        namespace: namespace.clone(),
        parsed: &parsed,
        flags: all_flags,
        workspace,
        cluster,
        warnings,
    };
    let built = (generator.build)(&mut request);
    let warnings = std::mem::take(&mut request.warnings);
    let save_config = request.boolean("save-config");
    let append_hash = request.boolean("append-hash");
    let with_warnings = |mut output: Output| {
        output.stderr = format!("{warnings}{}", output.stderr);
        output
    };
    let mut manifest = match built {
        Ok(m) => m,
        Err(e) => return with_warnings(Output::error(e)),
    };
    if append_hash {
        let hash = input::content_hash(&manifest);
        let name = format!(
            "{}-{hash}",
            manifest["metadata"]["name"].as_str().unwrap_or("")
        );
        manifest["metadata"]["name"] = Value::String(name);
    }
    let resource = manifest["apiVersion"]
        .as_str()
        .zip(manifest["kind"].as_str())
        .and_then(|(v, k)| model::registry::for_api_version_kind(v, k));
    // Generators name the namespace only when -n was given; the request namespace fills it.
    if parsed.is_set("namespace") && resource.is_some_and(|r| r.namespaced) {
        manifest["metadata"]["namespace"] = Value::String(namespace.clone());
    }
    if save_config {
        let text = super::apply::last_applied_text(&manifest);
        manifest["metadata"]["annotations"][super::apply::LAST_APPLIED] = Value::String(text);
    }
    if dry_run == Some("client") {
        let name = manifest["metadata"]["name"].as_str().unwrap_or("");
        let reference = resource
            .map(|r| super::object_ref(r, name))
            .unwrap_or_default();
        if let Some(printed) =
            output_format.and_then(|f| super::output::print_with_template(f, &manifest))
        {
            return with_warnings(printed);
        }
        return with_warnings(match output_format {
            Some("json") => Output::ok(super::get::to_json_pretty(&manifest) + "\n"),
            Some("yaml") => Output::ok(model::decode::json_to_yaml(&manifest)),
            Some("name") => Output::ok(format!("{reference}\n")),
            _ => Output::ok(format!("{reference} created (dry run)\n")),
        });
    }
    let object = match Object::from_json_value(manifest)
        .map_err(|e| format!("error: {}", e.message))
        .and_then(|o| super::apply::with_request_namespace(o, &namespace, false))
    {
        Ok(object) => object,
        Err(e) => return with_warnings(Output::error(e)),
    };
    let access = super::check_access(
        cluster,
        &parsed,
        "create",
        object.resource_type(),
        Some(object.namespace()),
        None,
    );
    let mut result = match access {
        Ok(()) => create_object(cluster, object, "", dry_run, output_format),
        Err(denied) => denied,
    };
    if result.exit_code != 0 {
        if let Some(prefix) = generator.failure {
            result.stderr = format!("error: {prefix}{}\n", raw_server_message(&result.stderr));
        }
    }
    with_warnings(result)
}

/// The API server's own message inside kubectl's rendering of an error, for the generators
/// that wrap it (`error: failed to create deployment: deployments.apps "web" already exists`):
/// without the `Error from server (Reason): ` prefix, and an Invalid error as the server words
/// it (`Deployment "X" is invalid: [a, b]`) rather than kubectl's `The Deployment …` layout.
fn raw_server_message(rendered: &str) -> String {
    let text = rendered.trim_end();
    if let Some(rest) = text.strip_prefix("Error from server (") {
        if let Some((_, message)) = rest.split_once("): ") {
            return message.to_string();
        }
    }
    if let Some(invalid) = text.strip_prefix("The ") {
        if let Some((head, details)) = invalid.split_once(" is invalid: ") {
            return if details.starts_with("\n* ") {
                let causes: Vec<&str> = details.split("\n* ").filter(|c| !c.is_empty()).collect();
                format!("{head} is invalid: [{}]", causes.join(", "))
            } else {
                format!("{head} is invalid: {details}")
            };
        }
    }
    text.trim_start_matches("error: ").to_string()
}

/// `kubectl create token SERVICE_ACCOUNT`: a TokenRequest; the token is printed.
fn create_token(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        flags::value("duration", None),
        flags::value("audience", None),
        flags::value("bound-object-kind", None),
        flags::value("bound-object-name", None),
        flags::value("bound-object-uid", None),
        flags::value("output", Some('o')),
    ];
    let parsed = match flags::parse(args, &specs, "create token") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let [name] = parsed.positionals.as_slice() else {
        return Output::error(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create token -h' for help and examples",
            parsed.positionals.len()
        ));
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let duration_millis = match parsed.value("duration") {
        None => 0,
        Some(text) => match model::duration::parse_duration_millis(text) {
            Ok(ms) => ms as i128,
            Err(_) if text.starts_with('-') => -1,
            Err(_) => {
                return Output::error(format!(
                    "error: invalid argument \"{text}\" for \"--duration\" flag: time: invalid duration \"{text}\""
                ))
            }
        },
    };
    if duration_millis < 0 {
        return Output::error("error: --duration must be greater than or equal to 0");
    }
    if duration_millis % 1000 != 0 {
        return Output::error("error: --duration cannot be expressed in units less than seconds");
    }
    let audiences: Vec<String> = parsed.values("audience").to_vec();
    if audiences.iter().any(String::is_empty) {
        return Output::error("error: --audience must not be an empty string");
    }
    let bound_kind = parsed.value("bound-object-kind").unwrap_or("");
    if bound_kind.is_empty() {
        if parsed
            .value("bound-object-name")
            .is_some_and(|n| !n.is_empty())
        {
            return Output::error(
                "error: --bound-object-name can only be set if --bound-object-kind is provided",
            );
        }
        if parsed
            .value("bound-object-uid")
            .is_some_and(|n| !n.is_empty())
        {
            return Output::error(
                "error: --bound-object-uid can only be set if --bound-object-kind is provided",
            );
        }
    } else {
        if !["Node", "Pod", "Secret"].contains(&bound_kind) {
            return Output::error(
                "error: supported --bound-object-kind values are Node, Pod, Secret",
            );
        }
        if parsed.value("bound-object-name").is_none_or(str::is_empty) {
            return Output::error(
                "error: --bound-object-name is required if --bound-object-kind is provided",
            );
        }
    }
    if parsed.value("output").is_some_and(|o| !o.is_empty()) {
        return Output::error(
            "error: -o is not simulated for kubectl create token in kubeplay: the token alone is printed without it",
        );
    }
    let expiration = (duration_millis > 0).then_some((duration_millis / 1000) as i64);
    match cluster.request_service_account_token(&namespace, name, &audiences, expiration) {
        Ok(token) => Output::ok(format!("{token}\n")),
        Err(e) => Output::error(format!("error: failed to create token: {}", e.message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_errors_show_the_servers_message() {
        assert_eq!(
            raw_server_message(
                "Error from server (AlreadyExists): configmaps \"a\" already exists\n"
            ),
            "configmaps \"a\" already exists"
        );
        assert_eq!(
            raw_server_message(
                "The ConfigMap \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": x\n"
            ),
            "ConfigMap \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": x"
        );
        assert_eq!(
            raw_server_message("The Namespace \"Two\" is invalid: \n* a: b\n* c: d\n"),
            "Namespace \"Two\" is invalid: [a: b, c: d]"
        );
    }

    /// Odd values for every flag of every generator: errors, never panics.
    #[test]
    fn generators_survive_odd_input() {
        let odd = [
            "",
            "=",
            "==",
            ",",
            ":",
            "/",
            "*",
            "-",
            "a=",
            "=b",
            "a=b=c",
            "\"",
            "a,\"b",
            "(",
            "!",
            "in",
            "x/y/z",
            "é",
            "0x",
            "-1",
            "99999999999999999999",
            "a:b:c",
            "/=:",
            "*.a/*=b:c,tls=",
        ];
        let mut kubectl = Kubectl::default();
        let mut cluster = Cluster::new(1);
        for generator in super::generators::GENERATORS {
            for flag in generator.flags.iter().chain(COMMON_FLAGS) {
                for value in odd {
                    let mut args: Vec<String> =
                        generator.path.split(' ').map(String::from).collect();
                    args.insert(0, "create".into());
                    args.push("name".into());
                    args.push(format!("--{}={value}", flag.long));
                    for required in generator.required {
                        args.push(format!("--{required}={value}"));
                    }
                    args.push("--".into());
                    args.push(value.into());
                    let workspace = crate::NoFiles { stdin: None };
                    let out = kubectl.run(&mut cluster, &args, &workspace);
                    assert!(out.exit_code == 0 || !out.stderr.is_empty(), "{args:?}");
                }
            }
        }
    }

    #[test]
    fn klog_stamps_follow_the_simulated_calendar() {
        assert_eq!(month_day_2026(0), (1, 1));
        assert_eq!(month_day_2026(31), (2, 1));
        assert_eq!(month_day_2026(364), (12, 31));
        assert_eq!(month_day_2026(365), (1, 1));
    }

    #[test]
    fn subcommands_are_found_past_flags_and_their_values() {
        let args: Vec<String> = [
            "-n",
            "dev",
            "--output",
            "yaml",
            "deployment",
            "web",
            "-oyaml",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(positional_indices(&args), vec![4, 5]);
        let args: Vec<String> = ["secret", "generic", "s", "--from-literal", "a=b", "--", "x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(positional_indices(&args), vec![0, 1, 2]);
    }
}
