//! The complaints part of the order's public page (`orders/public.rs` serves it):
//! the customer's complaints with their state — received and by when it will be
//! settled, or the decision and why — and the form to open one (which items,
//! what is wrong, up to six photos), posted to `/o/{token}/complaint`. A refused
//! form comes back filled in, with the reason.

use dioxus::prelude::*;
use fieldcase_shared::Lang;
use time::OffsetDateTime;
use uuid::Uuid;

use super::rules::{self, MAX_PHOTOS};
use super::store::ComplaintRow;
use crate::office::ui::datetime;

/// A form the customer sent that was refused: what they wrote and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub reason: String,
    pub items: Vec<Uuid>,
    pub error: String,
}

/// The section: `complaints` of the order, the form for its `lines` (id, text),
/// `sent` the number of one just opened.
pub fn section(
    token: &str,
    lines: &[(Uuid, String)],
    complaints: &[ComplaintRow],
    draft: Option<&Draft>,
    sent: Option<&str>,
    l: Lang,
) -> Element {
    let now = OffsetDateTime::now_utc();
    let draft = draft.cloned().unwrap_or_default();
    let action = format!("/o/{token}/complaint");
    rsx! {
        section { id: "complaints", class: "public-complaints",
            h2 { {l.pick("Reklamace", "Complaints")} }
            if let Some(number) = sent {
                p { class: "alert alert-ok", id: "complaint-sent",
                    {l.pick("Reklamaci jsme přijali pod číslem ", "We received your complaint, number ")}
                    span { class: "strong", "{number}" }
                    {l.pick(". Vyřídíme ji nejpozději do 30 dnů a dáme vám vědět.", ". We will settle it within 30 days and let you know.")}
                }
            }
            if !complaints.is_empty() {
                ul { class: "list", id: "public-complaints",
                    for c in complaints {
                        li { key: "{c.id}", class: "public-complaint", "data-number": "{c.number}",
                            span { class: "strong", "{c.number}" }
                            " · "
                            {datetime(c.opened_at)}
                            br {}
                            span { class: "muted", "{c.reason}" }
                            br {}
                            match c.decision() {
                                Some(d) => rsx! {
                                    span { class: "complaint-decision strong", {d.label(l)} }
                                    if !c.decision_reason.is_empty() { " — " span { class: "complaint-decision-reason", "{c.decision_reason}" } }
                                },
                                None => rsx! {
                                    span { class: "complaint-open",
                                        {l.pick("Řešíme; rozhodneme nejpozději ", "In progress; we decide by ")}
                                        {datetime(c.deadline_at)}
                                        " ("
                                        {rules::days_left_text(rules::days_left(c.deadline_at, now), l)}
                                        ")"
                                    }
                                },
                            }
                        }
                    }
                }
            }
            details { id: "complaint-form-box", open: !draft.error.is_empty() || complaints.is_empty() && sent.is_none(),
                summary { class: "strong", {l.pick("Něco není v pořádku? Podejte reklamaci", "Something wrong? Make a complaint")} }
                if !draft.error.is_empty() {
                    p { class: "alert alert-error", id: "complaint-error", "{draft.error}" }
                }
                form { id: "complaint-form", method: "post", action: "{action}", enctype: "multipart/form-data",
                    p { {l.pick("Které položky reklamujete:", "Which items:")} }
                    for (id, text) in lines {
                        label { key: "{id}", class: "check",
                            input { r#type: "checkbox", name: "item", value: "{id}", checked: draft.items.contains(id) }
                            " {text}"
                        }
                    }
                    label { r#for: "complaint-reason", {l.pick("Co je špatně:", "What is wrong:")} }
                    textarea { id: "complaint-reason", name: "reason", rows: "4", maxlength: "4000", required: true, "{draft.reason}" }
                    label { r#for: "complaint-photos",
                        {l.pick("Fotky (nejvýš ", "Photos (at most ")} "{MAX_PHOTOS}" {l.pick(", každá do 8 MB)", ", 8 MB each)")}
                    }
                    input { id: "complaint-photos", r#type: "file", name: "photo", multiple: true, accept: "image/jpeg,image/png,image/webp,image/heic" }
                    p { button { class: "btn", r#type: "submit", id: "complaint-submit", {l.pick("Odeslat reklamaci", "Send the complaint")} } }
                }
            }
        }
    }
}
