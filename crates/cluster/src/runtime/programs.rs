//! Which program a container runs, from its image and its `command`/`args`, and what the
//! long-running servers print when they start.
//!
//! - Shell images (busybox, alpine, debian, ubuntu, bash, …) run `command`/`args` through the
//!   mini shell; with no command their default `sh`/`bash` has no terminal and exits 0 at once
//!   (which is why `kubectl run b --image=busybox` ends in CrashLoopBackOff, as for real).
//! - Web servers and databases (nginx, httpd, hello-app, agnhost, echoserver, redis, mysql,
//!   postgres, …) log a realistic start-up and run until stopped; mysql and postgres without a
//!   root password print their entrypoint's complaint and exit 1.
//! - `perl … bpi(N)` prints π to N digits after a second of "computing".
//! - A command the image does not have fails to start (`StartError`, exit 128), as runc does.
//! - Unknown images run a generic long-lived process that prints nothing.

use super::catalog::ImageReference;
use super::clock_text::{self, civil};
use crate::SimTime;

/// What one container runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Program {
    /// A shell script: `shell_name` (`sh`, `bash`), the script, `$0 $1 …`.
    Shell {
        shell_name: String,
        script: String,
        positional: Vec<String>,
    },
    /// A server: lines at offsets (ms) from the start, then runs until stopped.
    Server { lines: Vec<(u64, String)> },
    /// Prints lines at offsets, then exits with `code` at `exit_after` ms.
    Finite {
        lines: Vec<(u64, String)>,
        exit_after: u64,
        code: i32,
    },
    /// The runtime cannot start it: runc's message.
    StartError(String),
}

/// How a server answers HTTP requests (for probes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpBehaviour {
    /// 200 for every path.
    AnyPath,
    /// 200 for `/` and `/index.html`, 404 elsewhere (nginx, httpd default sites).
    StaticSite,
    /// 200 for this many milliseconds after start, then 500 (agnhost `liveness`).
    HealthyFor(u64),
    /// Not an HTTP server (databases): the connection opens, no HTTP answer.
    None,
}

/// What an HTTP server answers with (the body of a 200).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// nginx's default page.
    NginxWelcome,
    /// httpd's default page.
    HttpdItWorks,
    /// google-samples hello-app: greeting, version, hostname.
    HelloApp,
    /// The pod's hostname (agnhost serve-hostname, netexec /hostname, whoami-style servers).
    Hostname,
    /// echoserver: a report of the request.
    Echo,
    /// An empty body.
    Blank,
    /// The ingress-nginx controller: Ingress rules decide (and `/healthz` on 10254).
    IngressController,
    /// The HPA walkthrough's php-apache (`registry.k8s.io/hpa-example`): `OK!`, after some
    /// CPU work per request.
    PhpApache,
}

/// What a program listens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listener {
    pub ports: Vec<u16>,
    pub http: HttpBehaviour,
    pub site: Site,
    /// How long after start the port opens.
    pub ready_after_millis: u64,
}

/// The listener of a container's program, if it has one. `declared` are the container's
/// `containerPort`s (what a generic image listens on).
pub fn listener_for(
    launch: &ContainerLaunch,
    program: &Program,
    declared: &[u16],
) -> Option<Listener> {
    let Program::Server { .. } = program else {
        return None;
    };
    let listener = |ports: Vec<u16>, http: HttpBehaviour, ready_after_millis: u64| {
        let site = match image_kind(launch.image) {
            ImageKind::Nginx => Site::NginxWelcome,
            ImageKind::Httpd => Site::HttpdItWorks,
            ImageKind::HelloApp => match launch.image.short_name() {
                "hello-app" => Site::HelloApp,
                _ => Site::Hostname,
            },
            ImageKind::EchoServer => Site::Echo,
            ImageKind::Agnhost => Site::Hostname,
            ImageKind::IngressNginx => Site::IngressController,
            ImageKind::PhpApache => Site::PhpApache,
            _ => Site::Blank,
        };
        Some(Listener {
            ports,
            http,
            site,
            ready_after_millis,
        })
    };
    match image_kind(launch.image) {
        ImageKind::Nginx | ImageKind::Httpd => listener(vec![80], HttpBehaviour::StaticSite, 60),
        ImageKind::PhpApache => listener(vec![80], HttpBehaviour::AnyPath, 80),
        ImageKind::EchoServer => listener(vec![8080, 8443], HttpBehaviour::AnyPath, 450),
        ImageKind::HelloApp => {
            // http-echo listens on 5678 unless `-listen=:PORT` says otherwise.
            let listen_flag = launch
                .command
                .iter()
                .chain(launch.args.iter())
                .find_map(|a| a.strip_prefix("-listen=").or(a.strip_prefix("--listen=")))
                .and_then(|l| l.rsplit(':').next())
                .and_then(|p| p.parse().ok());
            let default_port = if launch.image.short_name() == "http-echo" {
                5678
            } else {
                8080
            };
            let port = listen_flag
                .or_else(|| environment(launch, "PORT").and_then(|p| p.parse().ok()))
                .unwrap_or(default_port);
            let mut ports = vec![port];
            ports.extend(declared.iter().copied());
            listener(ports, HttpBehaviour::AnyPath, 30)
        }
        ImageKind::Agnhost => match agnhost_subcommand(launch) {
            Some("liveness") => listener(vec![8080], HttpBehaviour::HealthyFor(10_000), 30),
            Some("serve-hostname") => listener(vec![9376], HttpBehaviour::AnyPath, 30),
            _ => listener(vec![8080], HttpBehaviour::AnyPath, 30),
        },
        ImageKind::IngressNginx => {
            listener(vec![80, 443, 8443, 10254], HttpBehaviour::AnyPath, 1_500)
        }
        ImageKind::Redis => listener(vec![6379], HttpBehaviour::None, 16),
        ImageKind::Mysql => listener(vec![3306], HttpBehaviour::None, 5_000),
        ImageKind::Postgres => listener(vec![5432], HttpBehaviour::None, 2_200),
        ImageKind::Mongo => listener(vec![27017], HttpBehaviour::None, 500),
        _ => listener(declared.to_vec(), HttpBehaviour::AnyPath, 0),
    }
}

/// agnhost's subcommand: the word after the binary (`command: [/agnhost, serve-hostname]`), or
/// the first argument when the image's entrypoint runs (`args: [netexec]`).
fn agnhost_subcommand<'a>(launch: &'a ContainerLaunch) -> Option<&'a str> {
    // The older `serve_hostname` image (the Debug Services task) is that subcommand alone.
    if launch.image.short_name() == "serve_hostname" {
        return Some("serve-hostname");
    }
    let argv: Vec<&'a String> = launch.command.iter().chain(launch.args.iter()).collect();
    match argv.first() {
        Some(first) if basename(first) == "agnhost" => argv.get(1).map(|s| s.as_str()),
        _ => launch.args.first().map(String::as_str),
    }
}

/// How much memory a program insists on using, in bytes, when it is a memory hog the docs use
/// (`stress --vm N --vm-bytes SIZE`, sizes in stress's 1024-based units).
pub fn memory_demand_bytes(command: &[String], args: &[String]) -> Option<u64> {
    let argv: Vec<&String> = command.iter().chain(args.iter()).collect();
    let program = basename(argv.first()?);
    if program != "stress" {
        return None;
    }
    let value_of = |flag: &str| {
        argv.iter()
            .position(|a| *a == flag)
            .and_then(|i| argv.get(i + 1))
            .map(|s| s.to_string())
    };
    let workers: u64 = value_of("--vm")?.parse().ok()?;
    let size = value_of("--vm-bytes").unwrap_or_else(|| "256M".to_string());
    let (number, unit) = size.split_at(
        size.find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(size.len()),
    );
    let factor: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        _ => return None,
    };
    Some(workers.saturating_mul(number.parse::<u64>().ok()?.saturating_mul(factor)))
}

/// A program that exits on SIGTERM: with `code`, `after_millis` after the signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigtermExit {
    pub code: i32,
    pub after_millis: u64,
}

/// How a program reacts to SIGTERM: `Some` if it exits (servers at once), `None` if it ignores
/// it — a shell as PID 1 without a `trap … TERM` that exits — and is killed (137) when the
/// grace period ends.
pub fn exit_on_sigterm(launch: &ContainerLaunch, program: &Program) -> Option<SigtermExit> {
    let at_once = |code| {
        Some(SigtermExit {
            code,
            after_millis: 100,
        })
    };
    match program {
        Program::Shell { script, .. } => shell_trap_on_term(script),
        Program::Server { .. } => match image_kind(launch.image) {
            ImageKind::Nginx
            | ImageKind::Httpd
            | ImageKind::Redis
            | ImageKind::Postgres
            | ImageKind::Mysql
            | ImageKind::Mongo => at_once(0),
            _ => at_once(143),
        },
        _ => at_once(143),
    }
}

/// A shell script's `trap 'ACTION' TERM` (or SIGTERM, 15) whose action exits — the last such
/// trap wins, `trap - TERM` resets it: the shell runs the action once the command in the
/// foreground ends — in a polling loop, within its shortest `sleep`. A trap calling a function
/// (`trap cleanup TERM`) is not followed into the function.
fn shell_trap_on_term(script: &str) -> Option<SigtermExit> {
    let mut exit_code: Option<i32> = None;
    let mut rest = script;
    while let Some(found) = rest.find("trap ") {
        let at_word_start = rest[..found]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | '{'));
        let after = rest[found + 5..].trim_start();
        rest = &rest[found + 5..];
        if !at_word_start {
            continue;
        }
        let (action, signals) = match after.chars().next() {
            Some(quote @ ('\'' | '"')) => {
                let body = &after[1..];
                let Some(end) = body.find(quote) else {
                    continue;
                };
                (&body[..end], &body[end + 1..])
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        let signals = signals.split([';', '\n', '&', '|']).next().unwrap_or("");
        let on_term = signals
            .split_whitespace()
            .any(|s| matches!(s, "TERM" | "SIGTERM" | "15"));
        if !on_term {
            continue;
        }
        let words: Vec<&str> = action
            .split(|c: char| c.is_whitespace() || c == ';')
            .filter(|w| !w.is_empty())
            .collect();
        exit_code = words.iter().position(|w| *w == "exit").map(|at| {
            words
                .get(at + 1)
                .and_then(|w| w.parse::<i32>().ok())
                .unwrap_or(0)
        });
    }
    let code = exit_code?;
    let shortest_sleep = script
        .split("sleep ")
        .skip(1)
        .filter_map(|tail| {
            let word = tail.split(|c: char| c.is_whitespace() || c == ';').next()?;
            word.parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s >= 0.0)
        })
        .fold(None, |least: Option<f64>, s| {
            Some(least.map_or(s, |l| l.min(s)))
        });
    let after_millis = shortest_sleep.map_or(100, |s| (s * 1000.0).clamp(100.0, 1e12) as u64);
    Some(SigtermExit { code, after_millis })
}

/// Everything that decides a container's program.
#[derive(Debug, Clone)]
pub struct ContainerLaunch<'a> {
    pub image: &'a ImageReference,
    pub command: &'a [String],
    pub args: &'a [String],
    pub env: &'a [(String, String)],
    pub started: SimTime,
    pub pod_ip: &'a str,
}

const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh"];
/// Commands every shell image has (the applets of [`super::shell_commands`]).
const UTILITIES: &[&str] = &[
    "echo", "printf", "sleep", "true", "false", "env", "printenv", "hostname", "date", "cat",
    "touch", "rm", "mkdir", "ls", "seq", "expr", "test", "wc", "head", "tail", "grep", "rev",
    "uname", "whoami", "id", "pwd", "wget", "curl", "nslookup", "ping", "nc", "exit",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImageKind {
    Shell(&'static str),
    Nginx,
    Httpd,
    HelloApp,
    Agnhost,
    EchoServer,
    Redis,
    Mysql,
    Postgres,
    Mongo,
    Perl,
    Interpreter,
    HelloWorld,
    Pause,
    /// The ingress-nginx controller.
    IngressNginx,
    /// `registry.k8s.io/hpa-example`: Apache + PHP burning CPU per request.
    PhpApache,
    /// metrics-server.
    MetricsServer,
    /// kind's local-path-provisioner (its provisioning is done by the PersistentVolume
    /// controller while this pod runs).
    LocalPathProvisioner,
    /// Log collectors run as DaemonSets (fluentd, fluent-bit).
    LogCollector,
    Generic,
}

/// Whether an image ships `tar` (what `kubectl cp` runs in the container): every image with a
/// shell does; scratch and distroless ones (http-echo, whoami, hello-world, pause,
/// metrics-server) do not.
pub fn image_has_tar(image: &str) -> bool {
    let Ok(reference) = super::catalog::parse_reference(image) else {
        return false;
    };
    !matches!(
        (image_kind(&reference), reference.short_name()),
        (ImageKind::HelloApp, "http-echo" | "whoami")
            | (
                ImageKind::HelloWorld | ImageKind::Pause | ImageKind::MetricsServer,
                _
            )
    )
}

fn image_kind(image: &ImageReference) -> ImageKind {
    if image.repository.ends_with("ingress-nginx/controller") {
        return ImageKind::IngressNginx;
    }
    match image.short_name() {
        "busybox" | "alpine" => ImageKind::Shell("sh"),
        "debian" | "ubuntu" | "bash" | "centos" | "fedora" | "rockylinux" | "amazonlinux"
        | "curl" | "netshoot" | "dnsutils" | "jessie-dnsutils" => ImageKind::Shell("bash"),
        "nginx" | "nginx-slim" | "nginx-unprivileged" | "hello"
            if image.repository != "library/hello-world" =>
        {
            ImageKind::Nginx
        }
        "httpd" => ImageKind::Httpd,
        "hello-app" | "hello-kubernetes" | "http-echo" | "whoami" | "podinfo" => {
            ImageKind::HelloApp
        }
        "agnhost" | "serve_hostname" => ImageKind::Agnhost,
        "echoserver" | "echo-server" => ImageKind::EchoServer,
        "redis" | "valkey" => ImageKind::Redis,
        "mysql" | "mariadb" => ImageKind::Mysql,
        "postgres" => ImageKind::Postgres,
        "mongo" => ImageKind::Mongo,
        "perl" => ImageKind::Perl,
        "python" | "node" | "ruby" | "golang" | "openjdk" | "php" => ImageKind::Interpreter,
        "hello-world" => ImageKind::HelloWorld,
        "pause" => ImageKind::Pause,
        "hpa-example" => ImageKind::PhpApache,
        "metrics-server" => ImageKind::MetricsServer,
        "local-path-provisioner" => ImageKind::LocalPathProvisioner,
        "fluentd" | "fluent-bit" | "fluentd-elasticsearch" | "fluentd-kubernetes-daemonset" => {
            ImageKind::LogCollector
        }
        _ => ImageKind::Generic,
    }
}

fn environment(launch: &ContainerLaunch, name: &str) -> Option<String> {
    launch
        .env
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// Whether a database image's entrypoint starts its server for these arguments (the first one
/// given).
fn entrypoint_runs_server(kind: ImageKind, first: &str) -> bool {
    match kind {
        ImageKind::Redis => first.starts_with('-') || first.ends_with(".conf"),
        ImageKind::Mysql | ImageKind::Postgres | ImageKind::Mongo => first.starts_with('-'),
        _ => false,
    }
}

/// The hidden variable through which `redis-cli` in a container reads what its redis-server
/// loaded (`key=value` lines): only a redis container has it.
pub const REDIS_CONFIG_VARIABLE: &str = "KUBEPLAY_REDIS_CONFIG";

/// The configuration a redis-server started by this launch loaded (`CONFIG GET`'s answers): the
/// defaults, the `.conf` file it was given (from `files`, the container's files at start), then
/// `--name value` arguments, memory sizes in bytes. `None` when the launch is not redis-server.
pub fn redis_server_config(
    launch: &ContainerLaunch,
    files: &std::collections::BTreeMap<String, String>,
) -> Option<std::collections::BTreeMap<String, String>> {
    if image_kind(launch.image) != ImageKind::Redis {
        return None;
    }
    let argv: Vec<&String> = launch.command.iter().chain(launch.args.iter()).collect();
    let arguments: Vec<&String> = match argv.first() {
        None => Vec::new(),
        Some(first) if matches!(basename(first), "redis-server" | "docker-entrypoint.sh") => argv
            [1..]
            .iter()
            .copied()
            .filter(|a| basename(a) != "redis-server")
            .collect(),
        Some(first)
            if launch.command.is_empty() && entrypoint_runs_server(ImageKind::Redis, first) =>
        {
            argv.clone()
        }
        Some(_) => return None,
    };
    let mut config: std::collections::BTreeMap<String, String> = [
        ("maxmemory", "0"),
        ("maxmemory-policy", "noeviction"),
        ("appendonly", "no"),
        ("port", "6379"),
        ("databases", "16"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mut settings: Vec<(String, String)> = Vec::new();
    if let Some(text) = arguments
        .iter()
        .find(|a| a.ends_with(".conf"))
        .and_then(|path| files.get(path.as_str()))
    {
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            settings.push((key.to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let mut words = arguments.iter().filter(|a| !a.ends_with(".conf"));
    while let Some(word) = words.next() {
        if let Some(key) = word.strip_prefix("--") {
            let value = words.next().map(|v| v.to_string()).unwrap_or_default();
            settings.push((key.to_ascii_lowercase(), value));
        }
    }
    for (key, value) in settings {
        let value = if key == "maxmemory" {
            redis_memory_bytes(&value).map_or(value, |bytes| bytes.to_string())
        } else {
            value
        };
        config.insert(key, value);
    }
    Some(config)
}

/// A redis memory size in bytes: `2mb` is 2 MiB, `2m` 2 million, `1gb`, `100k`, …
fn redis_memory_bytes(text: &str) -> Option<u64> {
    let lower = text.to_ascii_lowercase();
    let digits = lower.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let number: u64 = digits.parse().ok()?;
    let factor: u64 = match &lower[digits.len()..] {
        "" | "b" => 1,
        "k" => 1_000,
        "kb" => 1_024,
        "m" => 1_000_000,
        "mb" => 1_048_576,
        "g" => 1_000_000_000,
        "gb" => 1_073_741_824,
        _ => return None,
    };
    number.checked_mul(factor)
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The program a container runs.
pub fn program_for(launch: &ContainerLaunch) -> Program {
    let kind = image_kind(launch.image);
    let argv: Vec<String> = if !launch.command.is_empty() {
        launch
            .command
            .iter()
            .chain(launch.args.iter())
            .cloned()
            .collect()
    } else {
        launch.args.to_vec()
    };
    if argv.is_empty() {
        return default_program(kind, launch);
    }
    let program = basename(&argv[0]);
    if SHELLS.contains(&program) {
        return shell_program(program, &argv);
    }
    if program == "perl" {
        return perl_program(&argv);
    }
    if program.starts_with("python") && kind == ImageKind::Interpreter {
        if let (Some("-c"), Some(script)) = (argv.get(1).map(String::as_str), argv.get(2)) {
            let outcome = super::python::run(script, launch.env);
            // CPython's start-up (interpreter, imports) takes a few hundred milliseconds, a
            // little more or less from one pod to the next.
            let jitter = launch
                .pod_ip
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                })
                % 400;
            let exit_after = 300 + jitter;
            return Program::Finite {
                lines: outcome
                    .lines
                    .into_iter()
                    .map(|l| (exit_after - 10, l))
                    .collect(),
                exit_after,
                code: outcome.code,
            };
        }
    }
    if program == "stress" {
        let count = |flag: &str| {
            argv.iter()
                .position(|a| a == flag)
                .and_then(|i| argv.get(i + 1))
                .and_then(|n| n.parse::<u32>().ok())
                .unwrap_or(0)
        };
        return Program::Server {
            lines: vec![(
                5,
                format!(
                    "stress: info: [1] dispatching hogs: {} cpu, {} io, {} vm, {} hdd",
                    count("--cpu"),
                    count("--io"),
                    count("--vm"),
                    count("--hdd")
                ),
            )],
        };
    }
    let server_binaries: &[&str] = match kind {
        ImageKind::Nginx | ImageKind::EchoServer => &["nginx", "docker-entrypoint.sh"],
        ImageKind::Httpd => &["httpd", "httpd-foreground"],
        ImageKind::PhpApache => &["apache2-foreground", "apache2"],
        ImageKind::MetricsServer => &["/metrics-server", "metrics-server"],
        ImageKind::LocalPathProvisioner => &["local-path-provisioner"],
        ImageKind::LogCollector => &[
            "fluentd",
            "fluent-bit",
            "/fluent-bit/bin/fluent-bit",
            "tini",
        ],
        ImageKind::Redis => &["redis-server", "docker-entrypoint.sh"],
        ImageKind::Mysql => &["mysqld", "docker-entrypoint.sh", "mariadbd"],
        ImageKind::Postgres => &["postgres", "docker-entrypoint.sh"],
        ImageKind::Mongo => &["mongod", "docker-entrypoint.sh"],
        ImageKind::Agnhost => &["agnhost"],
        ImageKind::IngressNginx => &["nginx-ingress-controller", "/nginx-ingress-controller"],
        ImageKind::HelloApp => &[
            "http-echo",
            "hello-app",
            "whoami",
            "podinfo",
            "hello-kubernetes",
        ],
        _ => &[],
    };
    if server_binaries.contains(&program) {
        return default_program(kind, launch);
    }
    // Agnhost's image has the binary as its entrypoint: `args: [netexec, …]`; so do the
    // scratch images of http-echo and whoami (`args: [-text=hi]`).
    let entrypoint_image = matches!(
        kind,
        ImageKind::Agnhost | ImageKind::MetricsServer | ImageKind::LogCollector
    ) || (kind == ImageKind::HelloApp
        && matches!(launch.image.short_name(), "http-echo" | "whoami"));
    if entrypoint_image && launch.command.is_empty() {
        return default_program(kind, launch);
    }
    // The database images' docker-entrypoint.sh puts the server in front of arguments that
    // are flags (`args: [--maxmemory, 2mb]`), and redis's also in front of a `.conf` file.
    if launch.command.is_empty() && entrypoint_runs_server(kind, &argv[0]) {
        return default_program(kind, launch);
    }
    if UTILITIES.contains(&program) && kind != ImageKind::Pause && kind != ImageKind::HelloApp {
        let script = argv
            .iter()
            .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
            .collect::<Vec<_>>()
            .join(" ");
        return Program::Shell {
            shell_name: "sh".to_string(),
            script,
            positional: vec!["sh".to_string()],
        };
    }
    if kind == ImageKind::Generic {
        return Program::Server { lines: Vec::new() };
    }
    Program::StartError(format!(
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: \"{}\": executable file not found in $PATH: unknown",
        argv[0]
    ))
}

fn shell_program(shell: &str, argv: &[String]) -> Program {
    match argv.get(1).map(String::as_str) {
        Some("-c") | Some("-ec") | Some("-ce") | Some("-xc") => match argv.get(2) {
            Some(script) => {
                let mut positional: Vec<String> = argv.iter().skip(3).cloned().collect();
                if positional.is_empty() {
                    positional.push(shell.to_string());
                }
                Program::Shell {
                    shell_name: shell.to_string(),
                    script: script.clone(),
                    positional,
                }
            }
            None => Program::Finite {
                lines: vec![(0, format!("{shell}: -c requires an argument"))],
                exit_after: 5,
                code: 2,
            },
        },
        // An interactive shell without a terminal reads end-of-file and exits.
        None => Program::Finite {
            lines: Vec::new(),
            exit_after: 5,
            code: 0,
        },
        Some(file) => Program::Finite {
            lines: vec![(
                0,
                format!("{shell}: can't open '{file}': No such file or directory"),
            )],
            exit_after: 5,
            code: 2,
        },
    }
}

fn perl_program(argv: &[String]) -> Program {
    let code = argv.iter().skip(1).find(|a| !a.starts_with('-'));
    let digits = code.and_then(|c| {
        let start = c.find("bpi(")? + 4;
        let end = c[start..].find(')')? + start;
        c[start..end].trim().parse::<usize>().ok()
    });
    match digits {
        Some(n) => {
            let n = n.clamp(1, super::pi::MAX_DIGITS);
            // About 5 s for 2000 digits on a real node.
            let millis = 800 + (n as u64 * n as u64) / 1_000;
            Program::Finite {
                lines: vec![(millis, super::pi::pi_text(n))],
                exit_after: millis + 10,
                code: 0,
            }
        }
        None => Program::Finite {
            lines: Vec::new(),
            exit_after: 50,
            code: 0,
        },
    }
}

fn go_log_time(t: SimTime) -> String {
    let c = civil(t);
    format!(
        "{}/{:02}/{:02} {:02}:{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

fn klog_time(t: SimTime) -> String {
    let c = civil(t);
    format!(
        "I{:02}{:02} {:02}:{:02}:{:02}.{:03}000",
        c.month, c.day, c.hour, c.minute, c.second, c.millisecond
    )
}

fn version_or(image: &ImageReference, default: &str) -> String {
    let t = image.tag.strip_prefix('v').unwrap_or(&image.tag);
    let numeric: String = t
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if numeric.matches('.').count() >= 2 {
        numeric
    } else if !numeric.is_empty() && default.starts_with(&numeric) {
        default.to_string()
    } else if !numeric.is_empty() {
        format!("{}.0", numeric.trim_end_matches('.'))
    } else {
        default.to_string()
    }
}

fn default_program(kind: ImageKind, launch: &ContainerLaunch) -> Program {
    let t = launch.started;
    let at = |offset: u64| SimTime(t.0 + offset);
    let lines = |items: Vec<(u64, String)>| Program::Server { lines: items };
    match kind {
        // No terminal: the default shell or REPL reads end-of-file and exits 0.
        ImageKind::Shell(_) | ImageKind::Interpreter | ImageKind::Perl => Program::Finite {
            lines: Vec::new(),
            exit_after: 20,
            code: 0,
        },
        ImageKind::HelloWorld => Program::Finite {
            lines: vec![
                (5, String::new()),
                (5, "Hello from Docker!".to_string()),
                (5, "This message shows that your installation appears to be working correctly.".to_string()),
                (5, String::new()),
            ],
            exit_after: 10,
            code: 0,
        },
        ImageKind::Nginx => {
            let version = version_or(launch.image, "1.29.3");
            let stamp = go_log_time(at(60));
            let mut items: Vec<(u64, String)> = [
                "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
                "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
                "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
                "/docker-entrypoint.sh: Configuration complete; ready for start up",
            ]
            .iter()
            .enumerate()
            .map(|(i, l)| (i as u64 * 5, l.to_string()))
            .collect();
            for line in [
                "using the \"epoll\" event method".to_string(),
                format!("nginx/{version}"),
                "built by gcc 14.2.0 (Debian 14.2.0-19) ".to_string(),
                "OS: Linux 6.8.0-kubeplay".to_string(),
                "getrlimit(RLIMIT_NOFILE): 1048576:1048576".to_string(),
                "start worker processes".to_string(),
                "start worker process 29".to_string(),
            ] {
                items.push((60, format!("{stamp} [notice] 1#1: {line}")));
            }
            lines(items)
        }
        ImageKind::Httpd => {
            let stamp = apache_log_time(at(80));
            let fqdn = format!("AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {}. Set the 'ServerName' directive globally to suppress this message", launch.pod_ip);
            lines(vec![
                (20, fqdn.clone()),
                (40, fqdn),
                (80, format!("{stamp} [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/{} (Unix) configured -- resuming normal operations", version_or(launch.image, "2.4.65"))),
                (80, format!("{stamp} [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'")),
            ])
        }
        ImageKind::HelloApp => {
            let port = environment(launch, "PORT").unwrap_or_else(|| "8080".to_string());
            lines(vec![(30, format!("{} Server listening on port {port}", go_log_time(at(30))))])
        }
        ImageKind::Agnhost => {
            let sub = agnhost_subcommand(launch).unwrap_or("");
            let line = match sub {
                "netexec" => "Started HTTP server on port 8080".to_string(),
                "serve-hostname" => "Serving on port 9376.".to_string(),
                "liveness" => "Started liveness server on port 8080".to_string(),
                "" => return Program::Finite { lines: vec![(5, "app with lots of small utilities useful for testing".to_string())], exit_after: 10, code: 0 },
                other => format!("Started {other}"),
            };
            lines(vec![(30, format!("{}       1 log.go:245] {line}", klog_time(at(30))))])
        }
        ImageKind::EchoServer => lines(vec![
            (10, "Generating self-signed cert".to_string()),
            (200, "Generating a 2048 bit RSA private key".to_string()),
            (400, "writing new private key to '/certs/privateKey.key'".to_string()),
            (400, "-----".to_string()),
            (450, "Starting nginx".to_string()),
        ]),
        ImageKind::Redis => {
            let c = civil(at(10));
            let stamp = |offset: u64| {
                let c2 = civil(at(offset));
                format!("{:02} {} {} {:02}:{:02}:{:02}.{:03}", c2.day, &clock_text::date_default(at(offset))[4..7], c.year, c2.hour, c2.minute, c2.second, c2.millisecond)
            };
            let version = version_or(launch.image, "8.2.3");
            lines(vec![
                (10, format!("1:C {} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", stamp(10))),
                (10, format!("1:C {} * Redis version={version}, bits=64, commit=00000000, modified=0, pid=1, just started", stamp(10))),
                (12, format!("1:M {} * Running mode=standalone, port=6379.", stamp(12))),
                (15, format!("1:M {} * Server initialized", stamp(15))),
                (16, format!("1:M {} * Ready to accept connections tcp", stamp(16))),
            ])
        }
        ImageKind::Mysql => {
            let stamp = |offset: u64| format!("{}+00:00", clock_text::strftime("%F %T", at(offset)));
            let has_password = ["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD", "MARIADB_ROOT_PASSWORD", "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD"]
                .iter()
                .any(|n| environment(launch, n).is_some_and(|v| !v.is_empty()));
            if !has_password {
                return Program::Finite {
                    lines: vec![
                        (100, format!("{} [Note] [Entrypoint]: Entrypoint script for MySQL Server started.", stamp(100))),
                        (300, format!("{} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified", stamp(300))),
                        (300, "    You need to specify one of the following as an environment variable:".to_string()),
                        (300, "    - MYSQL_ROOT_PASSWORD".to_string()),
                        (300, "    - MYSQL_ALLOW_EMPTY_PASSWORD".to_string()),
                        (300, "    - MYSQL_RANDOM_ROOT_PASSWORD".to_string()),
                    ],
                    exit_after: 310,
                    code: 1,
                };
            }
            lines(vec![
                (100, format!("{} [Note] [Entrypoint]: Entrypoint script for MySQL Server started.", stamp(100))),
                (4_000, format!("{} [Note] [Entrypoint]: MySQL init process done. Ready for start up.", stamp(4_000))),
                (5_000, format!("{}Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '{}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.", clock_text::strftime("%FT%T.%N", at(5_000)).trim_end_matches("000"), version_or(launch.image, "9.5.0"))),
            ])
        }
        ImageKind::Postgres => {
            let has_password = environment(launch, "POSTGRES_PASSWORD").is_some_and(|v| !v.is_empty())
                || environment(launch, "POSTGRES_HOST_AUTH_METHOD").as_deref() == Some("trust");
            if !has_password {
                return Program::Finite {
                    lines: vec![
                        (50, "Error: Database is uninitialized and superuser password is not specified.".to_string()),
                        (50, "       You must specify POSTGRES_PASSWORD to a non-empty value for the".to_string()),
                        (50, "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".".to_string()),
                    ],
                    exit_after: 60,
                    code: 1,
                };
            }
            let stamp = |offset: u64| format!("{} UTC", clock_text::strftime("%F %T", at(offset)));
            lines(vec![
                (2_000, "PostgreSQL init process complete; ready for start up.".to_string()),
                (2_100, format!("{} [1] LOG:  listening on IPv4 address \"0.0.0.0\", port 5432", stamp(2_100))),
                (2_200, format!("{} [1] LOG:  database system is ready to accept connections", stamp(2_200))),
            ])
        }
        ImageKind::Mongo => lines(vec![(
            500,
            format!("{{\"t\":{{\"$date\":\"{}\"}},\"s\":\"I\",  \"c\":\"NETWORK\",  \"id\":23016,   \"ctx\":\"listener\",\"msg\":\"Waiting for connections\",\"attr\":{{\"port\":27017,\"ssl\":\"off\"}}}}", clock_text::strftime("%FT%T.000+00:00", at(500))),
        )]),
        ImageKind::IngressNginx => {
            let version = version_or(launch.image, "v1.12.1");
            lines(vec![
                (10, "-------------------------------------------------------------------------------".to_string()),
                (10, "NGINX Ingress controller".to_string()),
                (10, format!("  Release:       {version}")),
                (10, "  Repository:    https://github.com/kubernetes/ingress-nginx".to_string()),
                (10, "  nginx version: nginx/1.25.5".to_string()),
                (10, String::new()),
                (10, "-------------------------------------------------------------------------------".to_string()),
                (1_200, format!("{}       7 controller.go:214] \"Configuration changes detected, backend reload required\"", klog_time(at(1_200)))),
                (1_400, format!("{}       7 controller.go:227] \"Backend successfully reloaded\"", klog_time(at(1_400)))),
            ])
        }
        ImageKind::PhpApache => {
            let stamp = apache_log_time(at(80));
            let fqdn = format!("AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using {}. Set the 'ServerName' directive globally to suppress this message", launch.pod_ip);
            lines(vec![
                (20, fqdn.clone()),
                (40, fqdn),
                (80, format!("{stamp} [mpm_prefork:notice] [pid 1] AH00163: Apache/2.4.10 (Debian) PHP/5.6.14 configured -- resuming normal operations")),
                (80, format!("{stamp} [core:notice] [pid 1] AH00094: Command line: 'apache2 -D FOREGROUND'")),
            ])
        }
        ImageKind::LocalPathProvisioner => {
            let stamp = |offset: u64| clock_text::strftime("%FT%TZ", at(offset));
            lines(vec![
                (200, format!("time=\"{}\" level=debug msg=\"Applied config: {{\\\"nodePathMap\\\":[{{\\\"node\\\":\\\"DEFAULT_PATH_FOR_NON_LISTED_NODES\\\",\\\"paths\\\":[\\\"/var/local-path-provisioner\\\"]}}]}}\"", stamp(200))),
                (210, format!("time=\"{}\" level=debug msg=\"Provisioner started\"", stamp(210))),
                (220, format!("{}       1 controller.go:824] \"Starting provisioner controller\"", klog_time(at(220)))),
                (320, format!("{}       1 controller.go:873] \"Started provisioner controller\"", klog_time(at(320)))),
            ])
        }
        ImageKind::MetricsServer => lines(vec![
            (300, format!("{}       1 serving.go:374] Generated self-signed cert (/tmp/apiserver.crt, /tmp/apiserver.key)", klog_time(at(300)))),
            (900, format!("{}       1 handler.go:275] Adding GroupVersion metrics.k8s.io v1beta1 to ResourceManager", klog_time(at(900)))),
            (1_000, format!("{}       1 secure_serving.go:213] Serving securely on [::]:10250", klog_time(at(1_000)))),
        ]),
        ImageKind::LogCollector if launch.image.short_name() == "fluent-bit" => {
            let stamp = |offset: u64| clock_text::strftime("[%Y/%m/%d %H:%M:%S]", at(offset));
            lines(vec![
                (200, "Fluent Bit v3.2.2".to_string()),
                (200, "* Copyright (C) 2015-2024 The Fluent Bit Authors".to_string()),
                (400, format!("{} [ info] [fluent bit] version=3.2.2, commit=a59c8f4cb0, pid=1", stamp(400))),
                (450, format!("{} [ info] [input:tail:tail.0] initializing", stamp(450))),
                (500, format!("{} [ info] [sp] stream processor started", stamp(500))),
            ])
        }
        ImageKind::LogCollector => {
            let stamp = |offset: u64| clock_text::strftime("%Y-%m-%d %H:%M:%S +0000", at(offset));
            lines(vec![
                (800, format!("{} [info]: parsing config file is succeeded path=\"/etc/fluent/fluent.conf\"", stamp(800))),
                (1_200, format!("{} [info]: starting fluentd-1.16.2 pid=7 ruby=\"3.2.2\"", stamp(1_200))),
                (1_500, format!("{} [info]: #0 starting fluentd worker pid=17 ppid=7 worker=0", stamp(1_500))),
                (1_600, format!("{} [info]: #0 following tail of /var/log/containers/*.log", stamp(1_600))),
                (1_700, format!("{} [info]: #0 fluentd worker is now running worker=0", stamp(1_700))),
            ])
        }
        ImageKind::Pause | ImageKind::Generic => lines(Vec::new()),
    }
}

/// Apache's error-log timestamp: `[Thu Jan 01 00:00:00.080123 2026]`.
fn apache_log_time(time: SimTime) -> String {
    let c = civil(time);
    let date = clock_text::date_default(time);
    format!(
        "[{} {} {:02} {:02}:{:02}:{:02}.{:03}123 {}]",
        &date[..3],
        &date[4..7],
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.millisecond,
        c.year
    )
}

/// What a running container costs: what the kubelet's cAdvisor measures and `kubectl top`, the
/// metrics API and the HorizontalPodAutoscaler read. Believable figures per image (an idle
/// nginx uses no measurable CPU and ~3 MiB), plus the work the program does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResourceProfile {
    /// CPU while idle, in millicores.
    pub idle_cpu_millicores: u64,
    /// CPU burnt whatever happens (`stress --cpu N`: N cores), in millicores.
    pub busy_cpu_millicores: u64,
    /// CPU time each answered request costs, in microseconds of one core.
    pub cpu_micros_per_request: u64,
    /// Working set, in bytes.
    pub memory_bytes: u64,
}

/// The resource profile of a container's program.
pub fn resource_profile(launch: &ContainerLaunch, program: &Program) -> ResourceProfile {
    const MIB: u64 = 1 << 20;
    let profile = |idle: u64, per_request: u64, mebibytes_tenths: u64| ResourceProfile {
        idle_cpu_millicores: idle,
        busy_cpu_millicores: 0,
        cpu_micros_per_request: per_request,
        memory_bytes: mebibytes_tenths * MIB / 10,
    };
    let argv: Vec<String> = launch
        .command
        .iter()
        .chain(launch.args.iter())
        .cloned()
        .collect();
    if argv.first().is_some_and(|a| basename(a) == "stress") {
        let cpus = argv
            .iter()
            .position(|a| a == "--cpu")
            .and_then(|i| argv.get(i + 1))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0);
        return ResourceProfile {
            idle_cpu_millicores: 0,
            busy_cpu_millicores: cpus.saturating_mul(1000),
            cpu_micros_per_request: 0,
            memory_bytes: memory_demand_bytes(launch.command, launch.args).unwrap_or(0) + MIB / 2,
        };
    }
    // The control plane's and add-ons' own programs (generic images by name).
    match launch.image.short_name() {
        "kube-apiserver" => return profile(42, 0, 2_480),
        "etcd" => return profile(19, 0, 412),
        "kube-controller-manager" => return profile(14, 0, 486),
        "kube-scheduler" => return profile(3, 0, 213),
        "kube-proxy" => return profile(1, 0, 171),
        "coredns" => return profile(2, 20, 138),
        "kindnetd" => return profile(1, 0, 105),
        _ => {}
    }
    match (image_kind(launch.image), program) {
        (_, Program::Finite { .. }) | (_, Program::StartError(_)) => profile(0, 0, 4),
        (ImageKind::Shell(_), _) => profile(0, 0, 6),
        (ImageKind::Nginx, _) => profile(0, 40, 29),
        (ImageKind::Httpd, _) => profile(1, 60, 61),
        (ImageKind::HelloApp, _) => profile(0, 30, 38),
        (ImageKind::Agnhost, _) => profile(1, 30, 71),
        (ImageKind::EchoServer, _) => profile(1, 50, 34),
        (ImageKind::Redis, _) => profile(2, 20, 33),
        (ImageKind::Mysql, _) => profile(6, 200, 4_210),
        (ImageKind::Postgres, _) => profile(3, 150, 254),
        (ImageKind::Mongo, _) => profile(8, 150, 1_620),
        (ImageKind::Perl, _) => ResourceProfile {
            busy_cpu_millicores: 990,
            ..profile(0, 0, 52)
        },
        (ImageKind::Interpreter, _) => profile(1, 100, 203),
        (ImageKind::IngressNginx, _) => profile(2, 60, 912),
        // Each request runs a million square roots in PHP: ~6.5 ms of CPU.
        (ImageKind::PhpApache, _) => profile(1, 6_500, 92),
        (ImageKind::MetricsServer, _) => profile(4, 0, 196),
        (ImageKind::LocalPathProvisioner, _) => profile(1, 0, 82),
        (ImageKind::LogCollector, _) => profile(3, 0, 842),
        (ImageKind::HelloWorld, _) | (ImageKind::Pause, _) => profile(0, 0, 3),
        (ImageKind::Generic, _) => profile(1, 20, 52),
    }
}

#[cfg(test)]
mod trap_tests {
    #[test]
    fn a_shell_exits_on_sigterm_only_through_a_trap_that_exits() {
        let trap =
            |script: &str| super::shell_trap_on_term(script).map(|e| (e.code, e.after_millis));
        assert_eq!(
            trap("trap 'echo bye; exit 0' TERM; while true; do sleep 1; done"),
            Some((0, 1000))
        );
        assert_eq!(trap("trap \"exit 3\" SIGTERM; sleep 2"), Some((3, 2000)));
        assert_eq!(trap("while true; do sleep 1; done"), None);
        // Not a trap, a trap of another signal, a trap that does not exit, a reset.
        assert_eq!(
            trap("echo \"it's a trap \"; trap 'exit 0' TERM; sleep 5"),
            Some((0, 5000))
        );
        assert_eq!(trap("entrap 'exit 0' TERM; sleep 5"), None);
        assert_eq!(trap("trap 'exit 0' INT; sleep 5"), None);
        assert_eq!(trap("trap 'echo ignored' TERM; sleep 5"), None);
        assert_eq!(trap("trap 'exit 0' TERM; trap - TERM; sleep 5"), None);
        // Unterminated quotes and odd sleeps never panic.
        assert_eq!(trap("trap 'exit 0 TERM"), None);
        assert_eq!(trap("trap 'exit' 15; sleep nan; sleep inf"), Some((0, 100)));
    }
}
