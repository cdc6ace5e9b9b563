//! Requests a `kubectl exec` command makes are answered — and served — by real endpoints: the
//! pod that answered counts them (its CPU use, the page's request animation).

use scenario::script::NoFiles;
use scenario::Session;

fn run(session: &mut Session, line: &str) -> String {
    let output = session.run_line(line, &NoFiles);
    assert_eq!(output.exit_code, 0, "{line}: {}", output.stderr);
    output.stdout
}

#[test]
fn requests_from_kubectl_exec_are_served_by_the_pod_that_answered() {
    let mut session = Session::new(7);
    run(
        &mut session,
        "kubectl create deployment web --image=nginx:1.27",
    );
    run(&mut session, "kubectl expose deployment web --port=80");
    run(
        &mut session,
        "kubectl run client --image=busybox:1.36 -- sleep 3600",
    );
    run(&mut session, "sleep 60s");
    let start = session.cluster.now();
    let page = run(&mut session, "kubectl exec client -- wget -qO- http://web");
    assert!(page.contains("Welcome to nginx!"), "{page}");
    run(
        &mut session,
        "kubectl exec client -- sh -c \"wget -qO- http://web >/dev/null; wget -qO- http://web.default.svc.cluster.local >/dev/null\"",
    );
    let served = session.cluster.served_requests_since(start);
    assert_eq!(served.len(), 3, "{served:?}");
    assert!(
        served
            .iter()
            .all(|(_, pod)| pod.starts_with("default/web-")),
        "{served:?}"
    );
    // A request nobody answers is served by nobody.
    let output = session.run_line(
        "kubectl exec client -- wget -qO- -T 2 http://web:8080",
        &NoFiles,
    );
    assert_ne!(output.exit_code, 0);
    assert_eq!(session.cluster.served_requests_since(start).len(), 3);
}
