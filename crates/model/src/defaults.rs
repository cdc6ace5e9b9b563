//! Defaulting as the API server does it before storing an object (SetDefaults_* upstream), so
//! that `kubectl get -o yaml` shows what a real cluster shows: `replicas: 1`, the RollingUpdate
//! strategy with 25%/25%, `imagePullPolicy`, `terminationMessagePath`, `dnsPolicy`, … Allocation
//! (cluster IPs, node ports) is the cluster's business, not defaulting.

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::Object;

fn set<T>(field: &mut Option<T>, value: T) {
    if field.is_none() {
        *field = Some(value);
    }
}

fn set_str(field: &mut Option<String>, value: &str) {
    set(field, value.to_string());
}

/// `Always` for `:latest` or untagged images, `IfNotPresent` otherwise.
pub fn default_image_pull_policy(image: &str) -> &'static str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let has_digest = image.contains('@');
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    match last.split_once(':') {
        _ if has_digest => "IfNotPresent",
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

fn default_container(container: &mut core::Container) {
    let image = container.image.clone().unwrap_or_default();
    set_str(
        &mut container.image_pull_policy,
        default_image_pull_policy(&image),
    );
    set_str(
        &mut container.termination_message_path,
        "/dev/termination-log",
    );
    set_str(&mut container.termination_message_policy, "File");
    set(&mut container.resources, Default::default());
    for source in container
        .env
        .iter_mut()
        .flatten()
        .filter_map(|env| env.value_from.as_mut())
    {
        default_field_selectors(
            source.field_ref.as_mut(),
            source.resource_field_ref.as_mut(),
        );
    }
    for port in container.ports.iter_mut().flatten() {
        set_str(&mut port.protocol, "TCP");
    }
    for probe in [
        &mut container.liveness_probe,
        &mut container.readiness_probe,
        &mut container.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        set(&mut probe.timeout_seconds, 1);
        set(&mut probe.period_seconds, 10);
        set(&mut probe.success_threshold, 1);
        set(&mut probe.failure_threshold, 3);
        if let Some(http) = probe.http_get.as_mut() {
            set_str(&mut http.path, "/");
            set_str(&mut http.scheme, "HTTP");
        }
    }
}

/// SetDefaults_ObjectFieldSelector (`apiVersion: v1`); a resourceFieldRef's divisor is a plain
/// Quantity upstream, always written, `"0"` when not given.
fn default_field_selectors(
    field_ref: Option<&mut core::ObjectFieldSelector>,
    resource_field_ref: Option<&mut core::ResourceFieldSelector>,
) {
    if let Some(field_ref) = field_ref {
        set_str(&mut field_ref.api_version, "v1");
    }
    if let Some(resource_field_ref) = resource_field_ref {
        set(
            &mut resource_field_ref.divisor,
            k8s_openapi::apimachinery::pkg::api::resource::Quantity("0".into()),
        );
    }
}

/// SetDefaults_Pod: a container (or init container) with limits but no request for a resource
/// requests its limit. Pods only: a workload's pod template keeps what it was given.
fn default_requests_to_limits(spec: &mut core::PodSpec) {
    for container in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        let Some(resources) = container.resources.as_mut() else {
            continue;
        };
        let Some(limits) = resources.limits.as_ref() else {
            continue;
        };
        let requests = resources.requests.get_or_insert_with(Default::default);
        for (resource, limit) in limits {
            requests
                .entry(resource.clone())
                .or_insert_with(|| limit.clone());
        }
    }
}

/// Pod spec defaults (also applied to every workload's pod template).
pub fn default_pod_spec(spec: &mut core::PodSpec) {
    set_str(&mut spec.restart_policy, "Always");
    set_str(&mut spec.dns_policy, "ClusterFirst");
    set_str(&mut spec.scheduler_name, "default-scheduler");
    set(&mut spec.termination_grace_period_seconds, 30);
    set(&mut spec.security_context, Default::default());
    for container in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        default_container(container);
    }
    for volume in spec.volumes.iter_mut().flatten() {
        if let Some(config_map) = volume.config_map.as_mut() {
            set(&mut config_map.default_mode, 0o644);
        }
        if let Some(secret) = volume.secret.as_mut() {
            set(&mut secret.default_mode, 0o644);
        }
        if let Some(host_path) = volume.host_path.as_mut() {
            set_str(&mut host_path.type_, "");
        }
        let projected_downward_apis = volume
            .projected
            .iter_mut()
            .flat_map(|projected| projected.sources.iter_mut().flatten())
            .filter_map(|source| source.downward_api.as_mut())
            .flat_map(|downward| downward.items.iter_mut().flatten());
        for item in volume
            .downward_api
            .iter_mut()
            .flat_map(|downward| downward.items.iter_mut().flatten())
            .chain(projected_downward_apis)
        {
            default_field_selectors(item.field_ref.as_mut(), item.resource_field_ref.as_mut());
        }
    }
}

fn default_template(template: &mut core::PodTemplateSpec) {
    if let Some(spec) = template.spec.as_mut() {
        default_pod_spec(spec);
    }
}

fn percent(p: &str) -> IntOrString {
    IntOrString::String(p.to_string())
}

/// Applies the API server's defaults to a new or updated object.
/// A User or Group subject without an apiGroup is in the RBAC group (SetDefaults_Subject).
fn default_subjects(subjects: Option<&mut Vec<k8s_openapi::api::rbac::v1::Subject>>) {
    for subject in subjects.into_iter().flatten() {
        if matches!(subject.kind.as_str(), "User" | "Group")
            && subject.api_group.as_deref().is_none_or(str::is_empty)
        {
            subject.api_group = Some("rbac.authorization.k8s.io".to_string());
        }
    }
}

pub fn apply_defaults(object: &mut Object) {
    match object {
        Object::Pod(pod) => {
            if let Some(spec) = pod.spec.as_mut() {
                default_pod_spec(spec);
                // A host-network pod's ports are its node's: hostPort defaults to containerPort
                // (pods only; templates keep theirs unset).
                if spec.host_network == Some(true) {
                    for port in spec
                        .containers
                        .iter_mut()
                        .chain(spec.init_containers.iter_mut().flatten())
                        .flat_map(|c| c.ports.iter_mut().flatten())
                    {
                        if port.host_port.unwrap_or(0) == 0 {
                            port.host_port = Some(port.container_port);
                        }
                    }
                }
                default_requests_to_limits(spec);
                set_str(&mut spec.service_account_name, "default");
                set(&mut spec.enable_service_links, true);
                set(&mut spec.priority, 0);
                set_str(&mut spec.preemption_policy, "PreemptLowerPriority");
            }
        }
        Object::Deployment(deployment) => {
            let spec = &mut deployment.spec;
            set(&mut spec.replicas, 1);
            set(&mut spec.revision_history_limit, 10);
            set(&mut spec.progress_deadline_seconds, 600);
            let strategy = spec.strategy.get_or_insert_with(Default::default);
            set_str(&mut strategy.type_, "RollingUpdate");
            if strategy.type_.as_deref() == Some("RollingUpdate") {
                let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
                set(&mut rolling.max_surge, percent("25%"));
                set(&mut rolling.max_unavailable, percent("25%"));
            }
            default_template(&mut spec.template);
        }
        Object::ReplicaSet(replica_set) => {
            set(&mut replica_set.spec.replicas, 1);
            if let Some(template) = replica_set.spec.template.as_mut() {
                default_template(template);
            }
        }
        Object::ReplicationController(controller) => {
            if let Some(spec) = controller.spec.as_mut() {
                set(&mut spec.replicas, 1);
                // An absent selector is the template's labels.
                if spec.selector.is_none() {
                    spec.selector = spec
                        .template
                        .as_ref()
                        .and_then(|t| t.metadata.as_ref())
                        .and_then(|m| m.labels.clone());
                }
                if let Some(template) = spec.template.as_mut() {
                    default_template(template);
                }
            }
        }
        Object::DaemonSet(daemon_set) => {
            let spec = &mut daemon_set.spec;
            set(&mut spec.revision_history_limit, 10);
            let strategy = spec.update_strategy.get_or_insert_with(Default::default);
            set_str(&mut strategy.type_, "RollingUpdate");
            if strategy.type_.as_deref() == Some("RollingUpdate") {
                let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
                set(&mut rolling.max_unavailable, IntOrString::Int(1));
                set(&mut rolling.max_surge, IntOrString::Int(0));
            }
            default_template(&mut spec.template);
        }
        Object::StatefulSet(stateful_set) => {
            let spec = &mut stateful_set.spec;
            set(&mut spec.replicas, 1);
            set(&mut spec.revision_history_limit, 10);
            set_str(&mut spec.pod_management_policy, "OrderedReady");
            let strategy = spec.update_strategy.get_or_insert_with(Default::default);
            set_str(&mut strategy.type_, "RollingUpdate");
            if strategy.type_.as_deref() == Some("RollingUpdate") {
                let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
                set(&mut rolling.partition, 0);
            }
            let retention = spec
                .persistent_volume_claim_retention_policy
                .get_or_insert_with(Default::default);
            set_str(&mut retention.when_deleted, "Retain");
            set_str(&mut retention.when_scaled, "Retain");
            for claim in spec.volume_claim_templates.iter_mut().flatten() {
                if let Some(claim_spec) = claim.spec.as_mut() {
                    set_str(&mut claim_spec.volume_mode, "Filesystem");
                }
            }
            default_template(&mut spec.template);
        }
        Object::Job(job) => {
            if let Some(spec) = job.spec.as_mut() {
                default_job_spec(spec);
            }
        }
        Object::CronJob(cron_job) => {
            let spec = &mut cron_job.spec;
            set_str(&mut spec.concurrency_policy, "Allow");
            set(&mut spec.suspend, false);
            set(&mut spec.successful_jobs_history_limit, 3);
            set(&mut spec.failed_jobs_history_limit, 1);
            if let Some(job_spec) = spec.job_template.spec.as_mut() {
                default_job_spec(job_spec);
            }
        }
        Object::Service(service) => {
            if let Some(spec) = service.spec.as_mut() {
                set_str(&mut spec.type_, "ClusterIP");
                let service_type = spec.type_.clone().unwrap_or_default();
                set_str(&mut spec.session_affinity, "None");
                if service_type != "ExternalName" {
                    set_str(&mut spec.internal_traffic_policy, "Cluster");
                }
                default_session_affinity_config(spec);
                if service_type == "NodePort" || service_type == "LoadBalancer" {
                    set_str(&mut spec.external_traffic_policy, "Cluster");
                }
                if service_type == "LoadBalancer" {
                    set(&mut spec.allocate_load_balancer_node_ports, true);
                }
                for port in spec.ports.iter_mut().flatten() {
                    set_str(&mut port.protocol, "TCP");
                    if port.target_port.is_none() {
                        port.target_port = Some(IntOrString::Int(port.port));
                    }
                }
            }
        }
        Object::LimitRange(limit_range) => {
            for item in limit_range
                .spec
                .iter_mut()
                .flat_map(|s| s.limits.iter_mut())
            {
                default_limit_range_item(item);
            }
        }
        Object::Secret(secret) => {
            set_str(&mut secret.type_, "Opaque");
            // stringData is write-only: its keys overwrite data's, then it is dropped (the
            // API server's v1 → internal conversion does this before storing).
            if let Some(string_data) = secret.string_data.take() {
                let data = secret.data.get_or_insert_with(Default::default);
                for (key, value) in string_data {
                    data.insert(key, k8s_openapi::ByteString(value.into_bytes()));
                }
            }
        }
        Object::PersistentVolumeClaim(claim) => {
            if let Some(spec) = claim.spec.as_mut() {
                set_str(&mut spec.volume_mode, "Filesystem");
            }
        }
        Object::PersistentVolume(volume) => {
            if let Some(spec) = volume.spec.as_mut() {
                set_str(&mut spec.persistent_volume_reclaim_policy, "Retain");
                set_str(&mut spec.volume_mode, "Filesystem");
            }
        }
        Object::RoleBinding(binding) => default_subjects(binding.subjects.as_mut()),
        Object::ClusterRoleBinding(binding) => default_subjects(binding.subjects.as_mut()),
        Object::HorizontalPodAutoscaler(autoscaler) => {
            // autoscaling/v2 defaults: one replica at least, and CPU at 80% when no metric
            // is given.
            use k8s_openapi::api::autoscaling::v2 as autoscaling;
            let spec = &mut autoscaler.spec;
            set(&mut spec.min_replicas, 1);
            if spec.metrics.as_ref().is_none_or(Vec::is_empty) {
                spec.metrics = Some(vec![autoscaling::MetricSpec {
                    type_: "Resource".to_string(),
                    resource: Some(autoscaling::ResourceMetricSource {
                        name: "cpu".to_string(),
                        target: autoscaling::MetricTarget {
                            type_: "Utilization".to_string(),
                            average_utilization: Some(80),
                            ..Default::default()
                        },
                    }),
                    ..Default::default()
                }]);
            }
        }
        Object::Namespace(namespace) => {
            let spec = namespace.spec.get_or_insert_with(Default::default);
            set(&mut spec.finalizers, vec!["kubernetes".to_string()]);
            let labels = namespace
                .metadata
                .labels
                .get_or_insert_with(Default::default);
            let name = namespace.metadata.name.clone().unwrap_or_default();
            labels.insert("kubernetes.io/metadata.name".to_string(), name);
        }
        _ => {}
    }
}

/// SetDefaults_LimitRangeItem: for `type: Container`, a missing `default` (limit) is the `max`,
/// a missing `defaultRequest` is the `default`, else the `min`. Empty maps stay absent, as Go's
/// `omitempty` leaves them out.
fn default_limit_range_item(item: &mut core::LimitRangeItem) {
    if item.type_ != "Container" {
        return;
    }
    let mut default = item.default.take().unwrap_or_default();
    let mut default_request = item.default_request.take().unwrap_or_default();
    for (name, value) in item.max.iter().flatten() {
        default.entry(name.clone()).or_insert_with(|| value.clone());
    }
    for (name, value) in default.iter().chain(item.min.iter().flatten()) {
        default_request
            .entry(name.clone())
            .or_insert_with(|| value.clone());
    }
    item.default = (!default.is_empty()).then_some(default);
    item.default_request = (!default_request.is_empty()).then_some(default_request);
}

fn default_job_spec(spec: &mut k8s_openapi::api::batch::v1::JobSpec) {
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
        spec.parallelism = Some(1);
    }
    set(&mut spec.parallelism, 1);
    // With per-index retries the Job-wide limit is effectively off.
    let backoff_limit = if spec.backoff_limit_per_index.is_some() {
        i32::MAX
    } else {
        6
    };
    set(&mut spec.backoff_limit, backoff_limit);
    set_str(&mut spec.completion_mode, "NonIndexed");
    set(&mut spec.suspend, false);
    set(&mut spec.manual_selector, false);
    // A pod failure policy needs to see pods fail before replacing them.
    let replacement = if spec.pod_failure_policy.is_some() {
        "Failed"
    } else {
        "TerminatingOrFailed"
    };
    set_str(&mut spec.pod_replacement_policy, replacement);
    if let Some(spec) = spec.template.spec.as_mut() {
        default_pod_spec(spec);
    }
}

/// kube-proxy's stickiness window for `sessionAffinity: ClientIP` when the Service names none
/// (three hours).
pub const DEFAULT_CLIENT_IP_AFFINITY_SECONDS: i32 = 10_800;

/// `sessionAffinity: None` carries no `sessionAffinityConfig` (the API server drops one);
/// `ClientIP` without a timeout gets the whole config replaced by the default timeout.
fn default_session_affinity_config(spec: &mut k8s_openapi::api::core::v1::ServiceSpec) {
    match spec.session_affinity.as_deref() {
        Some("None") => spec.session_affinity_config = None,
        Some("ClientIP") => {
            let has_timeout = spec
                .session_affinity_config
                .as_ref()
                .and_then(|config| config.client_ip.as_ref())
                .is_some_and(|client_ip| client_ip.timeout_seconds.is_some());
            if !has_timeout {
                spec.session_affinity_config =
                    Some(k8s_openapi::api::core::v1::SessionAffinityConfig {
                        client_ip: Some(k8s_openapi::api::core::v1::ClientIPConfig {
                            timeout_seconds: Some(DEFAULT_CLIENT_IP_AFFINITY_SECONDS),
                        }),
                    });
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_pull_policy_follows_the_tag() {
        assert_eq!(default_image_pull_policy("nginx"), "Always");
        assert_eq!(default_image_pull_policy("nginx:latest"), "Always");
        assert_eq!(default_image_pull_policy("nginx:1.27"), "IfNotPresent");
        assert_eq!(default_image_pull_policy("localhost:5000/app"), "Always");
        assert_eq!(
            default_image_pull_policy("nginx@sha256:abcd"),
            "IfNotPresent"
        );
    }

    #[test]
    fn a_bare_deployment_gets_upstreams_defaults() {
        let mut objects = crate::decode_documents("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: nginx, image: nginx}]\n").unwrap();
        apply_defaults(&mut objects[0]);
        let json = objects[0].to_json_value();
        assert_eq!(json["spec"]["replicas"], 1);
        assert_eq!(json["spec"]["strategy"]["rollingUpdate"]["maxSurge"], "25%");
        assert_eq!(
            json["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"],
            "Always"
        );
        assert_eq!(
            json["spec"]["template"]["spec"]["dnsPolicy"],
            "ClusterFirst"
        );
    }
}
