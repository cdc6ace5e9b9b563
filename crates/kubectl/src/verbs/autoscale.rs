//! `kubectl autoscale (TYPE NAME | TYPE/NAME) [--min=N] --max=N [--cpu=50%|500m]
//! [--memory=70%|200Mi]`: an autoscaling/v2 HorizontalPodAutoscaler for a Deployment,
//! ReplicaSet, StatefulSet or ReplicationController, as kubectl's generator writes it
//! (`--cpu-percent` still works, with kubectl's deprecation notice).

use cluster::Cluster;
use model::Object;
use serde_json::{json, Value};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

const CPU_PERCENT_DEPRECATED: &str = "Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).\n";

/// A `--cpu`/`--memory` value as a metric target: `70%` → utilization, `500m`/`200Mi` →
/// average value, a bare number → millicores or MiB.
fn metric_target(input: &str, resource: &str) -> Result<Value, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("empty input".into());
    }
    if let Some(number) = input.strip_suffix('%') {
        return match number.parse::<i32>() {
            Ok(n) if n >= 0 => Ok(json!({"type": "Utilization", "averageUtilization": n})),
            _ => Err(format!("invalid percentage value: {number}")),
        };
    }
    if let Ok(number) = input.parse::<f64>() {
        let unit = if resource == "cpu" { "m" } else { "Mi" };
        let text = format!("{number}{unit}");
        return match model::quantity::Quantity::parse(&text) {
            Ok(_) => Ok(json!({"type": "AverageValue", "averageValue": text})),
            Err(_) => Err(format!("invalid resource {resource} value: {input}")),
        };
    }
    match model::quantity::Quantity::parse(input) {
        Ok(_) => Ok(json!({"type": "AverageValue", "averageValue": input})),
        Err(_) => Err(format!("invalid resource {resource} value: {input}")),
    }
}

pub(crate) fn autoscale(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        value("min", None),
        value("max", None),
        value("cpu", None),
        value("cpu-percent", None),
        value("memory", None),
        value("name", None),
        value("dry-run", None),
        value("output", Some('o')),
        value("filename", Some('f')),
        value("field-manager", None),
        boolean("save-config", None),
        boolean("record", None),
        boolean("recursive", Some('R')),
        boolean("show-managed-fields", None),
        boolean("allow-missing-template-keys", None),
    ];
    let parsed = match flags::parse(args, &specs, "autoscale") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    if !parsed.is_set("max") {
        return Output::error("error: required flag(s) \"max\" not set");
    }
    let number = |flag: &str, default: i32| -> Result<i32, Output> {
        match parsed.value(flag) {
            None => Ok(default),
            Some(text) => text.parse::<i32>().map_err(|_| {
                Output::error(format!(
                    "error: invalid argument \"{text}\" for \"--{flag}\" flag: strconv.ParseInt: parsing \"{text}\": invalid syntax\nSee 'kubectl autoscale --help' for usage."
                ))
            }),
        }
    };
    let (min, max, cpu_percent) = match (
        number("min", -1),
        number("max", -1),
        number("cpu-percent", -1),
    ) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(o), _, _) | (_, Err(o), _) | (_, _, Err(o)) => return o,
    };
    let mut warnings = String::new();
    if parsed.is_set("cpu-percent") {
        warnings.push_str(CPU_PERCENT_DEPRECATED);
    }
    let fail = |message: String, warnings: &str| {
        let mut out = Output::error(message);
        out.stderr.insert_str(0, warnings);
        out
    };
    if max < 1 {
        return fail(
            format!("error: --max=MAXPODS is required and must be at least 1, max: {max}"),
            &warnings,
        );
    }
    if max < min {
        return fail(format!("error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}"), &warnings);
    }
    if cpu_percent > 0 && parsed.is_set("cpu") {
        return fail(
            "error: --cpu-percent and --cpu are mutually exclusive".into(),
            &warnings,
        );
    }
    let mut metrics = Vec::new();
    if cpu_percent > 0 {
        metrics.push(json!({"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu_percent}}}));
    }
    for resource in ["cpu", "memory"] {
        if let Some(text) = parsed.value(resource) {
            match metric_target(text, resource) {
                Ok(target) => metrics.push(
                    json!({"type": "Resource", "resource": {"name": resource, "target": target}}),
                ),
                Err(e) => return fail(format!("error: {e}"), &warnings),
            }
        }
    }
    if parsed.is_set("filename") {
        return fail("error: \"kubectl autoscale -f\" is not available in this playground yet; name the object instead (kubectl autoscale deployment NAME …)".into(), &warnings);
    }
    let namespace = super::namespace_of(kubectl, &parsed);
    let words = &parsed.positionals;
    let (resource, name) = match super::resource_and_name(words) {
        Ok(found) => found,
        Err(mut o) => {
            o.stderr.insert_str(0, &warnings);
            return o;
        }
    };
    if let Err(denied) = super::check_access(
        cluster,
        &parsed,
        "get",
        resource,
        Some(&namespace),
        Some(&name),
    ) {
        return denied;
    }
    let target = match cluster.get(resource, &namespace, &name) {
        Ok(o) => o,
        Err(e) => return fail(e.to_string(), &warnings),
    };
    let scalable = matches!(
        resource.kind,
        "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
    );
    if !scalable {
        let group = if resource.group.is_empty() {
            String::new()
        } else {
            resource.group.to_string()
        };
        return fail(
            format!(
                "error: cannot autoscale a {}: could not find scale subresource for {group}/{}, Resource={} in discovery information",
                resource.kind, resource.versions.first().copied().unwrap_or("v1"), resource.plural
            ),
            &warnings,
        );
    }
    let hpa_name = parsed
        .value("name")
        .map(str::to_string)
        .unwrap_or_else(|| name.clone());
    let mut spec = json!({
        "scaleTargetRef": {"apiVersion": target.api_version(), "kind": target.kind(), "name": name},
        "maxReplicas": max,
    });
    if min > 0 {
        spec["minReplicas"] = json!(min);
    }
    if !metrics.is_empty() {
        spec["metrics"] = Value::Array(metrics);
    }
    let manifest = json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": hpa_name},
        "spec": spec,
        "status": {"currentMetrics": null, "desiredReplicas": 0},
    });
    let dry_run = parsed.value("dry-run").filter(|d| *d != "none");
    let with_warnings = |mut out: Output| {
        out.stderr.insert_str(0, &warnings);
        out
    };
    if dry_run == Some("client") {
        if let Some(printed) = parsed
            .value("output")
            .and_then(|f| super::output::print_with_template(f, &manifest))
        {
            return with_warnings(printed);
        }
    }
    if dry_run == Some("client") && matches!(parsed.value("output"), Some("yaml") | Some("json")) {
        return with_warnings(if parsed.value("output") == Some("json") {
            Output::ok(super::get::to_json_pretty(&manifest) + "\n")
        } else {
            Output::ok(model::decode::json_to_yaml(&manifest))
        });
    }
    let mut manifest = manifest;
    manifest["metadata"]["namespace"] = json!(namespace);
    if let Some(status) = manifest.as_object_mut() {
        status.remove("status");
    }
    let object = match Object::from_json_value(manifest) {
        Ok(o) => o,
        Err(e) => return fail(format!("error: {}", e.message), &warnings),
    };
    let hpas = model::registry::resolve("horizontalpodautoscalers").expect("registered");
    if let Err(denied) =
        super::check_access(cluster, &parsed, "create", hpas, Some(&namespace), None)
    {
        return with_warnings(denied);
    }
    let reference = super::object_ref(hpas, object.name());
    if dry_run.is_some() {
        return with_warnings(super::apply::print_result(
            &object,
            &format!("{reference} created (dry run)"),
            parsed.value("output"),
        ));
    }
    match cluster.create(object) {
        Ok(stored) => with_warnings(super::apply::print_result(
            &stored,
            &format!("{reference} autoscaled"),
            parsed.value("output"),
        )),
        Err(e) => with_warnings(Output::error(super::server_error(&e, None, "creating"))),
    }
}
