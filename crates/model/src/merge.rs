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

/// Primitive lists whose patch strategy is `merge` (the patch's values are added, not
/// replacing the list).
fn merges_primitives(field: &str) -> bool {
    field == "finalizers"
}

/// Strategic merge patch (two-way), with the directives kubectl and the API server know:
/// maps merge key by key and `null` deletes a key; `$patch: replace` replaces a map (or, as a
/// list element, the list) and `$patch: delete` empties a map (or removes a list item);
/// `$retainKeys` drops the keys it does not list; `$deleteFromPrimitiveList/<field>` removes
/// values from a primitive list; `$setElementOrder/<field>` orders a merged list. Lists with a
/// merge key merge item by item, and the result keeps the patch's order for the items it
/// names and the live order for the others, the patch's items first where the two do not say
/// (upstream's `normalizeElementOrder`); other lists are replaced.
pub fn strategic_merge_patch(live: &mut Value, patch: &Value) {
    let Some(patch_map) = patch.as_object() else {
        *live = patch.clone();
        return;
    };
    match patch_map.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            let mut replacement = patch.clone();
            if let Some(m) = replacement.as_object_mut() {
                m.remove("$patch");
            }
            *live = replacement;
            return;
        }
        Some("delete") => {
            *live = Value::Object(Default::default());
            return;
        }
        _ => {}
    }
    if !live.is_object() {
        *live = Value::Object(Default::default());
    }
    let Some(live_map) = live.as_object_mut() else {
        return;
    };
    if let Some(retained) = patch_map.get("$retainKeys").and_then(Value::as_array) {
        live_map.retain(|key, _| retained.iter().any(|r| r.as_str() == Some(key)));
    }
    for (key, values) in patch_map {
        let Some(field) = key.strip_prefix("$deleteFromPrimitiveList/") else {
            continue;
        };
        if let (Some(Value::Array(items)), Some(doomed)) =
            (live_map.get_mut(field), values.as_array())
        {
            items.retain(|item| !doomed.contains(item));
        }
    }
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
                let order = patch_map
                    .get(&format!("$setElementOrder/{key}"))
                    .and_then(Value::as_array);
                let original = match live_map.get(key) {
                    Some(Value::Array(items)) => items.clone(),
                    _ => Vec::new(),
                };
                let merged = merge_patch_list(key, original, patch_items, order);
                live_map.insert(key.clone(), Value::Array(merged));
            }
            scalar => {
                live_map.insert(key.clone(), scalar.clone());
            }
        }
    }
    // An order for a list the patch does not otherwise touch.
    for (key, order) in patch_map {
        let Some(field) = key.strip_prefix("$setElementOrder/") else {
            continue;
        };
        if patch_map.contains_key(field) {
            continue;
        }
        if let (Some(Value::Array(items)), Some(order)) = (live_map.get(field), order.as_array()) {
            let merged = merge_patch_list(field, items.clone(), &[], Some(order));
            live_map.insert(field.to_string(), Value::Array(merged));
        }
    }
}

/// One list of a strategic merge patch (see [`strategic_merge_patch`]).
fn merge_patch_list(
    field: &str,
    original: Vec<Value>,
    patch_items: &[Value],
    set_order: Option<&Vec<Value>>,
) -> Vec<Value> {
    let sample = patch_items
        .iter()
        .chain(original.iter())
        .find(|i| i.is_object() && i.get("$patch").is_none());
    let maps = patch_items
        .iter()
        .chain(original.iter())
        .any(Value::is_object);
    if !maps {
        if !merges_primitives(field) {
            return if patch_items.is_empty() && set_order.is_some() {
                original
            } else {
                patch_items.to_vec()
            };
        }
        let mut merged = original.clone();
        for item in patch_items {
            if !merged.contains(item) {
                merged.push(item.clone());
            }
        }
        let patch_order: &[Value] = set_order.map_or(patch_items, Vec::as_slice);
        let identity = |v: &Value| v.clone();
        return order_merged(merged, patch_order, &original, identity);
    }
    let Some(key) = sample.and_then(|s| merge_key(field, s)) else {
        return patch_items.to_vec();
    };
    // `$patch: replace` as an element: the list becomes the patch's other elements.
    if patch_items
        .iter()
        .any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace") && i.get(key).is_none())
    {
        return patch_items
            .iter()
            .filter(|i| i.get("$patch").is_none())
            .cloned()
            .collect();
    }
    let mut merged = original.clone();
    let mut named: Vec<Value> = Vec::new();
    for patch_item in patch_items {
        let Some(id) = patch_item.get(key) else {
            continue;
        };
        let position = merged.iter().position(|i| i.get(key) == Some(id));
        if patch_item.get("$patch").and_then(Value::as_str) == Some("delete") {
            if let Some(at) = position {
                merged.remove(at);
            }
            continue;
        }
        named.push(id.clone());
        match position {
            Some(at) => strategic_merge_patch(&mut merged[at], patch_item),
            None => {
                let mut item = Value::Object(Default::default());
                strategic_merge_patch(&mut item, patch_item);
                merged.push(item);
            }
        }
    }
    let patch_order: Vec<Value> = match set_order {
        Some(order) => order.iter().filter_map(|i| i.get(key).cloned()).collect(),
        None => named,
    };
    let original_order: Vec<Value> = original
        .iter()
        .filter_map(|i| i.get(key).cloned())
        .collect();
    let id_of = |v: &Value| v.get(key).cloned().unwrap_or(Value::Null);
    order_merged(merged, &patch_order, &original_order, id_of)
}

/// Upstream's `normalizeElementOrder`: the items the patch orders (in its order) and the
/// others (in the live order) are woven together by their live positions; where one of two
/// is new, the patch's item comes first.
fn order_merged(
    merged: Vec<Value>,
    patch_order: &[Value],
    original_order: &[Value],
    id_of: impl Fn(&Value) -> Value,
) -> Vec<Value> {
    let position_in = |order: &[Value], item: &Value| order.iter().position(|i| *i == id_of(item));
    let (mut patch_items, mut server_only): (Vec<Value>, Vec<Value>) = merged
        .into_iter()
        .partition(|item| position_in(patch_order, item).is_some());
    crate::sort::SortSlice::sort_stable_by_key(patch_items.as_mut_slice(), |item| {
        position_in(patch_order, item)
    });
    crate::sort::SortSlice::sort_stable_by_key(server_only.as_mut_slice(), |item| {
        position_in(original_order, item)
    });
    let mut woven = Vec::with_capacity(patch_items.len() + server_only.len());
    let (mut left, mut right) = (
        server_only.into_iter().peekable(),
        patch_items.into_iter().peekable(),
    );
    loop {
        match (left.peek(), right.peek()) {
            (None, None) => break,
            (Some(_), None) => woven.extend(left.next()),
            (None, Some(_)) => woven.extend(right.next()),
            (Some(l), Some(r)) => {
                let before = match (
                    position_in(original_order, l),
                    position_in(original_order, r),
                ) {
                    (Some(a), Some(b)) => a < b,
                    _ => false,
                };
                if before {
                    woven.extend(left.next());
                } else {
                    woven.extend(right.next());
                }
            }
        }
    }
    woven
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
    fn strategic_merge_patch_orders_and_directives_as_upstream() {
        // New items come before the live ones they are not ordered against.
        let mut live = json!({"ports": [{"containerPort": 80}, {"containerPort": 443}]});
        strategic_merge_patch(&mut live, &json!({"ports": [{"containerPort": 8080}]}));
        assert_eq!(
            live,
            json!({"ports": [{"containerPort": 8080}, {"containerPort": 80}, {"containerPort": 443}]})
        );
        let mut live = json!({"env": [{"name": "A"}, {"name": "B"}]});
        strategic_merge_patch(
            &mut live,
            &json!({"env": [{"name": "C"}, {"name": "A", "$patch": "delete"}]}),
        );
        assert_eq!(live, json!({"env": [{"name": "C"}, {"name": "B"}]}));
        // `$patch: replace` as a list element, `$setElementOrder`, `$deleteFromPrimitiveList`.
        let mut live = json!({"env": [{"name": "A"}, {"name": "B"}], "args": ["a", "b", "c"], "containers": [{"name": "n"}, {"name": "s"}]});
        strategic_merge_patch(
            &mut live,
            &json!({"env": [{"$patch": "replace"}, {"name": "Z"}], "$deleteFromPrimitiveList/args": ["b"], "$setElementOrder/containers": [{"name": "s"}, {"name": "n"}]}),
        );
        assert_eq!(
            live,
            json!({"env": [{"name": "Z"}], "args": ["a", "c"], "containers": [{"name": "s"}, {"name": "n"}]})
        );
        // `$retainKeys` clears what it does not list (the docs' Recreate strategy patch).
        let mut live =
            json!({"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}});
        strategic_merge_patch(
            &mut live,
            &json!({"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}),
        );
        assert_eq!(live, json!({"strategy": {"type": "Recreate"}}));
        // Finalizers merge as a set.
        let mut live = json!({"finalizers": ["a"]});
        strategic_merge_patch(&mut live, &json!({"finalizers": ["b", "a"]}));
        assert_eq!(live, json!({"finalizers": ["b", "a"]}));
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
