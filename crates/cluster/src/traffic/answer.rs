//! What a listening container answers to an HTTP request: the status from its program's
//! behaviour (nginx 404s unknown paths, agnhost `liveness` turns to 500) and the body of its
//! site — the files of its web root when there are any (a `kubectl exec … > index.html`, a
//! ConfigMap or a claim mounted there), else the image's default page.

use super::Client;
use crate::kubelet::listeners::RunningListener;
use crate::runtime::network::HttpRequest;
use crate::runtime::programs::{HttpBehaviour, Site};
use crate::SimTime;

const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

fn nginx_error(status: u16, reason: &str) -> String {
    format!(
        "<html>\n<head><title>{status} {reason}</title></head>\n<body>\n<center><h1>{status} {reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
    )
}

/// The version hello-app prints for its image tag (`1.0` → `1.0.0`).
fn hello_app_version(image: &str) -> String {
    let tag = image
        .rsplit_once(':')
        .map(|(_, t)| t)
        .filter(|t| !t.contains('/'))
        .unwrap_or("1.0");
    match tag.matches('.').count() {
        0 => format!("{tag}.0.0"),
        1 => format!("{tag}.0"),
        _ => tag.to_string(),
    }
}

/// `-text=apple` / `-text apple` of hashicorp/http-echo.
fn echo_text(arguments: &[String]) -> Option<String> {
    let mut iter = arguments.iter();
    while let Some(argument) = iter.next() {
        for prefix in ["-text=", "--text="] {
            if let Some(text) = argument.strip_prefix(prefix) {
                return Some(text.to_string());
            }
        }
        if argument == "-text" || argument == "--text" {
            return iter.next().cloned();
        }
    }
    None
}

/// (status, body).
pub(super) fn respond(
    listener: &RunningListener,
    request: &HttpRequest,
    client: &Client,
    port: u16,
    now: SimTime,
) -> (u16, String) {
    let path = request.path.split('?').next().unwrap_or("/");
    match listener.site {
        Site::NginxWelcome | Site::HttpdItWorks => {
            let file = if path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            let served = crate::kubelet::listeners::WEB_ROOTS
                .iter()
                .find_map(|root| listener.web_root.get(&format!("{root}{file}")));
            if let Some(contents) = served {
                return (200, contents.clone());
            }
            let default_page = matches!(path, "/" | "/index.html");
            match (listener.site, default_page) {
                (Site::NginxWelcome, true) => (200, NGINX_WELCOME.to_string()),
                (Site::NginxWelcome, false) => (404, nginx_error(404, "Not Found")),
                (_, true) => (
                    200,
                    "<html><body><h1>It works!</h1></body></html>\n".to_string(),
                ),
                (_, false) => (
                    404,
                    "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n".to_string(),
                ),
            }
        }
        _ => {
            let status = match listener.http {
                HttpBehaviour::HealthyFor(millis) if now.since(listener.started_at).0 >= millis => {
                    500
                }
                _ => 200,
            };
            let body = match listener.site {
                Site::HelloApp => format!(
                    "Hello, world!\nVersion: {}\nHostname: {}\n",
                    hello_app_version(&listener.image),
                    listener.hostname
                ),
                Site::Hostname => match echo_text(&listener.arguments) {
                    Some(text) => format!("{text}\n"),
                    None => listener.hostname.clone(),
                },
                Site::Echo => {
                    let host = request
                        .host_header
                        .clone()
                        .unwrap_or_else(|| format!("{}:{}", request.host, request.port));
                    format!(
                        "\n\nHostname: {}\n\nPod Information:\n\t-no pod information available-\n\nServer values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\nRequest Information:\n\tclient_address={}\n\tmethod=GET\n\treal path={path}\n\tquery={}\n\trequest_version=1.1\n\trequest_scheme=http\n\trequest_uri=http://{}:{port}{}\n\nRequest Headers:\n\taccept=*/*\n\thost={host}\n\tuser-agent={}\n\nRequest Body:\n\t-no body in request-\n\n",
                        listener.hostname,
                        client.address,
                        request.path.split_once('?').map_or("", |(_, q)| q),
                        listener.pod_ip,
                        request.path,
                        request.user_agent,
                    )
                }
                Site::PhpApache => "OK!".to_string(),
                _ => String::new(),
            };
            if status == 500 {
                (500, String::new())
            } else {
                (status, body)
            }
        }
    }
}
