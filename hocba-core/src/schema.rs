//! The schemas of format v1: JSON Schema (generated from the model) and XSD (committed file,
//! checked against the model by tests).

use serde_json::Value;

/// The XML Schema of format v1 (`schemas/hocba-1.xsd`).
pub const XSD: &str = include_str!("../../schemas/hocba-1.xsd");

/// The JSON Schema (draft 2020-12) of format v1, generated from the model
/// (`schemas/hocba-1.schema.json`).
///
/// It describes a complete record: the Rust types also hold incomplete ones (so the rules can
/// report what is missing), the schema lists what is required. Absent fields are omitted, never
/// `null`, so the schema does not allow `null`.
///
/// ```
/// let schema: serde_json::Value =
///     serde_json::from_str(&hocba_core::schema::json_schema()).unwrap();
/// assert_eq!(schema["required"][0], "phienBan");
/// ```
pub fn json_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<crate::model::Record>();
    let mut value = schema.to_value();
    strip_null(&mut value);
    if let Value::Object(map) = &mut value {
        map.shift_insert(
            0,
            "$id".to_owned(),
            Value::from("urn:hocba:tieu-hoc:1:schema.json"),
        );
    }
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// Removes the `null` alternative that `Option` fields get: `"type": ["string", "null"]` becomes
/// `"type": "string"`, and `"anyOf": [{"$ref": …}, {"type": "null"}]` becomes the reference.
fn strip_null(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let t = types.remove(0);
                    map.insert("type".to_owned(), t);
                }
            }
            if let Some(Value::Array(alts)) = map.get("anyOf") {
                let rest: Vec<Value> = alts
                    .iter()
                    .filter(|a| a.get("type") != Some(&Value::from("null")))
                    .cloned()
                    .collect();
                if rest.len() == 1 {
                    map.shift_remove("anyOf");
                    if let Value::Object(inner) = &rest[0] {
                        for (k, val) in inner {
                            map.insert(k.clone(), val.clone());
                        }
                    }
                }
            }
            for (_, child) in map.iter_mut() {
                strip_null(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_null),
        _ => {}
    }
}
