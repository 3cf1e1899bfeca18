//! The schemas of format v1: JSON Schema (generated from the model) and XSD (committed file,
//! checked against the model by tests).

/// The XML Schema of format v1 (`schemas/hocba-1.xsd`).
pub const XSD: &str = include_str!("../../schemas/hocba-1.xsd");

/// The JSON Schema of format v1, generated from the model (`schemas/hocba-1.schema.json`).
///
/// ```
/// let schema = hocba_core::schema::json_schema();
/// assert!(schema.contains("\"maDinhDanhHocBa\""));
/// ```
pub fn json_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<crate::model::Record>();
    schema.insert(
        "$id".to_owned(),
        serde_json::json!("urn:hocba:tieu-hoc:1:schema.json"),
    );
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}
