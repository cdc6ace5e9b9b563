//! The one deserializer every typed object is built through: from a JSON value, strictly.
//!
//! Every k8s-openapi type's `Deserialize` is compiled once per deserializer it is used with, and
//! for 36 kinds that code is most of the page's WebAssembly. So manifests (YAML or JSON, turned
//! into a JSON value first) and the objects controllers build as JSON both come through
//! [`StrictValueDeserializer`], and nothing else deserializes a typed object.
//!
//! Besides building the value it does what `kubectl apply --validate=strict` needs:
//! - every field the type does not know (the type asks to skip it with `deserialize_ignored_any`)
//!   is recorded with its path, `spec.template.spec.containers[0].imagePullPolicyy`;
//! - an error carries the path of the value that failed (the innermost one).
//!
//! - a value of the wrong JSON type also carries the API server's Go wording (`json: cannot
//!   unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of
//!   type string`): the innermost struct, the dotted path of struct fields, the Go type.
//!
//! Text is text, as the API server's JSON decoder has it: a string field does not take a
//! number or boolean (`value: 8080` in an env var must be quoted — the classic first error),
//! while a Quantity (`cpu: 1`) and an IntOrString take both; a null is an empty string, list
//! or map (`containers:` with nothing after it).
//! The path is a chain of borrowed parents on the stack: nothing is allocated for it unless a
//! field is unknown or a value fails.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use serde_json::Value;

/// Where a value sits in the object.
#[derive(Clone, Copy)]
enum FieldPath<'a> {
    Root,
    /// A key of a map; of a struct's field when the struct's name is given.
    Key(&'a FieldPath<'a>, &'a str, Option<&'static str>),
    Index(&'a FieldPath<'a>, usize),
}

impl FieldPath<'_> {
    /// `["spec", "containers", "[0]", "image"]`.
    fn segments(&self) -> Vec<String> {
        let mut segments = Vec::new();
        let mut current = self;
        loop {
            match current {
                FieldPath::Root => break,
                FieldPath::Key(parent, key, _) => {
                    segments.push((*key).to_string());
                    current = parent;
                }
                FieldPath::Index(parent, index) => {
                    segments.push(format!("[{index}]"));
                    current = parent;
                }
            }
        }
        segments.reverse();
        segments
    }

    /// What Go's decoder names the place of a wrong value: the innermost struct and the dotted
    /// path of struct fields from the top (`EnvVar`, `spec.template.spec.containers.env.value`);
    /// list indexes and map keys are not part of it.
    fn go_struct_field(&self) -> Option<(&'static str, String)> {
        let mut fields = Vec::new();
        let mut innermost = None;
        let mut current = self;
        loop {
            match current {
                FieldPath::Root => break,
                FieldPath::Key(parent, key, owner) => {
                    if let Some(owner) = owner {
                        innermost.get_or_insert(*owner);
                        fields.push(*key);
                    }
                    current = parent;
                }
                FieldPath::Index(parent, _) => current = parent,
            }
        }
        fields.reverse();
        innermost.map(|owner| (owner, fields.join(".")))
    }
}

/// A failed decode: serde's message (`invalid type: string "3", expected i32`) and the path of
/// the value it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictError {
    pub message: String,
    /// Path segments of the failing value (`[n]` for list items); empty for the whole object.
    pub path: Vec<String>,
    located: bool,
    /// A value of the wrong JSON type, as the API server's Go decoder words it: `json: cannot
    /// unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value of
    /// type string`.
    pub go_message: Option<String>,
    /// `string`, `number`, `number 1.5`, `object`, `array`, `bool` — what the value was.
    go_value: Option<String>,
    /// The Go type that wanted it (`int32`, `[]v1.Container`), when known before serde's own
    /// description of what it expected.
    go_type: Option<String>,
}

impl StrictError {
    fn located_at(mut self, path: &FieldPath<'_>) -> StrictError {
        if !self.located {
            self.path = path.segments();
            self.located = true;
            if let (Some(value), Some(go_type)) = (&self.go_value, &self.go_type) {
                self.go_message = Some(match path.go_struct_field() {
                    Some((owner, fields)) => format!(
                        "json: cannot unmarshal {value} into Go struct field {owner}.{fields} of type {go_type}"
                    ),
                    None => format!("json: cannot unmarshal {value} into Go value of type {go_type}"),
                });
            }
        }
        self
    }

    /// Names the Go type a wrong value was meant for (lists and maps, whose serde description
    /// does not say what of).
    fn wanting(mut self, go_type: Option<String>) -> StrictError {
        if self.go_value.is_some() && go_type.is_some() && !self.located {
            self.go_type = go_type;
        }
        self
    }
}

/// What Go's decoder calls a JSON value of the wrong type.
fn go_value_kind(unexpected: &Unexpected<'_>) -> Option<String> {
    Some(match unexpected {
        Unexpected::Str(_) => "string".to_string(),
        Unexpected::Bool(_) => "bool".to_string(),
        Unexpected::Unsigned(_) | Unexpected::Signed(_) => "number".to_string(),
        Unexpected::Float(f) => format!("number {f}"),
        Unexpected::Map => "object".to_string(),
        Unexpected::Seq => "array".to_string(),
        _ => return None,
    })
}

/// The Go type behind serde's description of what it expected (`i32` → `int32`, `a string` →
/// `string`, a k8s struct's own name → `v1.PodSpec`).
fn go_type_of_expected(expected: &str) -> Option<String> {
    Some(match expected {
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "u32" => "uint32".into(),
        "u64" => "uint64".into(),
        "f64" => "float64".into(),
        "a boolean" => "bool".into(),
        "a string" | "a borrowed string" => "string".into(),
        "Quantity" => "resource.Quantity".into(),
        "IntOrString" => "intstr.IntOrString".into(),
        "Time" | "MicroTime" => format!("v1.{expected}"),
        name if name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            format!("v1.{name}")
        }
        _ => return None,
    })
}

/// The Go type of a Rust collection type (`alloc::vec::Vec<…::v1::container::Container>` →
/// `[]v1.Container`, `BTreeMap<String, String>` → `map[string]string`).
fn go_type_of_rust(rust: &str) -> Option<String> {
    let rust = rust.trim();
    if let Some(inner) = rust
        .strip_prefix("alloc::vec::Vec<")
        .and_then(|r| r.strip_suffix('>'))
    {
        return Some(format!("[]{}", go_type_of_rust(inner)?));
    }
    if let Some(inner) = rust
        .strip_prefix("alloc::collections::btree::map::BTreeMap<")
        .and_then(|r| r.strip_suffix('>'))
    {
        let (key, value) = inner.split_once(", ")?;
        return Some(format!(
            "map[{}]{}",
            go_type_of_rust(key)?,
            go_type_of_rust(value)?
        ));
    }
    Some(match rust {
        "alloc::string::String" => "string".into(),
        "i32" => "int32".into(),
        "i64" => "int64".into(),
        "f64" => "float64".into(),
        "bool" => "bool".into(),
        "serde_json::value::Value" => "interface {}".into(),
        path => {
            let name = path.rsplit("::").next()?;
            let package = if path.contains("::resource::") {
                "resource"
            } else if path.contains("::intstr::") {
                "intstr"
            } else if path.contains("::v2::") {
                "v2"
            } else {
                "v1"
            };
            format!("{package}.{name}")
        }
    })
}

impl fmt::Display for StrictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StrictError {}

impl de::Error for StrictError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        StrictError {
            message: message.to_string(),
            path: Vec::new(),
            located: false,
            go_message: None,
            go_value: None,
            go_type: None,
        }
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        let mut error = Self::custom(format_args!(
            "invalid type: {unexpected}, expected {expected}"
        ));
        error.go_value = go_value_kind(&unexpected);
        error.go_type = go_type_of_expected(&expected.to_string());
        error
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        let mut error = Self::custom(format_args!(
            "invalid value: {unexpected}, expected {expected}"
        ));
        // A number that does not fit the field (`3000000000` for an int32).
        if let Unexpected::Unsigned(n) = unexpected {
            error.go_value = Some(format!("number {n}"));
        } else if let Unexpected::Signed(n) = unexpected {
            error.go_value = Some(format!("number {n}"));
        }
        error.go_type = go_type_of_expected(&expected.to_string());
        error
    }
}

/// What a decode noticed besides the value: the paths of the fields the type does not have, in
/// the order they were met.
#[derive(Default)]
pub struct UnknownFields {
    paths: RefCell<Vec<Vec<String>>>,
}

impl UnknownFields {
    pub fn into_paths(self) -> Vec<Vec<String>> {
        self.paths.into_inner()
    }
}

/// Deserializes `T` from `value`, recording unknown fields into `unknown`.
pub fn from_value<T: de::DeserializeOwned>(
    value: Value,
    unknown: &UnknownFields,
) -> Result<T, StrictError> {
    T::deserialize(StrictValueDeserializer {
        value,
        path: FieldPath::Root,
        unknown,
    })
}

/// The deserializer itself; see the module documentation.
pub struct StrictValueDeserializer<'a> {
    value: Value,
    path: FieldPath<'a>,
    unknown: &'a UnknownFields,
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                Unexpected::Unsigned(u)
            } else if let Some(i) = n.as_i64() {
                Unexpected::Signed(i)
            } else {
                Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

impl<'a> StrictValueDeserializer<'a> {
    fn any<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visitor.visit_seq(ListAccess {
                items: items.into_iter(),
                index: 0,
                path: self.path,
                unknown: self.unknown,
            }),
            Value::Object(map) => visitor.visit_map(MapAccess {
                entries: map.into_iter(),
                key: String::new(),
                value: None,
                path: self.path,
                unknown: self.unknown,
                struct_name: None,
            }),
        }
    }

    fn text<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
        match self.value {
            Value::String(s) => visitor.visit_string(s),
            // Go's decoder leaves a string as it was for null.
            Value::Null => visitor.visit_string(String::new()),
            // A number or boolean is not text (`value: 8080` in an env var must be quoted).
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn list<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
        match self.value {
            Value::Null => visitor.visit_seq(ListAccess {
                items: Vec::new().into_iter(),
                index: 0,
                path: self.path,
                unknown: self.unknown,
            }),
            Value::Array(_) => self.any(visitor),
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
        .map_err(|e: StrictError| e.wanting(go_type_of_rust(std::any::type_name::<V::Value>())))
    }

    /// A map, or a struct's fields when `struct_name` is given.
    fn map<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        struct_name: Option<&'static str>,
    ) -> Result<V::Value, StrictError> {
        let map_access = |entries: serde_json::Map<String, Value>| MapAccess {
            entries: entries.into_iter(),
            key: String::new(),
            value: None,
            path: self.path,
            unknown: self.unknown,
            struct_name,
        };
        match self.value {
            Value::Null => visitor.visit_map(map_access(serde_json::Map::new())),
            Value::Object(entries) => visitor.visit_map(map_access(entries)),
            other => {
                let error = de::Error::invalid_type(unexpected(&other), &visitor);
                Err(match struct_name {
                    Some(_) => error,
                    None => StrictError::wanting(
                        error,
                        go_type_of_rust(std::any::type_name::<V::Value>()),
                    ),
                })
            }
        }
    }
}

/// Each `deserialize_*` runs its body and, on failure, stamps the error with this value's path
/// (unless a deeper value already did).
macro_rules! located {
    ($($method:ident => $body:ident;)+) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
                let path = self.path;
                self.$body(visitor).map_err(|e| e.located_at(&path))
            }
        )+
    };
}

impl<'de> de::Deserializer<'de> for StrictValueDeserializer<'_> {
    type Error = StrictError;

    located! {
        deserialize_any => any;
        deserialize_bool => any;
        deserialize_i8 => any;
        deserialize_i16 => any;
        deserialize_i32 => any;
        deserialize_i64 => any;
        deserialize_i128 => any;
        deserialize_u8 => any;
        deserialize_u16 => any;
        deserialize_u32 => any;
        deserialize_u64 => any;
        deserialize_u128 => any;
        deserialize_f32 => any;
        deserialize_f64 => any;
        deserialize_char => text;
        deserialize_str => text;
        deserialize_string => text;
        deserialize_bytes => text;
        deserialize_byte_buf => text;
        deserialize_identifier => text;
        deserialize_seq => list;
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
        let path = self.path;
        self.map(visitor, None).map_err(|e| e.located_at(&path))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
        let path = self.path;
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|e: StrictError| e.located_at(&path))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
        let path = self.path;
        match self.value {
            Value::Null => visitor.visit_unit(),
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
        .map_err(|e: StrictError| e.located_at(&path))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, StrictError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, StrictError> {
        let path = self.path;
        visitor
            .visit_newtype_struct(self)
            .map_err(|e: StrictError| e.located_at(&path))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, StrictError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, StrictError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, StrictError> {
        let path = self.path;
        self.map(visitor, Some(name).filter(|n| !n.is_empty()))
            .map_err(|e| e.located_at(&path))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, StrictError> {
        let path = self.path;
        let unknown = self.unknown;
        match self.value {
            // `Always`: a unit variant.
            Value::String(variant) => {
                visitor.visit_enum(IntoDeserializer::<StrictError>::into_deserializer(variant))
            }
            // `{Variant: payload}`: exactly one entry.
            Value::Object(map) if map.len() == 1 => {
                let Some((variant, payload)) = map.into_iter().next() else {
                    return Err(de::Error::invalid_length(0, &"a map with a single key"));
                };
                visitor.visit_enum(EnumAccess {
                    variant,
                    payload,
                    path: &path,
                    unknown,
                })
            }
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
        }
        .map_err(|e: StrictError| e.located_at(&path))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
        self.unknown.paths.borrow_mut().push(self.path.segments());
        visitor.visit_unit()
    }
}

struct ListAccess<'a> {
    items: std::vec::IntoIter<Value>,
    index: usize,
    path: FieldPath<'a>,
    unknown: &'a UnknownFields,
}

impl<'de> de::SeqAccess<'de> for ListAccess<'_> {
    type Error = StrictError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, StrictError> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(StrictValueDeserializer {
            value,
            path: FieldPath::Index(&self.path, index),
            unknown: self.unknown,
        })
        .map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapAccess<'a> {
    entries: serde_json::map::IntoIter,
    /// The key of the entry whose value comes next.
    key: String,
    value: Option<Value>,
    path: FieldPath<'a>,
    unknown: &'a UnknownFields,
    /// The struct whose fields these are (`None` for a map).
    struct_name: Option<&'static str>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_> {
    type Error = StrictError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, StrictError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.key = key;
        self.value = Some(value);
        seed.deserialize(KeyDeserializer { key: &self.key })
            .map(Some)
            .map_err(|e| e.located_at(&self.path))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, StrictError> {
        let value = self.value.take().unwrap_or(Value::Null);
        seed.deserialize(StrictValueDeserializer {
            value,
            path: FieldPath::Key(&self.path, &self.key, self.struct_name),
            unknown: self.unknown,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A map key: always a string in JSON.
struct KeyDeserializer<'k> {
    key: &'k str,
}

impl<'de> de::Deserializer<'de> for KeyDeserializer<'_> {
    type Error = StrictError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
        visitor.visit_str(self.key)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct EnumAccess<'p, 'a> {
    variant: String,
    payload: Value,
    path: &'p FieldPath<'a>,
    unknown: &'a UnknownFields,
}

impl<'de, 'p, 'a> de::EnumAccess<'de> for EnumAccess<'p, 'a> {
    type Error = StrictError;
    type Variant = VariantAccess<'p, 'a>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), StrictError> {
        let variant = seed.deserialize(KeyDeserializer { key: &self.variant })?;
        Ok((
            variant,
            VariantAccess {
                payload: self.payload,
                path: self.path,
                unknown: self.unknown,
            },
        ))
    }
}

struct VariantAccess<'p, 'a> {
    payload: Value,
    path: &'p FieldPath<'a>,
    unknown: &'a UnknownFields,
}

impl<'de> de::VariantAccess<'de> for VariantAccess<'_, '_> {
    type Error = StrictError;

    fn unit_variant(self) -> Result<(), StrictError> {
        match self.payload {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(
                unexpected(&other),
                &"a unit variant",
            )),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, StrictError> {
        seed.deserialize(self.payload_deserializer())
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, StrictError> {
        de::Deserializer::deserialize_tuple(self.payload_deserializer(), len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, StrictError> {
        de::Deserializer::deserialize_struct(self.payload_deserializer(), "", fields, visitor)
    }
}

impl<'p, 'a> VariantAccess<'p, 'a> {
    /// The payload keeps the enum's own path (serde_json and serde_yaml name no variant either).
    fn payload_deserializer(self) -> StrictValueDeserializer<'p> {
        StrictValueDeserializer {
            value: self.payload,
            path: *self.path,
            unknown: self.unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Pod;
    use serde_json::json;

    fn decode_pod(value: Value) -> (Result<Pod, StrictError>, Vec<Vec<String>>) {
        let unknown = UnknownFields::default();
        let result = from_value::<Pod>(value, &unknown);
        (result, unknown.into_paths())
    }

    #[test]
    fn unknown_fields_are_recorded_with_their_path() {
        let (pod, unknown) = decode_pod(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "a", "nmae": "b"},
            "spec": {"containers": [{"name": "c", "image": "i"}, {"name": "d", "imagee": "j"}]}
        }));
        assert!(pod.is_ok());
        assert_eq!(
            unknown,
            vec![
                vec!["metadata".to_string(), "nmae".to_string()],
                vec![
                    "spec".to_string(),
                    "containers".to_string(),
                    "[1]".to_string(),
                    "imagee".to_string()
                ],
            ]
        );
    }

    #[test]
    fn errors_carry_the_innermost_path() {
        let (pod, _) = decode_pod(json!({
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
            "spec": {"containers": [{"name": "c", "ports": [{"containerPort": "80"}]}]}
        }));
        let error = pod.unwrap_err();
        assert_eq!(
            error.path,
            ["spec", "containers", "[0]", "ports", "[0]", "containerPort"]
        );
        assert_eq!(error.message, "invalid type: string \"80\", expected i32");

        let (pod, _) = decode_pod(json!({"apiVersion": "v1", "kind": "Pod", "spec": []}));
        let error = pod.unwrap_err();
        assert_eq!(error.path, ["spec"]);
        assert!(
            error
                .message
                .starts_with("invalid type: sequence, expected"),
            "{}",
            error.message
        );
    }

    #[test]
    fn quantities_take_numbers_and_nulls_are_empty() {
        let (pod, unknown) = decode_pod(json!({
            "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
            "spec": {"containers": [{"name": "c", "resources": {"limits": {"cpu": 1, "memory": 1.5}},
                "ports": [{"containerPort": 80, "name": null}]}], "volumes": null}
        }));
        assert!(unknown.is_empty());
        let pod = pod.unwrap();
        let spec = pod.spec.unwrap();
        let limits = spec.containers[0]
            .resources
            .as_ref()
            .and_then(|r| r.limits.as_ref())
            .unwrap();
        assert_eq!(limits["cpu"].0, "1");
        assert_eq!(limits["memory"].0, "1.5");
        assert_eq!(spec.volumes, None);
    }

    #[test]
    fn wrong_json_types_are_worded_as_the_api_servers_go_decoder_does() {
        let go_message = |spec: Value| {
            let (pod, _) = decode_pod(json!({
                "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a", "labels": {"ok": "yes"}},
                "spec": spec
            }));
            pod.unwrap_err().go_message.unwrap_or_default()
        };
        assert_eq!(
            go_message(json!({"containers": [{"name": "c", "env": [{"name": "PORT", "value": 8080}]}]})),
            "json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string"
        );
        assert_eq!(
            go_message(json!({"containers": {"name": "c"}})),
            "json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container"
        );
        assert_eq!(
            go_message(json!({"containers": [{"name": "c", "ports": [{"containerPort": 1.5}]}]})),
            "json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
        );
        assert_eq!(
            go_message(json!({"containers": [{"name": true}]})),
            "json: cannot unmarshal bool into Go struct field Container.spec.containers.name of type string"
        );
        assert_eq!(
            go_message(json!({"containers": [], "nodeSelector": {"disk": 1}})),
            "json: cannot unmarshal number into Go struct field PodSpec.spec.nodeSelector of type string"
        );
        assert_eq!(
            go_message(json!({"containers": [], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": []}}})),
            "json: cannot unmarshal array into Go struct field NodeAffinity.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution of type v1.NodeSelector"
        );
        assert_eq!(
            go_message(json!({"containers": [], "tolerations": "none"})),
            "json: cannot unmarshal string into Go struct field PodSpec.spec.tolerations of type []v1.Toleration"
        );
    }

    #[test]
    fn int_or_string_reads_both() {
        use k8s_openapi::api::core::v1::ServicePort;
        let unknown = UnknownFields::default();
        let port: ServicePort =
            from_value(json!({"port": 80, "targetPort": "http"}), &unknown).unwrap();
        assert_eq!(
            port.target_port,
            Some(
                k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(
                    "http".to_string()
                )
            )
        );
        let port: ServicePort =
            from_value(json!({"port": 80, "targetPort": 8080}), &unknown).unwrap();
        assert_eq!(
            port.target_port,
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(8080))
        );
    }

    #[test]
    fn enums_take_a_name_or_a_single_entry_map() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        enum Shape {
            Dot,
            Line(u32),
            Box { width: u32 },
        }
        let unknown = UnknownFields::default();
        let dot: Shape = from_value(json!("Dot"), &unknown).unwrap();
        assert_eq!(dot, Shape::Dot);
        let line: Shape = from_value(json!({"Line": 3}), &unknown).unwrap();
        assert_eq!(line, Shape::Line(3));
        let boxed: Shape = from_value(json!({"Box": {"width": 2}}), &unknown).unwrap();
        assert_eq!(boxed, Shape::Box { width: 2 });
        assert!(from_value::<Shape>(json!([1]), &unknown).is_err());
    }
}
