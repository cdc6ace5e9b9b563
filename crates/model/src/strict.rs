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
//! YAML's scalar leniency is kept: a string field reads a number or boolean as its text, as the
//! YAML parser did when it decoded into types directly (`cpu: 1` is the Quantity `"1"`), and a
//! null (`containers:` with nothing after it) is an empty list or map where one is wanted.
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
    Key(&'a FieldPath<'a>, &'a str),
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
                FieldPath::Key(parent, key) => {
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
}

/// A failed decode: serde's message (`invalid type: string "3", expected i32`) and the path of
/// the value it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrictError {
    pub message: String,
    /// Path segments of the failing value (`[n]` for list items); empty for the whole object.
    pub path: Vec<String>,
    located: bool,
}

impl StrictError {
    fn located_at(mut self, path: &FieldPath<'_>) -> StrictError {
        if !self.located {
            self.path = path.segments();
            self.located = true;
        }
        self
    }
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
        }
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
            }),
        }
    }

    fn text<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
        match self.value {
            Value::String(s) => visitor.visit_string(s),
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            Value::Null => visitor.visit_string(String::new()),
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
    }

    fn map<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, StrictError> {
        match self.value {
            Value::Null => visitor.visit_map(MapAccess {
                entries: serde_json::Map::new().into_iter(),
                key: String::new(),
                value: None,
                path: self.path,
                unknown: self.unknown,
            }),
            Value::Object(_) => self.any(visitor),
            other => Err(de::Error::invalid_type(unexpected(&other), &visitor)),
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
        deserialize_map => map;
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
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, StrictError> {
        self.deserialize_map(visitor)
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
            path: FieldPath::Key(&self.path, &self.key),
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
    fn yaml_scalars_stay_lenient_where_text_is_wanted() {
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
