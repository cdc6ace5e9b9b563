//! Label selectors: the string form kubectl takes (`-l app=web,tier!=db,env in (a,b),!legacy`)
//! and the `LabelSelector` objects carry (`matchLabels` / `matchExpressions`).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A parsed selector: all requirements must hold. The empty selector matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    requirements: Vec<Requirement>,
    /// A `LabelSelector` that is present but invalid selects nothing.
    matches_nothing: bool,
}

impl Selector {
    /// Parses kubectl's `-l` syntax. Errors are worded as kubectl words them.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let requirement = if let Some(key) = part.strip_prefix('!') {
                Requirement::DoesNotExist(valid_key(key.trim())?)
            } else if let Some((key, values)) = split_set(part, " notin ") {
                Requirement::NotIn(valid_key(&key)?, values)
            } else if let Some((key, values)) = split_set(part, " in ") {
                Requirement::In(valid_key(&key)?, values)
            } else if let Some((key, value)) = part.split_once("!=") {
                Requirement::NotEquals(valid_key(key.trim())?, value.trim().to_string())
            } else if let Some((key, value)) =
                part.split_once("==").or_else(|| part.split_once('='))
            {
                Requirement::Equals(valid_key(key.trim())?, value.trim().to_string())
            } else {
                Requirement::Exists(valid_key(part)?)
            };
            requirements.push(requirement);
        }
        Ok(Selector {
            requirements,
            matches_nothing: false,
        })
    }

    /// The selector a `LabelSelector` object describes (`None` selects nothing, as for a
    /// Service without selector; an empty one selects everything).
    pub fn from_label_selector(selector: Option<&LabelSelector>) -> Selector {
        let Some(selector) = selector else {
            return Selector {
                requirements: Vec::new(),
                matches_nothing: true,
            };
        };
        let mut requirements: Vec<Requirement> = selector
            .match_labels
            .iter()
            .flatten()
            .map(|(k, v)| Requirement::Equals(k.clone(), v.clone()))
            .collect();
        for expression in selector.match_expressions.iter().flatten() {
            let values = expression.values.clone().unwrap_or_default();
            let key = expression.key.clone();
            requirements.push(match expression.operator.as_str() {
                "In" => Requirement::In(key, values),
                "NotIn" => Requirement::NotIn(key, values),
                "Exists" => Requirement::Exists(key),
                "DoesNotExist" => Requirement::DoesNotExist(key),
                _ => {
                    return Selector {
                        requirements: Vec::new(),
                        matches_nothing: true,
                    }
                }
            });
        }
        Selector {
            requirements,
            matches_nothing: false,
        }
    }

    /// The selector of a map of labels (Service and ReplicationController selectors).
    pub fn from_map(labels: &BTreeMap<String, String>) -> Selector {
        Selector {
            requirements: labels
                .iter()
                .map(|(k, v)| Requirement::Equals(k.clone(), v.clone()))
                .collect(),
            matches_nothing: false,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty() && !self.matches_nothing
    }

    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        if self.matches_nothing {
            return false;
        }
        let get = |key: &str| labels.and_then(|l| l.get(key));
        self.requirements
            .iter()
            .all(|requirement| match requirement {
                Requirement::Equals(k, v) => get(k) == Some(v),
                Requirement::NotEquals(k, v) => get(k) != Some(v),
                Requirement::In(k, vs) => get(k).is_some_and(|v| vs.contains(v)),
                Requirement::NotIn(k, vs) => get(k).is_none_or(|v| !vs.contains(v)),
                Requirement::Exists(k) => get(k).is_some(),
                Requirement::DoesNotExist(k) => get(k).is_none(),
            })
    }
}

/// `app=web,tier=db` as kubectl prints a selector map.
pub fn format_labels(labels: Option<&BTreeMap<String, String>>) -> String {
    labels
        .map(|l| {
            l.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn split_set(part: &str, operator: &str) -> Option<(String, Vec<String>)> {
    let (key, rest) = part.split_once(operator)?;
    let values = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some((
        key.trim().to_string(),
        values
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect(),
    ))
}

fn valid_key(key: &str) -> Result<String, String> {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        Ok(key.to_string())
    } else {
        Err(format!("unable to parse requirement: <nil>: Invalid value: \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn string_selectors() {
        let l = labels(&[("app", "web"), ("tier", "front")]);
        let m = |s: &str| Selector::parse(s).unwrap().matches(Some(&l));
        assert!(m("app=web"));
        assert!(m("app==web,tier"));
        assert!(!m("app!=web"));
        assert!(m("tier in (front, back)"));
        assert!(!m("tier notin (front)"));
        assert!(m("!legacy"));
        assert!(!m("legacy"));
        assert!(m(""));
        assert!(Selector::parse("a b=c").is_err());
    }

    #[test]
    fn absent_label_selectors_select_nothing() {
        assert!(!Selector::from_label_selector(None).matches(Some(&labels(&[("a", "b")]))));
        assert!(Selector::from_label_selector(Some(&LabelSelector::default())).matches(None));
    }
}
