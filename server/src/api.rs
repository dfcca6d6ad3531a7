//! The JSON API (`/api/v1/…`): each domain's routes live in its folder (device
//! enrolment and push tokens: `field/api.rs`; orders: `orders/api.rs`); this module
//! assembles them, serves the OpenAPI 3.1 document generated from the annotated
//! handlers (`/api/v1/openapi.json`) and a readable page made from it
//! (`/api/v1/docs`), and owns the staff API keys the handlers are called with
//! (`keys.rs`; the office page in `pages/`, the request side in `caller.rs`).

pub mod access;
pub mod caller;
pub mod cli;
pub mod docs;
pub mod keys;
pub mod pages;
pub mod params;

pub use crate::field::api::{EnrolRequest, EnrolResponse, PushTokenRequest};

use axum::Router;
use axum::routing::get;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Largest JSON body the API accepts.
pub const MAX_JSON_BYTES: usize = 64 * 1024;

/// The name of the bearer-key security scheme in the OpenAPI document.
pub const SECURITY: &str = "api_key";

/// The annotated routes and the document they make.
fn parts() -> (Router<AppState>, OpenApi) {
    let mut doc = OpenApi::builder()
        .info(
            utoipa::openapi::InfoBuilder::new()
                .title("fieldcase hub API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "The office's operations for integrations and scripts. Every call \
                     carries a staff API key (`Authorization: Bearer fck_…`), made per \
                     staff user in the office (API keys page) or with `fieldcase api-key \
                     create`. A key acts with its user's current role, narrowed by its \
                     scopes (`orders:read`, `orders:write`, `customers:read`, `customers:write`, `money:read`, `money:write`). Amounts are whole haléř \
                     (1/100 CZK). Errors are JSON: `{\"error\": …, \"fields\": [{\"field\", \
                     \"message\"}]}`.",
                ))
                .build(),
        )
        .build();
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SECURITY,
        SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
    );
    let (router, doc) = OpenApiRouter::<AppState>::with_openapi(doc)
        .merge(crate::orders::api::routes())
        .merge(crate::customers::api::routes())
        .merge(crate::catalog::api::routes())
        .merge(crate::money::api::routes())
        .merge(crate::commission::api::routes())
        .merge(crate::care::api::routes())
        .merge(crate::complaints::api::routes())
        .merge(crate::bookings::api::routes())
        .merge(crate::campaigns::api::routes())
        .split_for_parts();
    (router, doc)
}

/// The OpenAPI document of the API.
pub fn openapi() -> OpenApi {
    parts().1
}

/// Routes of the API.
pub fn router() -> Router<AppState> {
    let (annotated, doc) = parts();
    let json = std::sync::Arc::new(doc.to_pretty_json().unwrap_or_default());
    let page = std::sync::Arc::new(docs::page(&doc));
    Router::new()
        .merge(crate::field::api::router())
        .merge(annotated)
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let json = json.clone();
                async move {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        json.as_str().to_owned(),
                    )
                }
            }),
        )
        .route(
            "/api/v1/docs",
            get(move || {
                let page = page.clone();
                async move { axum::response::Html(page.as_str().to_owned()) }
            }),
        )
        .layer(axum::extract::DefaultBodyLimit::max(MAX_JSON_BYTES))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::Value;

    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn every_operation_needs_a_key_and_says_how_it_refuses() {
        let doc = serde_json::to_value(super::openapi()).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        let ops = [
            ("/api/v1/orders", "get"),
            ("/api/v1/orders/{order}", "get"),
            ("/api/v1/orders/{order}/notes", "post"),
            ("/api/v1/orders/{order}/delivery", "put"),
            ("/api/v1/orders/{order}/status", "post"),
            ("/api/v1/customers", "get"),
            ("/api/v1/customers", "post"),
            ("/api/v1/customers/{customer}", "get"),
            ("/api/v1/customers/{customer}", "patch"),
            ("/api/v1/customers/{customer}/merge", "post"),
            ("/api/v1/customers/{customer}/notes", "post"),
            ("/api/v1/customers/{customer}/consents", "post"),
            ("/api/v1/customer-duplicates", "get"),
            ("/api/v1/customer-segments", "get"),
            ("/api/v1/customer-segments", "post"),
            ("/api/v1/customer-segments/{segment}", "put"),
            ("/api/v1/customer-segments/{segment}", "delete"),
            ("/api/v1/customer-segments/count", "post"),
            ("/api/v1/customer-segments/{segment}/export", "get"),
        ];
        for (path, method) in ops {
            let op = &doc["paths"][path][method];
            assert!(op.is_object(), "{method} {path}");
            assert_eq!(op["security"][0][super::SECURITY], Value::Array(vec![]));
            for status in ["401", "403"] {
                assert!(
                    op["responses"][status].is_object(),
                    "{method} {path} {status}"
                );
            }
            // A deletion has no body to refuse: only its target can be missing.
            let refusals: &[&str] = match method {
                "get" => &[],
                "delete" => &["404"],
                _ => &["400", "404", "422"],
            };
            {
                for status in refusals {
                    assert!(
                        op["responses"][*status].is_object(),
                        "{method} {path} {status}"
                    );
                }
            }
        }
        // Every reference points at a schema the document has.
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(!found.is_empty());
        for r in found {
            let name = r.trim_start_matches("#/components/schemas/");
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "{r} dangles"
            );
        }
    }
}
