//! Merging JSON the ways Kubernetes does: client-side apply's three-way merge (kubectl apply),
//! strategic merge patch (`kubectl patch`, the default type), JSON merge patch (RFC 7386) and
//! JSON patch (RFC 6902).

use serde_json::Value;

/// The merge key of a list field in strategic merge patch (`containers` merge by `name`, Service
/// and container `ports` by port number, `volumeMounts` by `mountPath`); lists without one are
/// replaced whole.
pub fn merge_key(field: &str, sample: &Value) -> Option<&'static str> {
    match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets" => Some("name"),
        "ports" if sample.get("containerPort").is_some() => Some("containerPort"),
        "ports" => Some("port"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "hostAliases" => Some("ip"),
        _ => None,
    }
}

/// Three-way merge in the manner of client-side apply: maps merge key by key (a key in `last`
/// but not in `new` is deleted from `live`), lists with a merge key merge item by item the same
/// way, other lists and scalars are replaced by `new`.
pub fn three_way_merge(live: &mut Value, last: Option<&Value>, new: &Value) {
    let (Some(live_map), Some(new_map)) = (live.as_object_mut(), new.as_object()) else {
        *live = new.clone();
        return;
    };
    if let Some(last_map) = last.and_then(Value::as_object) {
        for key in last_map.keys() {
            if !new_map.contains_key(key) {
                live_map.remove(key);
            }
        }
    }
    for (key, new_value) in new_map {
        let last_value = last.and_then(|l| l.get(key));
        // Unchanged since the last apply: the patch kubectl sends would not mention it, so what
        // the cluster has (defaults, admission, other writers) stays.
        if last_value == Some(new_value) && live_map.contains_key(key) {
            continue;
        }
        match live_map.get_mut(key) {
            Some(live_value) if live_value.is_object() && new_value.is_object() => {
                three_way_merge(live_value, last_value, new_value)
            }
            Some(live_value) if live_value.is_array() && new_value.is_array() => {
                merge_list(key, live_value, last_value, new_value)
            }
            _ => {
                live_map.insert(key.clone(), new_value.clone());
            }
        }
    }
}

fn merge_list(field: &str, live: &mut Value, last: Option<&Value>, new: &Value) {
    let new_items = new.as_array().cloned().unwrap_or_default();
    let Some(key) = new_items
        .first()
        .and_then(|sample| merge_key(field, sample))
    else {
        *live = new.clone();
        return;
    };
    if !new_items.iter().all(|item| item.get(key).is_some()) {
        *live = new.clone();
        return;
    }
    let live_items = live.as_array().cloned().unwrap_or_default();
    let last_items = last.and_then(Value::as_array).cloned().unwrap_or_default();
    let find = |items: &[Value], id: &Value| items.iter().find(|i| i.get(key) == Some(id)).cloned();
    let mut merged = Vec::new();
    for new_item in &new_items {
        let id = &new_item[key];
        let last_item = find(&last_items, id);
        let mut item = find(&live_items, id).unwrap_or_else(|| Value::Object(Default::default()));
        three_way_merge(&mut item, last_item.as_ref(), new_item);
        merged.push(item);
    }
    // Items someone else added (in live, never applied by us) stay.
    for live_item in &live_items {
        let id = &live_item[key];
        if find(&new_items, id).is_none() && find(&last_items, id).is_none() {
            merged.push(live_item.clone());
        }
    }
    *live = Value::Array(merged);
}

/// Strategic merge patch (two-way): maps merge key by key, `null` deletes a key, lists with a
/// merge key merge item by item (an item with `$patch: delete` removes its match), a map with
/// `$patch: replace` replaces the whole map, other lists are replaced.
pub fn strategic_merge_patch(live: &mut Value, patch: &Value) {
    let Some(patch_map) = patch.as_object() else {
        *live = patch.clone();
        return;
    };
    if patch_map.get("$patch").and_then(Value::as_str) == Some("replace") {
        let mut replacement = patch.clone();
        if let Some(m) = replacement.as_object_mut() {
            m.remove("$patch");
        }
        *live = replacement;
        return;
    }
    if !live.is_object() {
        *live = Value::Object(Default::default());
    }
    let Some(live_map) = live.as_object_mut() else {
        return;
    };
    for (key, patch_value) in patch_map {
        if key.starts_with('$') {
            continue;
        }
        match patch_value {
            Value::Null => {
                live_map.remove(key);
            }
            Value::Object(_) => {
                let entry = live_map
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Default::default()));
                strategic_merge_patch(entry, patch_value);
            }
            Value::Array(patch_items) => {
                let merge_key = patch_items
                    .iter()
                    .find(|i| i.is_object())
                    .and_then(|sample| merge_key(key, sample));
                match (merge_key, live_map.get_mut(key)) {
                    (Some(merge_key), Some(Value::Array(live_items))) => {
                        for patch_item in patch_items {
                            let Some(id) = patch_item.get(merge_key) else {
                                continue;
                            };
                            let position =
                                live_items.iter().position(|i| i.get(merge_key) == Some(id));
                            let delete =
                                patch_item.get("$patch").and_then(Value::as_str) == Some("delete");
                            match (position, delete) {
                                (Some(at), true) => {
                                    live_items.remove(at);
                                }
                                (None, true) => {}
                                (Some(at), false) => {
                                    strategic_merge_patch(&mut live_items[at], patch_item)
                                }
                                (None, false) => {
                                    let mut item = Value::Object(Default::default());
                                    strategic_merge_patch(&mut item, patch_item);
                                    live_items.push(item);
                                }
                            }
                        }
                    }
                    _ => {
                        live_map.insert(key.clone(), patch_value.clone());
                    }
                }
            }
            scalar => {
                live_map.insert(key.clone(), scalar.clone());
            }
        }
    }
}

/// JSON merge patch (RFC 7386).
pub fn merge_patch(live: &mut Value, patch: &Value) {
    json_patch::merge(live, patch);
}

/// JSON patch (RFC 6902); the error names the failing operation.
pub fn json_patch(live: &mut Value, patch: &Value) -> Result<(), String> {
    let operations: json_patch::Patch =
        serde_json::from_value(patch.clone()).map_err(|e| e.to_string())?;
    json_patch::patch(live, &operations).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_with_merge_keys_merge_item_by_item() {
        let mut live = json!({"ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 9000, "nodePort": 30900}]});
        let last = json!({"ports": [{"port": 80}, {"port": 9000}]});
        let new = json!({"ports": [{"port": 80, "name": "http"}]});
        three_way_merge(&mut live, Some(&last), &new);
        assert_eq!(
            live,
            json!({"ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP", "name": "http"}]})
        );
    }

    #[test]
    fn three_way_merge_keeps_server_fields_and_drops_removed_ones() {
        let mut live =
            json!({"spec": {"replicas": 3, "paused": true, "x": 1}, "status": {"ready": 1}});
        let last = json!({"spec": {"replicas": 2, "paused": true}});
        let new = json!({"spec": {"replicas": 4}});
        three_way_merge(&mut live, Some(&last), &new);
        assert_eq!(
            live,
            json!({"spec": {"replicas": 4, "x": 1}, "status": {"ready": 1}})
        );
    }

    #[test]
    fn strategic_merge_patches_containers_by_name() {
        let mut live = json!({"spec": {"replicas": 1, "containers": [{"name": "a", "image": "x:1"}, {"name": "b", "image": "y"}]}});
        strategic_merge_patch(
            &mut live,
            &json!({"spec": {"replicas": null, "containers": [{"name": "a", "image": "x:2"}, {"name": "b", "$patch": "delete"}, {"name": "c", "image": "z"}]}}),
        );
        assert_eq!(
            live,
            json!({"spec": {"containers": [{"name": "a", "image": "x:2"}, {"name": "c", "image": "z"}]}})
        );
    }

    #[test]
    fn json_patch_and_merge_patch() {
        let mut live = json!({"spec": {"replicas": 1, "list": [1, 2]}});
        json_patch(
            &mut live,
            &json!([{"op": "replace", "path": "/spec/replicas", "value": 3}]),
        )
        .unwrap();
        assert_eq!(live["spec"]["replicas"], 3);
        assert!(json_patch(&mut live, &json!([{"op": "remove", "path": "/nope"}])).is_err());
        merge_patch(&mut live, &json!({"spec": {"list": [3]}}));
        assert_eq!(live["spec"]["list"], json!([3]));
    }
}
