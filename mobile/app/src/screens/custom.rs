//! The office's custom fields in the phone's forms (a client, an order): one input
//! per field — text, number, date or a choice — with its message, editing a map of
//! values by key; and the values on a detail screen.

use std::collections::BTreeMap;

use dioxus::prelude::*;
use fieldcase_shared::FieldError;
use fieldcase_shared::custom_field::{FieldRecord, Kind};

use crate::ui::FieldMessage;

/// The inputs of `fields` over `values` (inputs `#custom-<key>`).
#[component]
pub(crate) fn CustomInputs(
    fields: Vec<FieldRecord>,
    values: Signal<BTreeMap<String, String>>,
    errors: Vec<FieldError>,
) -> Element {
    let l = use_context::<Signal<fieldcase_shared::Lang>>()();
    let mut values = values;
    rsx! {
        for f in fields {
            {
                let (key, name) = (f.key.clone(), f.form_name());
                let value = values.read().get(&f.key).cloned().unwrap_or_default();
                let label = f.label(l).to_owned();
                let set = move |e: FormEvent| {
                    values.write().insert(key.clone(), e.value());
                };
                rsx! {
                    label { key: "{name}", r#for: "custom-{f.key}", "{label}" }
                    if f.kind() == Kind::Choice {
                        select { id: "custom-{f.key}", name: "{name}", onchange: set,
                            option { value: "", "—" }
                            for c in f.choices.iter().cloned() {
                                option { key: "{c}", value: "{c}", selected: value == c, "{c}" }
                            }
                        }
                    } else {
                        input { id: "custom-{f.key}", name: "{name}",
                            r#type: if f.kind() == Kind::Date { "date" } else { "text" },
                            inputmode: if f.kind() == Kind::Number { "decimal" } else { "text" },
                            value: "{value}", oninput: set }
                    }
                    FieldMessage { errors: errors.clone(), field: name.clone() }
                }
            }
        }
    }
}

/// `label: value` rows of a record's custom values (in a `dl`).
#[component]
pub(crate) fn CustomValues(rows: Vec<(String, String)>) -> Element {
    rsx! {
        for (label, value) in rows {
            dt { key: "{label}", "{label}" } dd { class: "custom-value", "{value}" }
        }
    }
}
