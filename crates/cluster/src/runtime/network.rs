//! What a container's network tools see: a [`Network`] (implemented by the cluster's traffic
//! module over a snapshot of the store) answers name lookups and HTTP requests, and the
//! commands here — busybox `wget` and `nslookup`, `curl` — print what the real tools print.
//!
//! A shell reaches the network through its [`NetworkHandle`], valid up to an instant: the
//! kubelet runs programs ahead of the clock, so a network command later than that instant makes
//! the shell stop there (see `Progress::NeedsClusterAt`) until the cluster's clock gets there
//! and the kubelet resumes it with a fresh view.

use std::rc::Rc;

use super::shell_commands::CommandOutcome;
use super::shell_vm::ShellState;
pub use crate::certificates::Certificate;
use crate::SimTime;

/// Commands that touch the network (a shell waits for the clock before running them).
pub const NETWORK_TOOLS: &[&str] = &["wget", "curl", "nslookup", "nc", "ping", "dig", "telnet"];

/// The answer to a name lookup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The fully qualified name found and its addresses.
    Addresses {
        name: String,
        addresses: Vec<String>,
    },
    /// An ExternalName Service: the name it is an alias of (which this cluster cannot resolve
    /// further: there is no internet).
    Alias {
        name: String,
        target: String,
    },
    /// SRV records (`nslookup -type=srv _http._tcp.web`).
    Services {
        name: String,
        records: Vec<ServiceRecord>,
    },
    NotFound,
    /// The DNS server could not be reached (a NetworkPolicy denies the client's egress to it).
    Unreachable,
}

/// One SRV record: where a named port of a Service is served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    pub target: String,
}

/// An HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub host: String,
    pub port: u16,
    pub path: String,
    /// `Host:` header override (`curl -H "Host: shop.example"`).
    pub host_header: Option<String>,
    pub user_agent: String,
    /// `https://`: the client expects a TLS handshake first.
    pub tls: bool,
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpOutcome {
    Response {
        /// The address connected to (`10.96.12.3`).
        address: String,
        status: u16,
        body: String,
        /// The pod that answered (`default/web-7d4b9c8f5-x2x4q`).
        served_by: String,
        /// The certificate the server presented, over TLS.
        certificate: Option<Certificate>,
    },
    /// `https://` to a server that speaks plain HTTP on that port.
    NotTls { address: String },
    /// The connection was accepted and closed without an answer (a `kubectl port-forward` to a
    /// pod port nothing listens on).
    EmptyReply { address: String },
    /// The name did not resolve.
    UnknownHost,
    /// Connection refused (nothing listening, or a Service without ready endpoints).
    Refused { address: String },
    /// The packets were dropped (a NetworkPolicy, `externalTrafficPolicy: Local` on a node
    /// without endpoints, a Service port that does not exist).
    TimedOut { address: String },
}

/// The network as one client sees it.
pub trait Network {
    fn lookup(&self, name: &str) -> Lookup;
    /// SRV records for `name` (same search path as [`Network::lookup`]).
    fn lookup_services(&self, name: &str) -> Lookup;
    fn request(&self, request: &HttpRequest) -> HttpOutcome;
    /// The cluster DNS server's address (what `nslookup` prints as its server).
    fn dns_server(&self) -> String;
    /// The pods (`namespace/name`) that answered requests since the last call (the work they
    /// did shows in their CPU use).
    fn take_served(&self) -> Vec<String> {
        Vec::new()
    }
    /// The sender's clock has reached `now` (a shell that slept between requests): what
    /// remembers time per connection (kube-proxy's ClientIP affinity) counts from it. The
    /// view of Services and endpoints stays the one the handle was made with.
    fn clock_at(&self, _now: SimTime) {}
}

/// A shell's access to the network.
#[derive(Clone, Default)]
pub struct NetworkHandle {
    pub network: Option<Rc<dyn Network>>,
    /// The view is of the cluster at this instant; commands later than it wait.
    pub valid_until: SimTime,
}

impl std::fmt::Debug for NetworkHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetworkHandle")
            .field("connected", &self.network.is_some())
            .field("valid_until", &self.valid_until)
            .finish()
    }
}

impl NetworkHandle {
    pub fn new(network: Rc<dyn Network>, valid_until: SimTime) -> NetworkHandle {
        NetworkHandle {
            network: Some(network),
            valid_until,
        }
    }
}

/// The reason phrase of a status code.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// A URL split as the tools split it: (scheme, host, port, path).
pub fn parse_url(url: &str) -> Option<(String, String, u16, String)> {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("http".to_string(), url),
    };
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let default_port = if scheme == "https" { 443 } else { 80 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, port.parse().ok()?),
        None => (authority, default_port),
    };
    if host.is_empty() {
        return None;
    }
    Some((scheme, host.to_string(), port, path))
}

fn outcome(output: String, errors: String, status: i32) -> CommandOutcome {
    CommandOutcome {
        output,
        errors,
        status,
        ..Default::default()
    }
}

fn network_of(state: &ShellState) -> Option<Rc<dyn Network>> {
    state.network.network.clone()
}

/// busybox `wget [-q] [-O FILE|-] [-T SEC] [--header H] URL`.
pub fn wget(args: &[String], state: &mut ShellState) -> CommandOutcome {
    let mut quiet = false;
    let mut output_file: Option<String> = None;
    let mut spider = false;
    let mut host_header = None;
    let mut url = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-q" => quiet = true,
            "-qO-" | "-qO" | "-Oq-" => {
                quiet = true;
                output_file = Some(if arg == "-qO" {
                    iter.next().cloned().unwrap_or_default()
                } else {
                    "-".into()
                });
            }
            "-O" => output_file = iter.next().cloned(),
            "-O-" => output_file = Some("-".into()),
            "--spider" => spider = true,
            "-T" | "--timeout" | "-t" | "--tries" | "-U" | "--user-agent" => {
                iter.next();
            }
            "--header" => {
                if let Some(header) = iter.next() {
                    if let Some((name, value)) = header.split_once(':') {
                        if name.trim().eq_ignore_ascii_case("host") {
                            host_header = Some(value.trim().to_string());
                        }
                    }
                }
            }
            other if other.starts_with("-O") => output_file = Some(other[2..].to_string()),
            other if other.starts_with('-') && other.len() > 1 => {
                if other.contains('q') {
                    quiet = true;
                }
            }
            other => url = Some(other.to_string()),
        }
    }
    let Some(url) = url else {
        return outcome(
            String::new(),
            "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n".into(),
            1,
        );
    };
    let Some((scheme, host, port, path)) = parse_url(&url) else {
        return outcome(
            String::new(),
            format!("wget: not an http or ftp url: {url}\n"),
            1,
        );
    };
    let Some(network) = network_of(state) else {
        return outcome(String::new(), format!("wget: bad address '{host}'\n"), 1);
    };
    let request = HttpRequest {
        host: host.clone(),
        port,
        path,
        host_header,
        user_agent: "Wget".into(),
        tls: scheme == "https",
    };
    match network.request(&request) {
        HttpOutcome::UnknownHost => {
            outcome(String::new(), format!("wget: bad address '{host}'\n"), 1)
        }
        HttpOutcome::Refused { address } => outcome(
            String::new(),
            format!(
                "{}wget: can't connect to remote host ({address}): Connection refused\n",
                connecting(quiet, &host, &address, port)
            ),
            1,
        ),
        HttpOutcome::TimedOut { address } => outcome(
            String::new(),
            format!(
                "{}wget: download timed out\n",
                connecting(quiet, &host, &address, port)
            ),
            1,
        ),
        HttpOutcome::NotTls { address } | HttpOutcome::EmptyReply { address } => outcome(
            String::new(),
            format!(
                "{}wget: error getting response: Connection reset by peer\n",
                connecting(quiet, &host, &address, port)
            ),
            1,
        ),
        HttpOutcome::Response {
            address,
            status,
            body,
            ..
        } => {
            let mut errors = connecting(quiet, &host, &address, port);
            if status >= 400 {
                errors.push_str(&format!(
                    "wget: server returned error: HTTP/1.1 {status} {}\n",
                    reason_phrase(status)
                ));
                return outcome(String::new(), errors, 1);
            }
            if spider {
                if !quiet {
                    errors.push_str("remote file exists\n");
                }
                return outcome(String::new(), errors, 0);
            }
            let target = output_file.unwrap_or_else(|| {
                let name = request.path.rsplit('/').next().unwrap_or("");
                if name.is_empty() {
                    "index.html".into()
                } else {
                    name.to_string()
                }
            });
            let size = body.len();
            if target == "-" {
                if quiet {
                    return outcome(body, errors, 0);
                }
                // busybox interleaves its progress (stderr) around the body (stdout); the shell
                // here keeps one order per command, so all of it goes out in that order.
                outcome(
                    format!(
                        "{errors}writing to stdout\n{body}-                    100% |********************************|   {size}  0:00:00 ETA\nwritten to stdout\n"
                    ),
                    String::new(),
                    0,
                )
            } else {
                if state.files.contains_key(&target) && !quiet {
                    // busybox refuses to overwrite without -O.
                }
                state.write_file(&target, &body, false);
                if !quiet {
                    errors.push_str(&format!(
                        "saving to '{target}'\n{target:<20} 100% |********************************|   {size}  0:00:00 ETA\n'{target}' saved\n"
                    ));
                }
                outcome(String::new(), errors, 0)
            }
        }
    }
}

fn connecting(quiet: bool, host: &str, address: &str, port: u16) -> String {
    if quiet {
        String::new()
    } else {
        format!("Connecting to {host} ({address}:{port})\n")
    }
}

/// `curl [-s] [-S] [-i] [-I] [-o FILE] [-H H] [-m SEC] [-f] URL`.
pub fn curl(args: &[String], state: &mut ShellState) -> CommandOutcome {
    // `-s` hides curl's error message (unless `-S`); `-w` writes its format even when the
    // transfer fails (`%{http_code}` is then 000).
    let mut silent = false;
    let mut show_error = false;
    let mut write_out: Option<String> = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-s" | "--silent" => silent = true,
            "-S" | "--show-error" => show_error = true,
            "-w" | "--write-out" => write_out = iter.next().cloned(),
            "-o" | "--output" | "-H" | "--header" | "-m" | "--max-time" | "--connect-timeout"
            | "-A" | "--user-agent" | "-X" => {
                iter.next();
            }
            other if other.starts_with('-') && !other.starts_with("--") => {
                silent |= other.contains('s');
                show_error |= other.contains('S');
            }
            _ => {}
        }
    }
    let mut result = curl_transfer(args, state, write_out.as_deref());
    if result.status != 0 {
        if let Some(format) = &write_out {
            result.output.push_str(&render_write_out(format, 0));
        }
        if silent && !show_error {
            result.errors.clear();
        }
    }
    result
}

/// curl's `-w` format: `%{http_code}` (and `%{response_code}`) as three digits, `\n` and
/// `\t` as a newline and a tab.
fn render_write_out(format: &str, status: u16) -> String {
    format
        .replace("%{http_code}", &format!("{status:03}"))
        .replace("%{response_code}", &format!("{status:03}"))
        .replace("\\n", "\n")
        .replace("\\t", "\t")
}

fn curl_transfer(
    args: &[String],
    state: &mut ShellState,
    write_out: Option<&str>,
) -> CommandOutcome {
    let mut include_headers = false;
    let mut head_only = false;
    let mut fail_on_error = false;
    let mut output_file: Option<String> = None;
    let mut host_header = None;
    let mut insecure = false;
    let mut verbose = false;
    let mut url = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-i" | "--include" => include_headers = true,
            "-I" | "--head" => head_only = true,
            "-f" | "--fail" => fail_on_error = true,
            "-k" | "--insecure" => insecure = true,
            "-v" | "--verbose" => verbose = true,
            "-o" | "--output" => output_file = iter.next().cloned(),
            "-H" | "--header" => {
                if let Some(header) = iter.next() {
                    if let Some((name, value)) = header.split_once(':') {
                        if name.trim().eq_ignore_ascii_case("host") {
                            host_header = Some(value.trim().to_string());
                        }
                    }
                }
            }
            "-w" | "--write-out" => {
                iter.next();
            }
            "-m" | "--max-time" | "--connect-timeout" | "-A" | "--user-agent" | "-X" => {
                iter.next();
            }
            other if other.starts_with('-') && other.len() > 1 => {
                for flag in other[1..].chars() {
                    match flag {
                        'i' => include_headers = true,
                        'I' => head_only = true,
                        'f' => fail_on_error = true,
                        'k' => insecure = true,
                        'v' => verbose = true,
                        _ => {}
                    }
                }
            }
            other => url = Some(other.to_string()),
        }
    }
    let Some(url) = url else {
        return outcome(
            String::new(),
            "curl: try 'curl --help' or 'curl --manual' for more information\n".into(),
            2,
        );
    };
    let Some((scheme, host, port, path)) = parse_url(&url) else {
        return outcome(
            String::new(),
            format!(
                "curl: (1) Protocol \"{}\" not supported\n",
                url.split("://").next().unwrap_or("")
            ),
            1,
        );
    };
    let Some(network) = network_of(state) else {
        return outcome(
            String::new(),
            format!("curl: (6) Could not resolve host: {host}\n"),
            6,
        );
    };
    let request = HttpRequest {
        host: host.clone(),
        port,
        path,
        host_header,
        user_agent: "curl/8.5.0".into(),
        tls: scheme == "https",
    };
    match network.request(&request) {
        HttpOutcome::UnknownHost => {
            outcome(String::new(), format!("curl: (6) Could not resolve host: {host}\n"), 6)
        }
        HttpOutcome::Refused { .. } => outcome(
            String::new(),
            format!(
                "curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n"
            ),
            7,
        ),
        HttpOutcome::TimedOut { .. } => outcome(
            String::new(),
            format!(
                "curl: (28) Failed to connect to {host} port {port} after 10000 ms: Timeout was reached\n"
            ),
            28,
        ),
        HttpOutcome::NotTls { .. } => outcome(
            String::new(),
            "curl: (35) OpenSSL/3.0.13: error:0A00010B:SSL routines::wrong version number\n"
                .into(),
            35,
        ),
        HttpOutcome::EmptyReply { .. } => outcome(
            String::new(),
            "curl: (52) Empty reply from server\n".into(),
            52,
        ),
        HttpOutcome::Response {
            status,
            body,
            address,
            certificate,
            ..
        } => {
            let mut trace = String::new();
            if let Some(certificate) = &certificate {
                let (problem, code) = if certificate.self_signed() {
                    ("self-signed certificate", 18)
                } else {
                    ("unable to get local issuer certificate", 20)
                };
                if verbose {
                    trace.push_str(&format!(
                        "*   Trying {address}:{port}...\n* Connected to {host} ({address}) port {port}\n* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384 / X25519 / RSASSA-PSS\n* Server certificate:\n*  subject: {}\n*  start date: {}\n*  expire date: {}\n*  issuer: {}\n",
                        certificate.subject,
                        certificate.start_date,
                        certificate.expire_date,
                        certificate.issuer
                    ));
                }
                if !insecure {
                    trace.push_str(&format!(
                        "curl: (60) SSL certificate problem: {problem}\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the webpage mentioned above.\n"
                    ));
                    return outcome(String::new(), trace, 60);
                }
                if verbose {
                    trace.push_str(&format!(
                        "*  SSL certificate verify result: {problem} ({code}), continuing anyway.\n"
                    ));
                }
            }
            if fail_on_error && status >= 400 {
                trace.push_str(&format!(
                    "curl: (22) The requested URL returned error: {status}\n"
                ));
                return outcome(String::new(), trace, 22);
            }
            let headers = format!(
                "HTTP/1.1 {status} {}\ncontent-length: {}\n\n",
                reason_phrase(status),
                body.len()
            );
            let text = if head_only {
                headers
            } else if include_headers {
                format!("{headers}{body}")
            } else {
                body
            };
            // `-w` writes to stdout whatever `-o` does with the body.
            let written_out = write_out
                .map(|format| render_write_out(format, status))
                .unwrap_or_default();
            match output_file {
                Some(file) if file != "-" => {
                    if file != "/dev/null" {
                        state.write_file(&file, &text, false);
                    }
                    outcome(written_out, trace, 0)
                }
                _ => outcome(text + &written_out, trace, 0),
            }
        }
    }
}

/// busybox `nslookup NAME [SERVER]`.
pub fn nslookup(args: &[String], state: &mut ShellState) -> CommandOutcome {
    let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
        return outcome(
            String::new(),
            "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n".into(),
            1,
        );
    };
    let Some(network) = network_of(state) else {
        return outcome(
            String::new(),
            ";; connection timed out; no servers could be reached\n\n".into(),
            1,
        );
    };
    let server = network.dns_server();
    let header = format!("Server:\t\t{server}\nAddress:\t{server}:53\n\n");
    let query_type = args
        .iter()
        .find_map(|a| {
            a.strip_prefix("-type=")
                .or_else(|| a.strip_prefix("-query="))
                .or_else(|| a.strip_prefix("-t="))
        })
        .map(str::to_ascii_lowercase)
        .unwrap_or_else(|| "a".into());
    let answer = match query_type.as_str() {
        "a" | "any" => network.lookup(name),
        "srv" => network.lookup_services(name),
        "aaaa" | "mx" | "txt" | "ns" | "ptr" | "soa" | "cname" => match network.lookup(name) {
            // The cluster's names have only A (and SRV) records: the name exists, the answer
            // is empty.
            Lookup::Addresses { name, .. } => {
                return outcome(
                    format!("{header}*** Can't find {name}: No answer\n\n"),
                    String::new(),
                    1,
                )
            }
            other => other,
        },
        other => {
            return outcome(
                String::new(),
                format!("nslookup: invalid query type '{other}'\n"),
                1,
            )
        }
    };
    match answer {
        Lookup::Services { name, records } => {
            let mut text = header;
            for record in records {
                text.push_str(&format!(
                    "{name}\tservice = {} {} {} {}\n",
                    record.priority, record.weight, record.port, record.target
                ));
            }
            text.push('\n');
            outcome(text, String::new(), 0)
        }
        Lookup::Addresses { name, addresses } => {
            let mut text = header;
            for address in addresses {
                text.push_str(&format!("Name:\t{name}\nAddress: {address}\n"));
            }
            text.push('\n');
            outcome(text, String::new(), 0)
        }
        Lookup::Alias { name, target } => outcome(
            format!("{header}{name}\tcanonical name = {target}\n\n"),
            String::new(),
            0,
        ),
        Lookup::NotFound => outcome(
            format!("{header}** server can't find {name}: NXDOMAIN\n\n"),
            String::new(),
            1,
        ),
        Lookup::Unreachable => outcome(
            ";; connection timed out; no servers could be reached\n\n".to_string(),
            String::new(),
            1,
        ),
    }
}

/// `nc -z [-v] [-w SEC] HOST PORT`: whether something accepts connections.
pub fn nc(args: &[String], state: &mut ShellState) -> CommandOutcome {
    let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let verbose = args.iter().any(|a| a.starts_with('-') && a.contains('v'));
    let (Some(host), Some(port)) = (
        words.first(),
        words.get(1).and_then(|p| p.parse::<u16>().ok()),
    ) else {
        return outcome(
            String::new(),
            "nc: only listening (-l) with a port is not simulated; use nc -z HOST PORT\n".into(),
            1,
        );
    };
    let Some(network) = network_of(state) else {
        return outcome(String::new(), format!("nc: bad address '{host}'\n"), 1);
    };
    let request = HttpRequest {
        host: host.to_string(),
        port,
        path: "/".into(),
        host_header: None,
        user_agent: "nc".into(),
        tls: false,
    };
    match network.request(&request) {
        HttpOutcome::Response { address, .. } => outcome(
            String::new(),
            if verbose {
                format!("{host} ({address}:{port}) open\n")
            } else {
                String::new()
            },
            0,
        ),
        HttpOutcome::UnknownHost => {
            outcome(String::new(), format!("nc: bad address '{host}'\n"), 1)
        }
        HttpOutcome::Refused { .. } => outcome(String::new(), String::new(), 1),
        HttpOutcome::NotTls { .. } | HttpOutcome::EmptyReply { .. } => {
            outcome(String::new(), String::new(), 0)
        }
        HttpOutcome::TimedOut { .. } => outcome(String::new(), "nc: timed out\n".into(), 1),
    }
}
