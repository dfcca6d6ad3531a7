//! What the office published about an order, on its detail: the status timeline,
//! the carrier with a link to its tracking page, and the order's public page, which
//! the adviser shares with the client (the system share sheet where there is one,
//! else the link is copied).

use dioxus::prelude::*;
use fieldcase_shared::OrderStatus;
use fieldcase_shared::carrier::Carrier;

use crate::ui::{t, use_ctx};

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
