//! Object validation with the API server's own messages. This first slice covers object names;
//! the per-kind validation grows with the object-model issue.

use crate::object::Object;

/// One validation failure: `metadata.name: Invalid value: "Web": a lowercase RFC 1123 …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

const DNS1123_SUBDOMAIN_MESSAGE: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL_MESSAGE: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_LABEL_MESSAGE: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

fn is_dns1123_label(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.starts_with('-')
        && !name.ends_with('-')
}

fn is_dns1123_subdomain(name: &str) -> bool {
    name.len() <= 253 && name.split('.').all(is_dns1123_label)
}

fn is_dns1035_label(name: &str) -> bool {
    is_dns1123_label(name) && name.starts_with(|c: char| c.is_ascii_lowercase())
}

/// Validates an object as the API server does before storing it; `old` is the stored object on
/// update (immutable fields). Returns every field error, in field order.
pub fn validate(object: &Object, old: Option<&Object>) -> Vec<FieldError> {
    let _ = old;
    validate_object_meta(object)
}

/// Validates what every kind shares: name present and well-formed for its kind.
pub fn validate_object_meta(object: &Object) -> Vec<FieldError> {
    let meta = object.metadata();
    let mut errors = Vec::new();
    let name = meta.name.as_deref().unwrap_or("");
    if name.is_empty() {
        if meta.generate_name.as_deref().unwrap_or("").is_empty() {
            errors.push(FieldError {
                field: "metadata.name".into(),
                message: "Required value: name or generateName is required".into(),
            });
        }
        return errors;
    }
    let (valid, rule) = match object.kind() {
        // Namespaces and Services are DNS labels; Services must also start with a letter.
        "Namespace" => (is_dns1123_label(name), DNS1123_LABEL_MESSAGE),
        "Service" => (is_dns1035_label(name), DNS1035_LABEL_MESSAGE),
        _ => (is_dns1123_subdomain(name), DNS1123_SUBDOMAIN_MESSAGE),
    };
    if !valid {
        errors.push(FieldError {
            field: "metadata.name".into(),
            message: format!("Invalid value: \"{name}\": {rule}"),
        });
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_api_server_rules() {
        let pod = |name: &str| {
            crate::decode_documents(&format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n"
            ))
            .unwrap()
            .remove(0)
        };
        assert!(validate_object_meta(&pod("web-1.a")).is_empty());
        let errors = validate_object_meta(&pod("Web"));
        assert_eq!(errors[0].field, "metadata.name");
        assert!(errors[0]
            .message
            .starts_with("Invalid value: \"Web\": a lowercase RFC 1123 subdomain"));
    }
}
