//! An open stream (`kubectl get -w`, `kubectl logs -f`) prints the same text however often it is
//! asked: the page asks at every animation tick, a replay of the page's journal once per slice of
//! simulated time, a script at every due moment. Each change shows at its own instant (AGE as it
//! was then), several writes at one instant as the last of them, and followed logs in the order
//! their lines were written.

use cluster::SimDuration;
use scenario::script::NoFiles;
use scenario::Session;

fn run(session: &mut Session, line: &str) -> String {
    let output = session.run_line(line, &NoFiles);
    assert_eq!(output.exit_code, 0, "{line}: {}", output.stderr);
    output.stdout
}

/// Opens the stream with `open` after `setup`, then lets `seconds` of simulated time pass, asking
/// the stream for its rows after every `poll_every` ms; returns everything it printed.
fn streamed(setup: &[&str], open: &str, seconds: u64, poll_every: u64) -> String {
    let (opened, rows) = opened_and_streamed(setup, open, seconds, poll_every);
    opened + &rows
}

/// What opening the stream printed, and what it printed after.
fn opened_and_streamed(
    setup: &[&str],
    open: &str,
    seconds: u64,
    poll_every: u64,
) -> (String, String) {
    let mut session = Session::new(11);
    for line in setup {
        run(&mut session, line);
    }
    let opened = run(&mut session, open);
    let mut text = String::new();
    let end = session.cluster.now().0 + seconds * 1_000;
    while session.cluster.now().0 < end {
        let step = poll_every.min(end - session.cluster.now().0);
        session.cluster.advance(SimDuration(step));
        text.push_str(&session.watch_rows().unwrap_or_default());
    }
    (opened, text)
}

#[test]
fn get_watch_prints_each_instant_whether_polled_often_or_once() {
    let setup = ["kubectl create deployment web --image=nginx:1.27 --replicas=3"];
    let often = streamed(&setup, "kubectl get pods -w", 60, 100);
    let once = streamed(&setup, "kubectl get pods -w", 60, 60_000);
    let slices = streamed(&setup, "kubectl get pods -w", 60, 10_000);
    assert_eq!(often, once);
    assert_eq!(often, slices);
    // The pods were seen ContainerCreating, then Running a few seconds old, not as 60 s old.
    assert!(often.contains("ContainerCreating"), "{often}");
    let running: Vec<&str> = often.lines().filter(|l| l.contains("Running")).collect();
    assert_eq!(running.len(), 3, "{often}");
    assert!(running.iter().all(|l| !l.ends_with("60s")), "{often}");
}

#[test]
fn a_watched_rollout_shows_every_step_when_polled_once() {
    let setup = [
        "kubectl create deployment web --image=nginx:1.27 --replicas=2",
        "sleep 30s",
        "kubectl set image deployment/web nginx=nginx:1.28",
    ];
    let often = streamed(&setup, "kubectl get rs -w", 60, 250);
    let once = streamed(&setup, "kubectl get rs -w", 60, 60_000);
    assert_eq!(often, once);
    // The old ReplicaSet went 2 → 1 → 0 on the way: a single poll still shows the 1.
    let old_name = often
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    let old_desired: Vec<&str> = often
        .lines()
        .filter(|l| l.starts_with(old_name))
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert!(old_desired.contains(&"1"), "{often}");
}

#[test]
fn followed_logs_of_several_pods_interleave_by_time_whether_polled_often_or_once() {
    let setup = [
        "kubectl create deployment tick --image=busybox:1.36 --replicas=2 -- sh -c 'i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 3; done'",
        "sleep 30s",
    ];
    let open = "kubectl logs -f -l app=tick --prefix";
    let (_, often) = opened_and_streamed(&setup, open, 20, 500);
    let (_, once) = opened_and_streamed(&setup, open, 20, 20_000);
    assert_eq!(often, once);
    // Both pods' lines alternate rather than one pod's block after the other's.
    let followed: Vec<&str> = often.lines().collect();
    assert!(followed.len() >= 12, "{often}");
    let first_pod = followed[0].split(' ').next().unwrap();
    assert_ne!(followed[1].split(' ').next().unwrap(), first_pod, "{often}");
}
