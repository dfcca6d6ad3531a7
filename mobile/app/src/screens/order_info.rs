//! What the office published about an order, on its detail: the status timeline,
//! the carrier with a link to its tracking page, the order's public page, which
//! the adviser shares with the client (the system share sheet where there is one,
//! else the link is copied), and the client's complaints about it (received, by
//! when they are settled, or the decision and why).

use dioxus::prelude::*;
use fieldcase_shared::OrderStatus;
use fieldcase_shared::carrier::Carrier;
use fieldcase_shared::complaint::{Decision, days_left, days_left_text};
use fieldcase_shared::docs::order_info::ComplaintInfoRecord;

use crate::ui::{date_of, t, use_ctx};

/// A complaint's state as the adviser reads it: the decision, or the days left.
fn complaint_state(c: &ComplaintInfoRecord, l: fieldcase_shared::Lang) -> String {
    use time::format_description::well_known::Rfc3339;
    if let Some(d) = Decision::parse(&c.decision) {
        return d.label(l).to_owned();
    }
    match time::OffsetDateTime::parse(&c.deadline_at, &Rfc3339) {
        Ok(deadline) => days_left_text(days_left(deadline, time::OffsetDateTime::now_utc()), l),
        Err(_) => String::new(),
    }
}

#[component]
pub(crate) fn OrderInfo(id: String) -> Element {
    let ctx = use_ctx();
    let l = ctx.l;
    let mut shared = use_signal(|| false);
    let Some(info) = ctx.phone.device().and_then(|d| d.order_info(&id)) else {
        return rsx! {};
    };
    let carrier = info.carrier.parse::<Carrier>().ok();
    let url = info.public_url.clone();
    let share = move |_| {
        let url = url.clone();
        spawn(async move {
            // Only a plain URL goes into the script (no quote can break out of it).
            let plain = url.starts_with("http")
                && url
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ":/._~?=&%-+#".contains(c));
            if !plain {
                return;
            }
            let js = format!(
                "const u = '{url}'; if (navigator.share) {{ navigator.share({{url: u}}).catch(() => {{}}); }} else if (navigator.clipboard) {{ navigator.clipboard.writeText(u).catch(() => {{}}); }}"
            );
            let _ = document::eval(&js).await;
            shared.set(true);
        });
    };
    rsx! {
        if let Some(c) = carrier {
            h2 { {t(l, "Doprava", "Delivery")} }
            p { class: "meta", style: "padding:0 12px", id: "order-carrier",
                "{c.label(l)}"
                if !info.tracking_url.is_empty() {
                    " · "
                    a { id: "order-tracking", href: "{info.tracking_url}", target: "_blank", rel: "noopener noreferrer", "{info.tracking}" }
                }
            }
        }
        if !info.public_url.is_empty() {
            h2 { {t(l, "Stránka objednávky pro klienta", "The order's page for the client")} }
            div { class: "row", style: "padding:0 12px",
                a { id: "order-public-link", href: "{info.public_url}", target: "_blank", rel: "noopener", {t(l, "Otevřít", "Open")} }
                button { id: "share-link", class: "secondary", onclick: share, {t(l, "Sdílet odkaz", "Share the link")} }
            }
            if shared() {
                p { class: "meta", style: "padding:0 12px", {t(l, "Odkaz je připravený ke sdílení (nebo zkopírovaný).", "The link is ready to share (or copied).")} }
            }
        }
        if !info.complaints.is_empty() {
            h2 { {t(l, "Reklamace", "Complaints")} }
            div { class: "list", id: "order-complaints",
                for c in info.complaints.iter() {
                    div { key: "{c.number}", class: "item complaint", "data-number": "{c.number}",
                        div { class: "name", "{c.number} · {date_of(l, &c.opened_at)}" }
                        div { class: "meta", "{c.reason}" }
                        div { class: "meta complaint-state", strong { {complaint_state(c, l)} }
                            if !c.decision_reason.is_empty() { " — {c.decision_reason}" }
                        }
                    }
                }
            }
        }
        if !info.timeline.is_empty() {
            h2 { {t(l, "Průběh", "Progress")} }
            ol { class: "timeline", id: "order-timeline",
                for (i, step) in info.timeline.iter().enumerate() {
                    li { key: "{i}",
                        {step.status.parse::<OrderStatus>().map(|s| s.label(l)).unwrap_or(step.status.as_str())}
                        " "
                        span { class: "meta", {step.at.get(..10).unwrap_or_default()} }
                    }
                }
            }
        }
    }
}
