//! `/api/v1/docs`: the API for people, made from the same OpenAPI document as
//! `/api/v1/openapi.json` (server-rendered, no script, nothing fetched from
//! elsewhere): each operation with its parameters, body and answers, and the
//! shapes of the bodies.

use dioxus::prelude::*;
use serde_json::Value;
use utoipa::openapi::OpenApi;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_owned()
}

/// `#/components/schemas/OrderPage` → `OrderPage`; an inline schema → its type.
fn schema_name(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_owned();
    }
    match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "object".into(),
    }
}

fn body_schema(holder: &Value) -> String {
    holder
        .pointer("/content/application~1json/schema")
        .map(schema_name)
        .unwrap_or_default()
}

/// The page, whole.
pub fn page(doc: &OpenApi) -> String {
    let json = serde_json::to_value(doc).unwrap_or(Value::Null);
    let title = json
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or("API")
        .to_owned();
    let version = json
        .pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let intro = json
        .pointer("/info/description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let mut operations = Vec::new();
    if let Some(paths) = json.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    operations.push((method.to_uppercase(), path.clone(), op.clone()));
                }
            }
        }
    }
    let schemas: Vec<(String, Value)> = json
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let body = dioxus::ssr::render_element(rsx! {
        h1 { "{title} " span { class: "muted small", "{version}" } }
        p { "{intro}" }
        p { "OpenAPI 3.1: " a { href: "/api/v1/openapi.json", id: "openapi-link", "/api/v1/openapi.json" } }
        nav { class: "card",
            h2 { "Operations" }
            ul {
                for (i, (method, path, op)) in operations.iter().enumerate() {
                    li { key: "{i}", a { href: "#op-{i}", span { class: "mono", "{method} {path}" } " — " {text(op, "summary")} } }
                }
            }
        }
        for (i, (method, path, op)) in operations.iter().enumerate() {
            section { class: "card", id: "op-{i}", key: "{i}",
                h2 { class: "mono", "{method} {path}" }
                p { strong { {text(op, "summary")} } }
                if !text(op, "description").is_empty() { p { {text(op, "description")} } }
                if let Some(params) = op.get("parameters").and_then(Value::as_array) {
                    h3 { "Parameters" }
                    table { class: "table",
                        thead { tr { th { "Name" } th { "In" } th { "Type" } th { "Required" } th { "Description" } } }
                        tbody {
                            for (j, p) in params.iter().enumerate() {
                                tr { key: "{j}",
                                    td { class: "mono", {text(p, "name")} }
                                    td { {text(p, "in")} }
                                    td { class: "mono", {p.get("schema").map(schema_name).unwrap_or_default()} }
                                    td { if p.get("required").and_then(Value::as_bool).unwrap_or(false) { "yes" } else { "no" } }
                                    td { {text(p, "description")} }
                                }
                            }
                        }
                    }
                }
                if let Some(request) = op.get("requestBody") {
                    h3 { "Body" }
                    p { "JSON: " a { class: "mono", href: "#schema-{body_schema(request)}", {body_schema(request)} } }
                }
                h3 { "Answers" }
                table { class: "table",
                    tbody {
                        for (status, answer) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
                            tr { key: "{status}",
                                td { class: "mono", "{status}" }
                                td { {text(answer, "description")} }
                                td { class: "mono", {body_schema(answer)} }
                            }
                        }
                    }
                }
            }
        }
        h2 { "Shapes" }
        for (name, schema) in schemas.iter() {
            section { class: "card", id: "schema-{name}", key: "{name}",
                h3 { class: "mono", "{name}" }
                if !text(schema, "description").is_empty() { p { {text(schema, "description")} } }
                table { class: "table",
                    tbody {
                        for (field, prop) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
                            tr { key: "{field}",
                                td { class: "mono", "{field}" }
                                td { class: "mono", {prop_type(prop)} }
                                td { {text(prop, "description")} }
                            }
                        }
                    }
                }
            }
        }
    });
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" href=\"/assets/office.css\"></head><body class=\"plain\"><main class=\"public-main api-docs\">{body}</main></body></html>"
    )
}

/// A property's type: its schema's name, `array of X`, or one of several.
fn prop_type(prop: &Value) -> String {
    if let Some(items) = prop.get("items") {
        return format!("array of {}", schema_name(items));
    }
    if let Some(one) = prop.get("oneOf").and_then(Value::as_array) {
        return one.iter().map(schema_name).collect::<Vec<_>>().join(" | ");
    }
    schema_name(prop)
}
