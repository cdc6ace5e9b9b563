//! The `curl` script line: requests sent from outside the cluster (the machine a kind
//! cluster's nodes run on) to a node's address or name at a NodePort, or to a load balancer's
//! address.
//!
//! - `curl [-s] [-i] [-I] [-f] [-H "Host: h"] URL` prints what curl prints;
//! - `curl -n N [--every DURATION] URL` sends N requests (one every DURATION of simulated
//!   time, which then passes; all at once without it) through the cluster's traffic API and
//!   prints how many each pod answered and how many failed.

use cluster::traffic::Client;
use cluster::{Cluster, SimDuration};
use kubectl::Output;

pub fn curl(cluster: &mut Cluster, args: &[String]) -> Output {
    let mut count: Option<usize> = None;
    let mut every: Option<SimDuration> = None;
    let mut host_header: Option<String> = None;
    let mut rest = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-n" => match iter.next().map(|n| n.parse::<usize>()) {
                Some(Ok(n)) if n > 0 => count = Some(n.min(100_000)),
                _ => return Output::error("curl: -n takes a number of requests (1 to 100000)"),
            },
            "--every" => match iter
                .next()
                .map(|d| model::duration::parse_duration_millis(d))
            {
                Some(Ok(millis)) => every = Some(SimDuration(millis)),
                _ => return Output::error("curl: --every takes a duration, e.g. --every 100ms"),
            },
            "-H" | "--header" => {
                let Some(header) = iter.next() else {
                    return Output::error("curl: option -H: requires parameter");
                };
                if let Some((name, value)) = header.split_once(':') {
                    if name.trim().eq_ignore_ascii_case("host") {
                        host_header = Some(value.trim().to_string());
                    }
                }
                rest.push(arg.clone());
                rest.push(header.clone());
            }
            _ => rest.push(arg.clone()),
        }
    }
    let Some(count) = count else {
        let (stdout, stderr, code) = cluster.curl_from_outside(&rest);
        return Output {
            stdout,
            stderr,
            exit_code: code,
            open_in_editor: None,
        };
    };
    let Some(url) = rest.iter().rev().find(|a| !a.starts_with('-')).cloned() else {
        return Output::error("curl: no URL specified");
    };
    let report = match cluster.send_traffic(
        &Client::outside(),
        &url,
        host_header.as_deref(),
        count,
        every,
    ) {
        Ok(r) => r,
        Err(e) => return Output::error(format!("curl: {e}")),
    };
    let answered: usize = report.by_status.values().sum();
    let statuses: Vec<String> = report
        .by_status
        .iter()
        .map(|(status, n)| format!("{n} × {status}"))
        .collect();
    let mut text = format!(
        "{} requests to {url}: {answered} answered{}, {} failed\n",
        report.sent,
        if statuses.is_empty() {
            String::new()
        } else {
            format!(" ({})", statuses.join(", "))
        },
        report.failed()
    );
    let width = report
        .by_endpoint
        .keys()
        .map(|k| k.len())
        .max()
        .unwrap_or(0);
    for (endpoint, n) in &report.by_endpoint {
        text.push_str(&format!("  {endpoint:<width$}  {n}\n"));
    }
    for (failure, n) in &report.failures {
        text.push_str(&format!("  {failure:<width$}  {n}\n"));
    }
    if let (Some(p50), Some(p90), Some(p99)) = (
        report.latency_percentile(50),
        report.latency_percentile(90),
        report.latency_percentile(99),
    ) {
        text.push_str(&format!(
            "  latency: p50 {p50}ms, p90 {p90}ms, p99 {p99}ms\n"
        ));
    }
    Output::ok(text)
}
