//! The command-line parser: long and short flags (`--namespace=x`, `--namespace x`, `-n x`,
//! `-nx`, `-it`), boolean flags (`--force`, `--force=false`), positionals and everything after
//! `--`. Errors are pflag's own words, followed by kubectl's `See '…' for usage.` line.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy)]
pub struct FlagSpec {
    pub long: &'static str,
    pub short: Option<char>,
    pub takes_value: bool,
}

pub const fn value(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value: true,
    }
}

pub const fn boolean(long: &'static str, short: Option<char>) -> FlagSpec {
    FlagSpec {
        long,
        short,
        takes_value: false,
    }
}

/// Flags every kubectl command accepts.
pub const GLOBAL_FLAGS: &[FlagSpec] = &[
    value("namespace", Some('n')),
    value("context", None),
    value("kubeconfig", None),
    value("cluster", None),
    value("user", None),
    value("as", None),
    value("as-group", None),
    value("request-timeout", None),
    value("v", Some('v')),
];

#[derive(Debug, Clone, Default)]
pub struct ParsedArgs {
    pub positionals: Vec<String>,
    /// Everything after `--`, if it was given.
    pub after_dash_dash: Option<Vec<String>>,
    values: BTreeMap<&'static str, Vec<String>>,
}

impl ParsedArgs {
    /// The last value given for a flag.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
    /// Every value given for a repeatable flag (`-f a -f b`, `--env A=1 --env B=2`).
    pub fn values(&self, long: &str) -> &[String] {
        self.values.get(long).map(Vec::as_slice).unwrap_or(&[])
    }
    /// A boolean flag: present and not `=false`.
    pub fn flag(&self, long: &str) -> bool {
        self.value(long).is_some_and(|v| v != "false")
    }
    pub fn is_set(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }
}

/// Parses `args` (after the verb) against the verb's flags plus [`GLOBAL_FLAGS`]. `command` is
/// what the usage hint names (`get`, `create deployment`).
pub fn parse(args: &[String], specs: &[FlagSpec], command: &str) -> Result<ParsedArgs, String> {
    let find_long = |name: &str| {
        specs
            .iter()
            .chain(GLOBAL_FLAGS)
            .find(|s| s.long == name)
            .copied()
    };
    let find_short = |c: char| {
        specs
            .iter()
            .chain(GLOBAL_FLAGS)
            .find(|s| s.short == Some(c))
            .copied()
    };
    let usage = format!("See 'kubectl {command} --help' for usage.");
    let mut parsed = ParsedArgs::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            parsed.after_dash_dash = Some(args[i..].to_vec());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(spec) = find_long(name) else {
                return Err(format!("error: unknown flag: --{name}\n{usage}"));
            };
            let value = if spec.takes_value {
                match inline {
                    Some(v) => v,
                    None if i < args.len() => {
                        i += 1;
                        args[i - 1].clone()
                    }
                    None => {
                        return Err(format!("error: flag needs an argument: --{name}\n{usage}"))
                    }
                }
            } else {
                inline.unwrap_or_else(|| "true".to_string())
            };
            parsed.values.entry(spec.long).or_default().push(value);
        } else if arg.len() > 1
            && arg.starts_with('-')
            && !arg[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            let shorts: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                let Some(spec) = find_short(c) else {
                    return Err(format!(
                        "error: unknown shorthand flag: '{c}' in {arg}\n{usage}"
                    ));
                };
                if spec.takes_value {
                    let rest: String = shorts[j + 1..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest.strip_prefix('=').unwrap_or(&rest).to_string()
                    } else if i < args.len() {
                        i += 1;
                        args[i - 1].clone()
                    } else {
                        return Err(format!(
                            "error: flag needs an argument: '{c}' in {arg}\n{usage}"
                        ));
                    };
                    parsed.values.entry(spec.long).or_default().push(value);
                    break;
                }
                parsed
                    .values
                    .entry(spec.long)
                    .or_default()
                    .push("true".to_string());
                j += 1;
            }
        } else {
            parsed.positionals.push(arg.clone());
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_long_short_attached_and_combined() {
        let specs = [
            value("output", Some('o')),
            boolean("all-namespaces", Some('A')),
            boolean("stdin", Some('i')),
            boolean("tty", Some('t')),
        ];
        let p = parse(
            &args("pods -n kube-system -oyaml --output=json -A -it web -- sh -c x"),
            &specs,
            "get",
        )
        .unwrap();
        assert_eq!(p.positionals, ["pods", "web"]);
        assert_eq!(p.value("namespace"), Some("kube-system"));
        assert_eq!(p.value("output"), Some("json"));
        assert!(p.flag("all-namespaces") && p.flag("stdin") && p.flag("tty"));
        assert_eq!(p.after_dash_dash.unwrap(), ["sh", "-c", "x"]);
    }

    #[test]
    fn unknown_flags_are_pflag_errors() {
        assert_eq!(
            parse(&args("--foo"), &[], "get").unwrap_err(),
            "error: unknown flag: --foo\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            parse(&args("-x"), &[], "get").unwrap_err(),
            "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help' for usage."
        );
        assert_eq!(
            parse(&args("-n"), &[], "get").unwrap_err(),
            "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage."
        );
    }
}
