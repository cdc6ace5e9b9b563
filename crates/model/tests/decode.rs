//! Decoding tests: good manifests, multi-document, KYAML, JSON, List, and every way a manifest
//! can be broken or hostile, each with its position.

use model::{decode_documents, DecodeErrorKind};

#[test]
fn decodes_a_deployment() {
    let objects = decode_documents(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n",
    )
    .unwrap();
    assert_eq!(objects.len(), 1);
    assert_eq!(objects[0].kind(), "Deployment");
    assert_eq!(objects[0].name(), "web");
    let model::Object::Deployment(d) = &objects[0] else {
        panic!()
    };
    assert_eq!(d.spec.replicas, Some(2));
}

#[test]
fn decodes_multiple_documents_and_skips_empty_ones() {
    let text = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  ports: [{port: 80}]\n...\n";
    let objects = decode_documents(text).unwrap();
    let names: Vec<_> = objects
        .iter()
        .map(|o| format!("{}/{}", o.kind(), o.name()))
        .collect();
    assert_eq!(names, ["ConfigMap/a", "Service/b"]);
}

#[test]
fn decodes_kyaml_flow_style_and_json() {
    let kyaml = "{\n  apiVersion: \"v1\",\n  kind: \"Pod\",\n  metadata: {\n    name: \"p\",\n  },\n  spec: {\n    containers: [{\n      name: \"c\",\n      image: \"nginx\",\n    }],\n  },\n}\n";
    assert_eq!(decode_documents(kyaml).unwrap()[0].name(), "p");
    let json = r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev"}}"#;
    assert_eq!(decode_documents(json).unwrap()[0].kind(), "Namespace");
}

#[test]
fn decodes_lists() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: b}\n";
    let objects = decode_documents(text).unwrap();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[1].kind(), "Secret");
}

#[test]
fn syntax_errors_carry_line_and_column_in_the_whole_text() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n bad: [\n";
    let error = decode_documents(text).unwrap_err();
    assert_eq!(error.kind, DecodeErrorKind::Syntax);
    assert_eq!(error.document, 1);
    assert_eq!(error.line, Some(10), "{error}");
    assert!(error.column.is_some());
    assert!(error.to_string().starts_with("line 10, column "), "{error}");
}

#[test]
fn tabs_are_a_syntax_error_with_position() {
    let error = decode_documents("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n").unwrap_err();
    assert_eq!(error.kind, DecodeErrorKind::Syntax);
    assert_eq!(error.line, Some(4));
    assert!(
        error.message.contains("cannot start any token"),
        "{}",
        error.message
    );
}

#[test]
fn unknown_fields_are_strict_errors_naming_path_and_line() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replica: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: a\n        image: nginx\n      - name: b\n        image: nginx\n        imagePullPolicyy: Always\n";
    let error = decode_documents(text).unwrap_err();
    assert_eq!(error.kind, DecodeErrorKind::StrictDecoding);
    assert_eq!(
        error.message,
        "strict decoding error: unknown field \"spec.replica\", unknown field \"spec.template.spec.containers[1].imagePullPolicyy\""
    );
    assert_eq!((error.line, error.column), (Some(6), Some(3)));
    assert_eq!(error.object_kind.as_deref(), Some("Deployment"));
}

#[test]
fn the_second_list_item_is_located() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: nginx\n  - name: b\n    image: nginx\n    imagee: x\n";
    let error = decode_documents(text).unwrap_err();
    assert_eq!(
        error.message,
        "strict decoding error: unknown field \"spec.containers[1].imagee\""
    );
    assert_eq!(error.line, Some(11));
}

#[test]
fn wrong_types_name_the_field_and_position() {
    let error = decode_documents(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: two\n",
    )
    .unwrap_err();
    assert_eq!(error.kind, DecodeErrorKind::StrictDecoding);
    assert!(error.message.contains("spec.replicas"), "{}", error.message);
    assert_eq!(error.line, Some(6));
}

#[test]
fn duplicate_fields_are_errors() {
    let error = decode_documents("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n")
        .unwrap_err();
    assert!(error.message.contains("duplicate"), "{}", error.message);
    assert_eq!(error.line, Some(5));
}

#[test]
fn api_versions_no_longer_served_get_the_real_message() {
    let error =
        decode_documents("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: hello\n")
            .unwrap_err();
    assert_eq!(error.kind, DecodeErrorKind::NoMatchForKind);
    assert_eq!(
        error.message,
        "no matches for kind \"CronJob\" in version \"batch/v1beta1\""
    );
    assert_eq!(error.line, Some(1));
    let crd = decode_documents(
        "apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata:\n  name: x\n",
    )
    .unwrap_err();
    assert_eq!(
        crd.message,
        "no matches for kind \"CronTab\" in version \"stable.example.com/v1\""
    );
}

#[test]
fn missing_kind_is_reported() {
    let error = decode_documents("apiVersion: v1\nmetadata:\n  name: a\n").unwrap_err();
    assert_eq!(error.kind, DecodeErrorKind::MissingTypeInfo);
    assert_eq!(error.message, "error validating data: kind not set");
    let scalar = decode_documents("just a string\n").unwrap_err();
    assert_eq!(scalar.kind, DecodeErrorKind::MissingTypeInfo);
}

#[test]
fn alias_bombs_are_refused_quickly() {
    let mut text = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, name) in "bcdefghi".chars().enumerate() {
        let prev = "abcdefghi".chars().nth(i).unwrap();
        text.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    let error = decode_documents(&text).unwrap_err();
    assert_eq!(error.kind, DecodeErrorKind::TooLarge, "{error}");
}

#[test]
fn deep_nesting_is_refused() {
    let depth = 150;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(
        decode_documents(&text).unwrap_err().kind,
        DecodeErrorKind::TooLarge
    );
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\nx: {}1{}\n",
        "[".repeat(101),
        "]".repeat(101)
    );
    assert_eq!(
        decode_documents(&text).unwrap_err().kind,
        DecodeErrorKind::TooLarge
    );
}

#[test]
fn oversized_input_is_refused() {
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\ndata:\n  big: \"{}\"\n",
        "x".repeat(3 * 1024 * 1024)
    );
    let error = decode_documents(&text).unwrap_err();
    assert_eq!(error.kind, DecodeErrorKind::TooLarge);
    assert_eq!(error.message, "Request entity too large: limit is 3145728");
}

#[test]
fn autoscaling_v1_is_converted_to_the_stored_v2() {
    let text = "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: php\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: php}\n  minReplicas: 1\n  maxReplicas: 10\n  targetCPUUtilizationPercentage: 50\n";
    let object = decode_documents(text).unwrap().remove(0);
    assert_eq!(object.api_version(), "autoscaling/v2");
    let json = object.to_json_value();
    assert_eq!(
        json["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
        50
    );
}

#[test]
fn garbage_never_panics() {
    for text in [
        "",
        "---",
        ":",
        "- - -",
        "{",
        "[}",
        "apiVersion: [",
        "\u{0}",
        "kind: Pod\napiVersion: 1",
        "a: *b",
        "? [a]\n: b",
        "!!binary x",
    ] {
        let _ = decode_documents(text);
    }
}

#[test]
fn fuzzer_findings_decode_promptly() {
    // Found by scripts/fuzz.sh: a tagged flow mapping whose unknown field has an empty name made
    // the field locator loop forever.
    let text = include_str!("data/fuzz-hang-empty-key.yaml");
    let _ = decode_documents(text);
    let _ = decode_documents("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n\"\": 1\n");
    let _ = decode_documents("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    bogus: 1\n  -");
    // Found by scripts/fuzz.sh in session 5: apiVersion "/v1" passed the registry's lookup but
    // no typed decoder, which panicked.
    let text = include_str!("data/fuzz-panic-slash-api-version.yaml");
    let error = decode_documents(text).expect_err("\"/v1\" is not a served version");
    assert!(
        error
            .message
            .contains("no matches for kind \"Pod\" in version \"/v1\""),
        "{}",
        error.message
    );
}

#[test]
fn unknown_fields_are_listed_in_the_order_they_are_written() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  zzz: 1\n  containers:\n  - name: a\n    image: nginx\n  aaa: 2\n";
    let error = decode_documents(text).unwrap_err();
    assert_eq!(
        error.message,
        "strict decoding error: unknown field \"spec.zzz\", unknown field \"spec.aaa\""
    );
    assert_eq!((error.line, error.column), (Some(6), Some(3)));
}

#[test]
fn wrong_types_point_at_the_value_with_the_exact_message() {
    let error = decode_documents(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: nginx\n    ports:\n    - containerPort: \"80\"\n",
    )
    .unwrap_err();
    // Worded as the API server's Go decoder words it; located in the text.
    assert_eq!(
        error.message,
        "json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"
    );
    assert_eq!((error.line, error.column), (Some(10), Some(22)));
    // A block value that should have been a mapping: the position of its first line.
    let error = decode_documents("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  - a\n")
        .unwrap_err();
    assert_eq!(
        error.message,
        "json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec"
    );
    assert_eq!((error.line, error.column), (Some(6), Some(3)));
}

#[test]
fn yaml_merge_keys_are_applied_as_kubectl_does() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merged\n  labels: &common\n    app: web\n  annotations:\n    <<: *common\n    note: extra\ndata:\n  80: port\n";
    let objects = decode_documents(text).unwrap();
    let model::Object::ConfigMap(config) = &objects[0] else {
        panic!()
    };
    let annotations = config.metadata.annotations.as_ref().unwrap();
    assert_eq!(annotations.get("app").map(String::as_str), Some("web"));
    assert_eq!(annotations.get("note").map(String::as_str), Some("extra"));
    // A number as a mapping key is the string key, as YAML-to-JSON conversion makes it.
    assert_eq!(
        config.data.as_ref().unwrap().get("80").map(String::as_str),
        Some("port")
    );
}

#[test]
fn thousands_of_unknown_fields_are_reported_without_scanning_the_text_for_each() {
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\n");
    for i in 0..20_000 {
        text.push_str(&format!("field{i}: {i}\n"));
    }
    let error = decode_documents(&text).unwrap_err();
    assert_eq!(error.kind, DecodeErrorKind::StrictDecoding);
    assert!(
        error
            .message
            .starts_with("strict decoding error: unknown field \"field0\""),
        "{}",
        &error.message[..80]
    );
    assert_eq!(error.line, Some(5));
}
