//! The simulated registry: which image references parse, which exist, and what a failed pull
//! says.
//!
//! Policy (generous, so tutorials never break, but typos fail as they do for real):
//! - A reference that does not parse (`<your-private-image>`, upper case, spaces) is
//!   `InvalidImageName`.
//! - Registries we know (`docker.io`, `registry.k8s.io`, `k8s.gcr.io`, `gcr.io`, `quay.io`,
//!   `ghcr.io`, `mcr.microsoft.com`, `public.ecr.aws`, `*.pkg.dev`, `registry.gitlab.com`) are
//!   reachable; any other host (`myregistry.example`, `localhost:5000`) fails with
//!   `no such host`.
//! - On Docker Hub, official images (`nginx`, `busybox`, … one-word names) exist only if they
//!   are in [`OFFICIAL_IMAGES`]; `user/repo` images exist (there are too many to list). On the
//!   other registries every repository exists.
//! - A tag exists if it is `latest`, version-like (`1.27`, `v2.1.0`, `5.34.0-slim`), or made of
//!   well-known variant words (`alpine`, `stable-alpine`, `bookworm`, `jammy`, …); anything else
//!   (`doesnotexist`, `latets`) is `not found`. Digests (`@sha256:…`) always exist.

/// One-word Docker Hub names that exist (Docker's official images that tutorials use).
pub const OFFICIAL_IMAGES: &[&str] = &[
    "alpine",
    "amazonlinux",
    "bash",
    "busybox",
    "caddy",
    "cassandra",
    "centos",
    "consul",
    "couchbase",
    "couchdb",
    "debian",
    "docker",
    "eclipse-temurin",
    "elasticsearch",
    "fedora",
    "fluentd",
    "gcc",
    "ghost",
    "golang",
    "gradle",
    "haproxy",
    "hello-world",
    "httpd",
    "influxdb",
    "jenkins",
    "kibana",
    "logstash",
    "mariadb",
    "maven",
    "memcached",
    "mongo",
    "mongo-express",
    "mysql",
    "neo4j",
    "nextcloud",
    "nginx",
    "node",
    "openjdk",
    "perl",
    "php",
    "postgres",
    "python",
    "rabbitmq",
    "redis",
    "registry",
    "rockylinux",
    "ruby",
    "rust",
    "solr",
    "sonarqube",
    "tomcat",
    "traefik",
    "ubuntu",
    "vault",
    "wordpress",
    "zookeeper",
];

/// Registries the simulated nodes can reach.
const KNOWN_REGISTRIES: &[&str] = &[
    "docker.io",
    "registry-1.docker.io",
    "index.docker.io",
    "registry.k8s.io",
    "k8s.gcr.io",
    "gcr.io",
    "quay.io",
    "ghcr.io",
    "mcr.microsoft.com",
    "public.ecr.aws",
    "registry.gitlab.com",
];

/// Words tags are commonly made of (`stable-alpine`, `5.34-slim-bookworm`).
const TAG_WORDS: &[&str] = &[
    "latest",
    "stable",
    "mainline",
    "alpine",
    "slim",
    "edge",
    "bookworm",
    "bullseye",
    "buster",
    "trixie",
    "jammy",
    "focal",
    "noble",
    "bionic",
    "musl",
    "glibc",
    "uclibc",
    "perl",
    "otel",
    "lts",
    "current",
    "unstable",
    "rolling",
    "devel",
    "fpm",
    "apache",
    "management",
    "jdk",
    "jre",
    "temurin",
    "debian",
    "ubuntu",
    "windowsservercore",
    "nanoserver",
    "root",
    "nonroot",
    "debug",
    "distroless",
    "amd64",
    "arm64",
    "cli",
    "oracle",
    "community",
    "enterprise",
    "server",
];

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageReference {
    /// `docker.io`, `registry.k8s.io`, `localhost:5000`.
    pub registry: String,
    /// `library/nginx`, `google-samples/hello-app`.
    pub repository: String,
    /// `latest` when none was given.
    pub tag: String,
    pub digest: Option<String>,
}

impl ImageReference {
    /// `docker.io/library/nginx:1.27` (with `@digest` when one was given).
    pub fn full_name(&self) -> String {
        let mut text = format!("{}/{}", self.registry, self.repository);
        if self.digest.is_none() || self.tag != "latest" {
            text.push(':');
            text.push_str(&self.tag);
        }
        if let Some(digest) = &self.digest {
            text.push('@');
            text.push_str(digest);
        }
        text
    }

    /// The last path component: `nginx`, `hello-app`, `echoserver`.
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

/// What the kubelet's image pull can fail with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PullFailure {
    /// The tag (or repository) does not exist.
    NotFound,
    /// Docker Hub's answer for a repository that is not there (or is private).
    AccessDenied,
    /// The registry's host name does not resolve.
    NoSuchHost,
}

fn valid_component(component: &str) -> bool {
    // [a-z0-9]+ separated by '.', '_', '__' or '-' runs.
    !component.is_empty()
        && component
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        && component.starts_with(|c: char| c.is_ascii_alphanumeric())
        && component.ends_with(|c: char| c.is_ascii_alphanumeric())
}

fn valid_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 128
        && tag.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// Parses an image reference as the container runtime's default-tag step does, or says why not
/// (the `couldn't parse image name` of `InvalidImageName`).
pub fn parse_reference(image: &str) -> Result<ImageReference, String> {
    let invalid = || "invalid reference format".to_string();
    if image.is_empty() || image.len() > 255 {
        return Err(invalid());
    }
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => {
            let valid = d
                .strip_prefix("sha256:")
                .is_some_and(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()));
            if !valid {
                return Err(invalid());
            }
            (r, Some(d.to_string()))
        }
        None => (image, None),
    };
    let (name, tag) = match rest.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n, t.to_string()),
        _ => (rest, "latest".to_string()),
    };
    if !valid_tag(&tag) {
        return Err(invalid());
    }
    let mut components: Vec<&str> = name.split('/').collect();
    let first = components[0];
    let has_host = components.len() > 1
        && (first.contains('.') || first.contains(':') || first == "localhost");
    let registry = if has_host {
        components.remove(0);
        let host_ok = first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c));
        if !host_ok {
            return Err(invalid());
        }
        first.to_string()
    } else {
        "docker.io".to_string()
    };
    if components.is_empty() || !components.iter().all(|c| valid_component(c)) {
        if name.chars().any(|c| c.is_ascii_uppercase()) && !has_host {
            return Err("repository name must be lowercase".to_string());
        }
        return Err(invalid());
    }
    let mut repository = components.join("/");
    if registry == "docker.io" && components.len() == 1 {
        repository = format!("library/{repository}");
    }
    Ok(ImageReference {
        registry,
        repository,
        tag,
        digest,
    })
}

fn tag_exists(tag: &str) -> bool {
    let version_like = {
        let t = tag.strip_prefix('v').unwrap_or(tag);
        t.starts_with(|c: char| c.is_ascii_digit())
    };
    version_like
        || tag
            .split(['-', '_', '.'])
            .all(|word| TAG_WORDS.contains(&word) || word.chars().all(|c| c.is_ascii_digit()))
}

/// Whether pulling `reference` succeeds in the simulated world.
pub fn pull(reference: &ImageReference) -> Result<(), PullFailure> {
    let registry = reference.registry.as_str();
    let known_registry = KNOWN_REGISTRIES.contains(&registry)
        || registry.ends_with(".pkg.dev")
        || registry.ends_with(".amazonaws.com")
        || registry.ends_with(".azurecr.io");
    if !known_registry {
        return Err(PullFailure::NoSuchHost);
    }
    if registry == "docker.io" {
        if let Some(official) = reference.repository.strip_prefix("library/") {
            if !OFFICIAL_IMAGES.contains(&official) {
                return Err(PullFailure::AccessDenied);
            }
        }
    }
    if reference.digest.is_some() || tag_exists(&reference.tag) {
        Ok(())
    } else {
        Err(PullFailure::NotFound)
    }
}

/// The kubelet's `Failed` event text for a failed pull of `image` (as written in the spec),
/// containerd's wording.
pub fn pull_failure_message(
    image: &str,
    reference: &ImageReference,
    failure: &PullFailure,
) -> String {
    let full = reference.full_name();
    let detail = match failure {
        PullFailure::NotFound => {
            return format!("Failed to pull image \"{image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found")
        }
        PullFailure::AccessDenied => "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed".to_string(),
        PullFailure::NoSuchHost => format!(
            "failed to do request: Head \"https://{}/v2/{}/manifests/{}\": dial tcp: lookup {} on 127.0.0.53:53: no such host",
            reference.registry,
            reference.repository,
            reference.tag,
            reference.registry.split(':').next().unwrap_or(&reference.registry)
        ),
    };
    format!("Failed to pull image \"{image}\": rpc error: code = Unknown desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {detail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    type Case = (
        &'static str,
        Result<&'static str, &'static str>,
        Result<(), PullFailure>,
    );

    #[test]
    fn references_parse_and_resolve_as_the_policy_says() {
        let cases: &[Case] = &[
            ("nginx", Ok("docker.io/library/nginx:latest"), Ok(())),
            ("nginx:1.14.2", Ok("docker.io/library/nginx:1.14.2"), Ok(())),
            (
                "nginx:stable-alpine",
                Ok("docker.io/library/nginx:stable-alpine"),
                Ok(()),
            ),
            (
                "nginx:doesnotexist",
                Ok("docker.io/library/nginx:doesnotexist"),
                Err(PullFailure::NotFound),
            ),
            (
                "nginx:latets",
                Ok("docker.io/library/nginx:latets"),
                Err(PullFailure::NotFound),
            ),
            (
                "ngnix",
                Ok("docker.io/library/ngnix:latest"),
                Err(PullFailure::AccessDenied),
            ),
            (
                "registry.k8s.io/echoserver:1.4",
                Ok("registry.k8s.io/echoserver:1.4"),
                Ok(()),
            ),
            (
                "gcr.io/google-samples/hello-app:2.0",
                Ok("gcr.io/google-samples/hello-app:2.0"),
                Ok(()),
            ),
            (
                "myregistry.example/x",
                Ok("myregistry.example/x:latest"),
                Err(PullFailure::NoSuchHost),
            ),
            (
                "localhost:5000/app:v1",
                Ok("localhost:5000/app:v1"),
                Err(PullFailure::NoSuchHost),
            ),
            (
                "bitnami/redis:7.2",
                Ok("docker.io/bitnami/redis:7.2"),
                Ok(()),
            ),
            ("perl:5.34.0", Ok("docker.io/library/perl:5.34.0"), Ok(())),
            ("busybox:1.28", Ok("docker.io/library/busybox:1.28"), Ok(())),
        ];
        for (image, parsed, pulled) in cases {
            let reference = parse_reference(image);
            assert_eq!(
                reference
                    .as_ref()
                    .map(ImageReference::full_name)
                    .map_err(|e| e.as_str()),
                parsed.map(str::to_string),
                "{image}"
            );
            if let Ok(reference) = reference {
                assert_eq!(&pull(&reference), pulled, "{image}");
            }
        }
        for bad in [
            "<your-private-image>",
            "nginx:",
            "my image",
            "a//b",
            ":tag",
            "x@sha256:12",
        ] {
            assert_eq!(
                parse_reference(bad),
                Err("invalid reference format".to_string()),
                "{bad}"
            );
        }
        assert_eq!(
            parse_reference("MyApp"),
            Err("repository name must be lowercase".to_string())
        );
    }
}
