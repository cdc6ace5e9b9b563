//! The page's input journal: every input that can change the cluster (Apply, Delete, a terminal
//! line, a menu's or the inspector's request, Ctrl+C, `clear`), each with the simulated instant
//! it came at and whether the control loops reacted at once (playing) or waited for Step
//! (paused). With the seed it is the whole scenario: [`replay`] runs the inputs again on a fresh
//! cluster of the same seed, advancing simulated time between them, and — the engine being
//! deterministic and its time slicing invariant — ends in the same cluster state and the same
//! terminal text. Autosave keeps the journal in localStorage (a reload restores the cluster),
//! and share links carry it (opening one rebuilds the cluster).
//!
//! The journal is written as text ([`Journal::encode`]): a header, then one line per input with
//! its payload length in bytes, then the payload. [`Journal::decode`] trusts nothing (a share
//! link is hostile input): every field is checked, instants must not go back, and the number
//! of inputs and the simulated time a replay may cover are capped.
//!
//! The cluster's shape is the default one; `cluster add-node` and the other cluster commands
//! that change it are terminal lines, so they are in the journal like any other input.

use scenario::Session;

use crate::engine;

/// The first line of an encoded journal (the `1` is the format's version).
pub const HEADER: &str = "kubeplay-journal 1";
/// The most inputs a journal may hold.
pub const MAX_ENTRIES: usize = 10_000;
/// The most simulated time a replay covers from the cluster's start (7 days: an hour at 64×
/// is under 3).
pub const MAX_REPLAY_MILLIS: u64 = 7 * 24 * 3600 * 1000;
/// A replay advances simulated time in slices no longer than this: the engine stops at most
/// [`cluster::MAX_STEPS_PER_ADVANCE`] times per advance, so one long advance over a busy
/// cluster would not be the same as the page's many short ticks.
const REPLAY_SLICE_MILLIS: u64 = 10_000;

/// One input the cluster saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// The Apply button on the editor's text (`kubectl apply -f -`).
    Apply(String),
    /// The Delete button on the editor's text (`kubectl delete -f -`).
    Delete(String),
    /// A line typed into the terminal, or one a fault menu or the inspector ran as if typed
    /// (it ends an open `-w` / `logs -f` stream first).
    Line(String),
    /// A request the page made on its own (the inspector's Delete): an open stream stays open.
    Request(String),
    /// Ctrl+C in the terminal while a stream was open.
    Interrupt,
    /// `clear` in the terminal.
    Clear,
    /// What the page printed in the terminal on its own (a second Tab's list of candidates).
    Note(String),
    /// The Step button (journaled because a step may do the work waiting at this instant
    /// without moving the clock, which the instants alone would not tell).
    Step,
}

/// An input and when it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The simulated instant (milliseconds since the cluster's start, as `Cluster::now`).
    pub at_millis: u64,
    /// Whether the control loops reacted at once (the page was playing).
    pub react_instantly: bool,
    pub input: Input,
}

/// The seed and the inputs since the cluster started, and how far its clock had run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    pub seed: u64,
    pub entries: Vec<Entry>,
    /// The simulated instant the cluster had reached when the journal was last written.
    pub until_millis: u64,
}

/// Why an encoded journal was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalError(pub String);

impl Journal {
    /// A journal with no inputs for a fresh cluster of `seed`.
    pub fn new(seed: u64) -> Journal {
        Journal {
            seed,
            entries: Vec::new(),
            until_millis: 0,
        }
    }

    /// Records `input` at the session's current instant.
    pub fn record(&mut self, session: &Session, input: Input) {
        let at_millis = session.cluster.now().0;
        self.entries.push(Entry {
            at_millis,
            react_instantly: session.react_instantly,
            input,
        });
        self.until_millis = self.until_millis.max(at_millis);
    }

    /// The journal as text (see the module documentation).
    pub fn encode(&self) -> String {
        let mut text = format!(
            "{HEADER}\nseed {}\nuntil {}\n",
            self.seed, self.until_millis
        );
        for entry in &self.entries {
            let (name, payload) = match &entry.input {
                Input::Apply(t) => ("apply", Some(t)),
                Input::Delete(t) => ("delete", Some(t)),
                Input::Line(t) => ("line", Some(t)),
                Input::Request(t) => ("request", Some(t)),
                Input::Note(t) => ("note", Some(t)),
                Input::Interrupt => ("interrupt", None),
                Input::Clear => ("clear", None),
                Input::Step => ("step", None),
            };
            let mode = if entry.react_instantly {
                "play"
            } else {
                "pause"
            };
            match payload {
                Some(payload) => {
                    text.push_str(&format!(
                        "{name} {} {mode} {}\n{payload}\n",
                        entry.at_millis,
                        payload.len()
                    ));
                }
                None => text.push_str(&format!("{name} {} {mode}\n", entry.at_millis)),
            }
        }
        text
    }

    /// Reads a journal [`Journal::encode`] wrote, checking everything.
    pub fn decode(text: &str) -> Result<Journal, JournalError> {
        let mut reader = Reader { text, position: 0 };
        let fail = |reader: &Reader, what: &str| {
            Err(JournalError(format!(
                "{what} (line {})",
                reader.line_number()
            )))
        };
        if reader.line() != Some(HEADER) {
            return fail(&reader, "not a kubeplay journal of a known format");
        }
        let seed = match reader.line().and_then(|l| l.strip_prefix("seed ")) {
            Some(n) => match n.parse::<u64>() {
                Ok(seed) => seed,
                Err(_) => return fail(&reader, "the seed is not a number"),
            },
            None => return fail(&reader, "the seed is missing"),
        };
        let until_millis = match reader.line().and_then(|l| l.strip_prefix("until ")) {
            Some(n) => match n.parse::<u64>() {
                // A clock past the cap replays up to the cap.
                Ok(until) => until.min(MAX_REPLAY_MILLIS),
                Err(_) => return fail(&reader, "the clock is not a number"),
            },
            None => return fail(&reader, "the clock is missing"),
        };
        let mut entries: Vec<Entry> = Vec::new();
        while !reader.at_end() {
            if entries.len() == MAX_ENTRIES {
                return fail(&reader, "more inputs than a journal may hold (10000)");
            }
            let Some(line) = reader.line() else {
                return fail(&reader, "an input line is cut short");
            };
            let fields: Vec<&str> = line.split(' ').collect();
            let (name, at, mode, length) = match fields.as_slice() {
                [name, at, mode] => (*name, *at, *mode, None),
                [name, at, mode, length] => (*name, *at, *mode, Some(*length)),
                _ => return fail(&reader, "an input line is not `NAME INSTANT MODE [LENGTH]`"),
            };
            let Ok(at_millis) = at.parse::<u64>() else {
                return fail(&reader, "an input's instant is not a number");
            };
            if at_millis > MAX_REPLAY_MILLIS {
                return fail(&reader, "an input comes after the 7 days a replay covers");
            }
            if entries.last().is_some_and(|e| e.at_millis > at_millis) {
                return fail(&reader, "the inputs' instants go back in time");
            }
            let react_instantly = match mode {
                "play" => true,
                "pause" => false,
                _ => return fail(&reader, "an input's mode is neither play nor pause"),
            };
            let payload = match length {
                None => None,
                Some(length) => {
                    let Ok(length) = length.parse::<usize>() else {
                        return fail(&reader, "an input's length is not a number");
                    };
                    match reader.bytes(length) {
                        Some(payload) => Some(payload.to_string()),
                        None => {
                            return fail(
                                &reader,
                                "an input's text is cut short or split a character",
                            )
                        }
                    }
                }
            };
            // A `sleep` moves the clock by itself: it counts against the replay's cap too.
            if let (Some(line), "line" | "request") = (&payload, name) {
                if let Ok(Some(scenario::script::Command::Sleep { millis })) =
                    scenario::script::parse_command(line, None)
                {
                    if at_millis.saturating_add(millis) > MAX_REPLAY_MILLIS {
                        return fail(&reader, "a sleep runs past the 7 days a replay covers");
                    }
                }
            }
            let input = match (name, payload) {
                ("apply", Some(t)) => Input::Apply(t),
                ("delete", Some(t)) => Input::Delete(t),
                ("line", Some(t)) => Input::Line(t),
                ("request", Some(t)) => Input::Request(t),
                ("note", Some(t)) => Input::Note(t),
                ("interrupt", None) => Input::Interrupt,
                ("clear", None) => Input::Clear,
                ("step", None) => Input::Step,
                _ => return fail(&reader, "an input of an unknown kind"),
            };
            entries.push(Entry {
                at_millis,
                react_instantly,
                input,
            });
        }
        let until_millis = until_millis.max(entries.last().map_or(0, |e| e.at_millis));
        Ok(Journal {
            seed,
            entries,
            until_millis,
        })
    }
}

/// Walks an encoded journal line by line and payload by payload.
struct Reader<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Reader<'a> {
    fn at_end(&self) -> bool {
        self.position >= self.text.len()
    }

    fn line_number(&self) -> usize {
        self.text[..self.position.min(self.text.len())]
            .matches('\n')
            .count()
    }

    /// The next line without its `\n` (`None` when the text ends without one).
    fn line(&mut self) -> Option<&'a str> {
        let rest = self.text.get(self.position..)?;
        let end = rest.find('\n')?;
        self.position += end + 1;
        Some(&rest[..end])
    }

    /// The next `length` bytes and the `\n` after them.
    fn bytes(&mut self, length: usize) -> Option<&'a str> {
        let end = self.position.checked_add(length)?;
        let payload = self.text.get(self.position..end)?;
        if self.text.get(end..end + 1) != Some("\n") {
            return None;
        }
        self.position = end + 1;
        Some(payload)
    }
}

/// Advances `session` to the simulated instant `target_millis` in slices, appending what an
/// open stream prints to `terminal` (as the page's ticks do).
fn advance_to(session: &mut Session, target_millis: u64, terminal: &mut String) {
    while session.cluster.now().0 < target_millis {
        let step = (target_millis - session.cluster.now().0).min(REPLAY_SLICE_MILLIS);
        session.cluster.advance(cluster::SimDuration(step));
        terminal.push_str(&engine::stream_output(session));
    }
}

/// What a replay rebuilt: the cluster and the terminal's text.
pub struct Replayed {
    pub session: Session,
    pub terminal: String,
}

/// Runs `input` on `session` the way the page does, appending the terminal's part to
/// `terminal`. The page's live handlers call this too, so live and replay cannot drift apart.
pub fn perform(session: &mut Session, input: &Input, terminal: &mut String) -> Performed {
    match input {
        Input::Apply(text) => Performed::Result(engine::apply_text(session, text)),
        Input::Delete(text) => Performed::Result(engine::delete_text(session, text)),
        Input::Line(line) => {
            let (text, code, buffer) = engine::run_terminal_line_full(session, line);
            terminal.push_str(&text);
            Performed::Line {
                text,
                exit_code: code,
                editor_buffer: buffer,
            }
        }
        Input::Request(line) => Performed::Result(engine::run_page_request(session, line)),
        Input::Interrupt => {
            terminal.push_str(&engine::interrupt(session));
            Performed::Nothing
        }
        Input::Clear => {
            terminal.clear();
            Performed::Nothing
        }
        Input::Note(text) => {
            terminal.push_str(text);
            Performed::Nothing
        }
        Input::Step => {
            engine::step_to_next_change(session);
            terminal.push_str(&engine::stream_output(session));
            Performed::Nothing
        }
    }
}

/// What [`perform`] did, for the page to show.
pub enum Performed {
    /// Apply, Delete or a page request: the output and the errors.
    Result(engine::ApplyResult),
    /// A terminal line: the text appended, its exit code and `kubectl edit`'s buffer.
    Line {
        text: String,
        exit_code: i32,
        editor_buffer: Option<String>,
    },
    Nothing,
}

/// Rebuilds the cluster a journal describes: a fresh cluster of its seed, each input at its
/// instant, then the clock to where it had run.
pub fn replay(journal: &Journal) -> Replayed {
    let mut session = Session::new(journal.seed);
    let mut terminal = String::new();
    for entry in &journal.entries {
        // Inputs past the cap (the clock got there by the inputs' own sleeps) are not replayed.
        if session.cluster.now().0 > MAX_REPLAY_MILLIS {
            break;
        }
        advance_to(&mut session, entry.at_millis, &mut terminal);
        session.react_instantly = entry.react_instantly;
        perform(&mut session, &entry.input, &mut terminal);
    }
    advance_to(
        &mut session,
        journal.until_millis.min(MAX_REPLAY_MILLIS),
        &mut terminal,
    );
    session.react_instantly = true;
    Replayed { session, terminal }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";

    /// The cluster as kubectl shows it, and the engine's event log.
    fn state(session: &mut Session) -> (String, u64) {
        let all = engine::run_terminal_line(session, "kubectl get all,events -A -o yaml");
        (all, session.cluster.event_log_hash())
    }

    /// A live page: ticks of uneven length, reads between them (events pane, inspector), and
    /// the inputs journaled as the page journals them.
    fn live_run() -> (Session, Journal, String) {
        let mut session = Session::new(3);
        let mut journal = Journal::new(3);
        let mut terminal = String::new();
        let ticks = [200u64, 137, 3_000, 12_800, 200, 55];
        let mut tick = 0;
        let mut run = |session: &mut Session, journal: &mut Journal, terminal: &mut String, n| {
            for _ in 0..n {
                session
                    .cluster
                    .advance(cluster::SimDuration(ticks[tick % ticks.len()]));
                terminal.push_str(&engine::stream_output(session));
                let _ = session.read_line("kubectl events -A", &scenario::script::NoFiles);
                let _ = session.read_line("kubectl describe nodes", &scenario::script::NoFiles);
                tick += 1;
            }
            journal.until_millis = session.cluster.now().0;
        };
        let input = |session: &mut Session, journal: &mut Journal, terminal: &mut String, input| {
            journal.record(session, input);
            let input = journal.entries.last().map(|e| e.input.clone());
            if let Some(input) = input {
                perform(session, &input, terminal);
            }
        };
        run(&mut session, &mut journal, &mut terminal, 3);
        input(
            &mut session,
            &mut journal,
            &mut terminal,
            Input::Apply(DEPLOYMENT.into()),
        );
        input(
            &mut session,
            &mut journal,
            &mut terminal,
            Input::Line("kubectl get pods -w".into()),
        );
        run(&mut session, &mut journal, &mut terminal, 10);
        input(&mut session, &mut journal, &mut terminal, Input::Interrupt);
        input(&mut session, &mut journal, &mut terminal, Input::Clear);
        // Paused: the scale waits for time to pass.
        session.react_instantly = false;
        input(
            &mut session,
            &mut journal,
            &mut terminal,
            Input::Line("kubectl scale deployment web --replicas=4".into()),
        );
        input(
            &mut session,
            &mut journal,
            &mut terminal,
            Input::Line("kubectl get pods".into()),
        );
        session.react_instantly = true;
        run(&mut session, &mut journal, &mut terminal, 7);
        input(
            &mut session,
            &mut journal,
            &mut terminal,
            Input::Line("cluster fail-node node-2".into()),
        );
        input(
            &mut session,
            &mut journal,
            &mut terminal,
            Input::Line("kubectl run probe --image=busybox:1.36 -- sleep 3600".into()),
        );
        run(&mut session, &mut journal, &mut terminal, 40);
        input(
            &mut session,
            &mut journal,
            &mut terminal,
            Input::Request("kubectl delete pod probe -n default".into()),
        );
        input(
            &mut session,
            &mut journal,
            &mut terminal,
            Input::Line("kubectl get deployments".into()),
        );
        run(&mut session, &mut journal, &mut terminal, 5);
        // Paused, a Step does the waiting work without moving the clock: only the journal's
        // Step entry tells the replay.
        session.react_instantly = false;
        input(
            &mut session,
            &mut journal,
            &mut terminal,
            Input::Line("kubectl create deployment late --image=nginx:1.27".into()),
        );
        input(&mut session, &mut journal, &mut terminal, Input::Step);
        journal.until_millis = session.cluster.now().0;
        (session, journal, terminal)
    }

    #[test]
    fn a_replay_rebuilds_the_same_cluster_and_terminal() {
        let (mut live, journal, terminal) = live_run();
        assert!(
            terminal.contains("deployment.apps/web scaled"),
            "{terminal}"
        );
        assert!(terminal.contains("node-2"), "{terminal}");
        let mut replayed = replay(&journal);
        assert_eq!(replayed.session.cluster.now(), live.cluster.now());
        assert_eq!(replayed.terminal, terminal);
        // Compared as the live page left it (paused: reading does not run the control loops).
        replayed.session.react_instantly = live.react_instantly;
        assert_eq!(state(&mut replayed.session), state(&mut live));
    }

    #[test]
    fn a_replay_of_the_encoded_journal_is_the_same() {
        let (mut live, journal, _) = live_run();
        let encoded = journal.encode();
        let decoded = Journal::decode(&encoded).expect("decodes");
        assert_eq!(decoded, journal);
        assert_eq!(state(&mut replay(&decoded).session), state(&mut live));
    }

    #[test]
    fn texts_with_newlines_and_any_characters_round_trip() {
        let mut journal = Journal::new(9);
        let session = Session::new(9);
        for text in ["", "\n", "a\nb\n\n", "한국어 ✓\r\n", "apply 1 play 3\nxyz"] {
            journal.record(&session, Input::Apply(text.into()));
            journal.record(&session, Input::Line(text.into()));
        }
        journal.record(&session, Input::Interrupt);
        journal.record(&session, Input::Note("a  b\n".into()));
        journal.until_millis += 5;
        assert_eq!(Journal::decode(&journal.encode()), Ok(journal));
    }

    #[test]
    fn hostile_journals_are_refused_with_a_reason() {
        let good = "kubeplay-journal 1\nseed 1\nuntil 100\nline 10 play 4\nabcd\n";
        assert!(Journal::decode(good).is_ok());
        for (text, reason) in [
            ("", "not a kubeplay journal"),
            (
                "kubeplay-journal 2\nseed 1\nuntil 0\n",
                "not a kubeplay journal",
            ),
            (
                "kubeplay-journal 1\nseed x\nuntil 0\n",
                "seed is not a number",
            ),
            ("kubeplay-journal 1\nseed 1\n", "clock is missing"),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\nline 10 play 14\nsleep 1000000h\n",
                "a sleep runs past",
            ),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\nline 10 play 40\nabcd\n",
                "cut short",
            ),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\nline 10 play 99999999999999999999\nabcd\n",
                "length is not a number",
            ),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\nline 10 play 18446744073709551615\nabcd\n",
                "cut short",
            ),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\nline 10 play 2\n한\n",
                "split a character",
            ),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\nline 20 play 1\na\nline 10 play 1\nb\n",
                "back in time",
            ),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\nrm 10 play 1\na\n",
                "unknown kind",
            ),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\ninterrupt 10 fast\n",
                "neither play nor pause",
            ),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\ninterrupt 10 play 3\nabc\n",
                "unknown kind",
            ),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\ninterrupt",
                "cut short",
            ),
            (
                "kubeplay-journal 1\nseed 1\nuntil 0\nclear 99999999999999 play\n",
                "7 days",
            ),
        ] {
            let error = Journal::decode(text).expect_err(text);
            assert!(error.0.contains(reason), "{text:?}: {error:?}");
        }
        // A clock past the cap replays up to the cap.
        let far = Journal::decode("kubeplay-journal 1\nseed 1\nuntil 99999999999999\n").unwrap();
        assert_eq!(far.until_millis, MAX_REPLAY_MILLIS);
        let many = format!(
            "kubeplay-journal 1\nseed 1\nuntil 0\n{}",
            "clear 1 play\n".repeat(MAX_ENTRIES + 1)
        );
        assert!(Journal::decode(&many)
            .unwrap_err()
            .0
            .contains("more inputs"));
    }
}
