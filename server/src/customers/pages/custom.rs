//! The custom fields in an office form (the customer form; an order's box): one
//! input per field in use — text, number, date or a choice — named
//! `custom.<key>`, with its inline error; and their values on a card.

use std::collections::BTreeMap;

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use fieldcase_shared::custom_field::{FieldRecord, Kind, shown};

use crate::office::ui::{Draft, Errors, Field, drafted, error_for};

/// The inputs of `fields`, filled from `draft`.
#[component]
pub fn CustomInputs(fields: Vec<FieldRecord>, draft: Draft, errors: Errors) -> Element {
    let l = use_context::<Signal<Lang>>()();
    rsx! {
        for f in fields.iter().cloned() {
            {
                let name = f.form_name();
                let value = drafted(&draft, &name);
                let error = error_for(&errors, &name, l);
                let label = f.label(l).to_owned();
                match f.kind() {
                    Kind::Choice => rsx! {
                        label { key: "{name}", class: if error.is_some() { "field has-error" } else { "field" },
                            span { "{label}" }
                            select { name: "{name}", required: f.required,
                                option { value: "", "—" }
                                for c in f.choices.iter().cloned() {
                                    option { key: "{c}", value: "{c}", selected: value == c, "{c}" }
                                }
                            }
                            if let Some(e) = &error {
                                small { class: "field-error", "{e}" }
                            }
                        }
                    },
                    kind => rsx! {
                        Field {
                            key: "{name}",
                            label,
                            name: name.clone(),
                            value,
                            kind: if kind == Kind::Date { "date" } else { "text" },
                            required: f.required,
                            error,
                        }
                    },
                }
            }
        }
    }
}

/// The values of `fields` in `values` as a definition list (nothing when none).
#[component]
pub fn CustomValues(fields: Vec<FieldRecord>, values: BTreeMap<String, String>) -> Element {
    let l = use_context::<Signal<Lang>>()();
    let rows = shown(&fields, &values, l);
    if rows.is_empty() {
        return rsx! {};
    }
    rsx! {
        dl { class: "custom-values",
            for (label, value) in rows {
                dt { key: "{label}", "{label}" }
                dd { "{value}" }
            }
        }
    }
}
