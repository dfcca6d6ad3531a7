//! Segments: saved filters of the customer base (last order, spend, town or region,
//! prescription age, consent, adviser, store, open complaint) with their counts as
//! they are now, counted again while a filter is being written, and the export of a
//! segment's e-mails or phones (CSV or XLSX) that lists only those who consent to
//! the channel (`customers/export.rs`).

use dioxus::prelude::*;
use fieldcase_shared::Lang;

use crate::customers::segment::{Channel, Criteria, Format, MAX_NAME, Named, check_name};
use crate::customers::store::Segment;
use crate::office::live::Ctx;
use crate::office::page::{PageSpec, Roles};
use crate::office::ui::{Draft, Notice, NoticeBar, Text, datetime, failed, form_values};
use crate::store::StoreError;

/// Segments: the roles that reach customers for marketing.
pub const PAGE: PageSpec = PageSpec {
    slug: "segments",
    title_cs: "Segmenty",
    title_en: "Segments",
    open: Roles::Only(crate::customers::MARKETERS),
    edit: Roles::Only(crate::customers::MARKETERS),
    component: Segments,
};

/// The criteria a segment form holds (`name` aside), or what is wrong.
fn criteria_of(draft: &Draft) -> Result<Criteria, Text> {
    let text = |k: &str| {
        draft
            .get(k)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let number = |k: &str, cs: &str, en: &str| -> Result<Option<i64>, Text> {
        let v = text(k).replace(' ', "");
        if v.is_empty() {
            return Ok(None);
        }
        v.parse::<i64>().map(Some).map_err(|_| {
            Text::new(
                format!("{cs}: „{v}“ není celé číslo."),
                format!("{en}: \"{v}\" is not a whole number."),
            )
        })
    };
    let months = |k: &str, cs: &str, en: &str| -> Result<Option<u32>, Text> {
        number(k, cs, en)?
            .map(|n| {
                u32::try_from(n).map_err(|_| {
                    Text::new(
                        format!("{cs}: mimo rozsah."),
                        format!("{en}: out of range."),
                    )
                })
            })
            .transpose()
    };
    let yes_no = |k: &str| match text(k).as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let id = |k: &str| text(k).parse::<uuid::Uuid>().ok();
    let mut c = Criteria {
        adviser: id("adviser").map(fieldcase_shared::AdviserId::from_uuid),
        shop: id("shop").map(fieldcase_shared::StoreId::from_uuid),
        email_consent: yes_no("email"),
        sms_consent: yes_no("sms"),
        town: text("town"),
        postal_prefixes: text("postal")
            .split([',', ';'])
            .map(str::to_owned)
            .collect(),
        ordered_within_months: months(
            "ordered_within",
            "Objednal za posledních",
            "Ordered within",
        )?,
        no_order_months: months("no_order", "Bez objednávky", "No order in")?,
        min_spend: number("min_spend", "Útrata od", "Spend from")?,
        max_spend: number("max_spend", "Útrata do", "Spend up to")?,
        prescription_older_months: months(
            "rx_older",
            "Předpis starší než",
            "Prescription older than",
        )?,
        open_complaint: yes_no("complaint"),
    };
    c.check()
        .map_err(|e| Text::new(e.text(Lang::Cs), e.text(Lang::En)))?;
    Ok(c)
}

/// The form's values for saved criteria.
fn draft_of(name: &str, c: &Criteria) -> Draft {
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let m = |v: Option<u32>| n(v.map(i64::from));
    [
        ("name", name.to_owned()),
        (
            "adviser",
            c.adviser.map(|a| a.to_string()).unwrap_or_default(),
        ),
        ("shop", c.shop.map(|s| s.to_string()).unwrap_or_default()),
        ("email", yes_no(c.email_consent).into()),
        ("sms", yes_no(c.sms_consent).into()),
        ("town", c.town.clone()),
        ("postal", c.postal_prefixes.join(", ")),
        ("ordered_within", m(c.ordered_within_months)),
        ("no_order", m(c.no_order_months)),
        ("min_spend", n(c.min_spend)),
        ("max_spend", n(c.max_spend)),
        ("rx_older", m(c.prescription_older_months)),
        ("complaint", yes_no(c.open_complaint).into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

#[component]
pub fn Segments() -> Element {
    let ctx = use_context::<Ctx>();
    let lang = use_context::<Signal<Lang>>();
    let mut notice = use_signal(|| None::<Notice>);
    let mut reload = use_signal(|| 0u32);
    // The segment being edited (None: a new one) and what its form holds.
    let mut editing = use_signal(|| None::<Segment>);
    let mut draft = use_signal(Draft::new);
    // Bumped to empty the form (its inputs are drawn anew).
    let mut form_key = use_signal(|| 0u32);
    let mut confirm_delete = use_signal(|| None::<Segment>);
    let store = ctx.state.store.clone();
    let saved = use_resource(move || {
        let store = store.clone();
        let _ = reload();
        async move {
            let mut out = Vec::new();
            for s in store.segments().await? {
                let n = store.count_segment(&s.criteria).await?;
                out.push((s, n));
            }
            let shops = store.list_shops().await?;
            let advisers = store
                .list_advisers(&crate::store::AdviserFilter::default())
                .await?;
            Ok::<_, StoreError>((out, shops, advisers))
        }
    });
    // The live count of the form's criteria.
    let store = ctx.state.store.clone();
    let live = use_resource(move || {
        let store = store.clone();
        let d = draft();
        async move {
            match criteria_of(&d) {
                Ok(c) => store
                    .count_segment(&c)
                    .await
                    .map(Ok)
                    .map_err(|e| failed(&e)),
                Err(t) => Ok(Err(t)),
            }
        }
    });
    let l = lang();
    let save = {
        let ctx = ctx.clone();
        move |evt: FormEvent| {
            let ctx = ctx.clone();
            let values = form_values(&evt);
            spawn(async move {
                let actor = match ctx.authorize(ctx.page).await {
                    Ok(a) => a,
                    Err(t) => return notice.set(Some(Notice::Err(t))),
                };
                let Some(name) = check_name(values.get("name").map_or("", String::as_str)) else {
                    return notice.set(Some(Notice::err(
                        format!("Segment potřebuje název (nejvýše {MAX_NAME} znaků)."),
                        format!("A segment needs a name (at most {MAX_NAME} characters)."),
                    )));
                };
                let criteria = match criteria_of(&values) {
                    Ok(c) => c,
                    Err(t) => return notice.set(Some(Notice::Err(t))),
                };
                let store = &ctx.state.store;
                let done = match editing() {
                    Some(s) => store.update_segment(&actor, s.id, &name, &criteria).await,
                    None => store
                        .create_segment(&actor, &name, &criteria)
                        .await
                        .map(|_| ()),
                };
                notice.set(Some(match done {
                    Ok(()) => {
                        editing.set(None);
                        draft.set(Draft::new());
                        form_key += 1;
                        reload += 1;
                        Notice::ok(
                            format!("Segment „{name}“ je uložen."),
                            format!("Segment \"{name}\" is saved."),
                        )
                    }
                    Err(StoreError::Duplicate { .. }) => Notice::err(
                        format!("Segment „{name}“ už existuje; zvolte jiný název."),
                        format!("A segment \"{name}\" exists already; choose another name."),
                    ),
                    Err(err) => Notice::Err(failed(&err)),
                }));
            });
        }
    };
    let delete = {
        let ctx = ctx.clone();
        move |s: Segment| {
            let ctx = ctx.clone();
            spawn(async move {
                confirm_delete.set(None);
                let actor = match ctx.authorize(ctx.page).await {
                    Ok(a) => a,
                    Err(t) => return notice.set(Some(Notice::Err(t))),
                };
                notice.set(Some(
                    match ctx.state.store.delete_segment(&actor, s.id).await {
                        Ok(()) => Notice::ok(
                            format!("Segment „{}“ je smazán.", s.name),
                            format!("Segment \"{}\" is deleted.", s.name),
                        ),
                        Err(err) => Notice::Err(failed(&err)),
                    },
                ));
                reload += 1;
            });
        }
    };

    let Some(Ok((segments, shops, advisers))) = &*saved.read() else {
        return rsx! {
            NoticeBar { notice: notice() }
            p { class: "muted", {l.pick("Načítám…", "Loading…")} }
        };
    };
    let (segments, shops, advisers) = (segments.clone(), shops.clone(), advisers.clone());
    let names = {
        let (shops, advisers) = (shops.clone(), advisers.clone());
        move |n: Named| match n {
            Named::Adviser(id) => advisers
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.name.clone())
                .unwrap_or_else(|| id.to_string()),
            Named::Shop(id) => shops
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| id.to_string()),
        }
    };
    let d = draft();
    let v = move |k: &str| d.get(k).cloned().unwrap_or_default();
    let yes_no_any = [
        ("", l.pick("nerozhoduje", "any")),
        ("yes", l.pick("ano", "yes")),
        ("no", l.pick("ne", "no")),
    ];

    rsx! {
        NoticeBar { notice: notice() }
        if let Some(s) = confirm_delete() {
            section { class: "card alert", id: "delete-confirm",
                p { {l.pick("Smazat segment ", "Delete the segment ")} strong { "{s.name}" } "?" }
                div { class: "actions",
                    button { class: "btn btn-danger", id: "delete-yes", onclick: { let delete = delete.clone(); move |_| delete(s.clone()) }, {l.pick("Smazat", "Delete")} }
                    button { class: "btn", onclick: move |_| confirm_delete.set(None), {l.pick("Zpět", "Cancel")} }
                }
            }
        }
        section { class: "card", id: "segment-list",
            h2 { {l.pick("Uložené segmenty", "Saved segments")} }
            if segments.is_empty() {
                p { class: "muted", {l.pick("Zatím žádný segment.", "No segment yet.")} }
            } else {
                table { class: "table",
                    thead { tr {
                        th { {l.pick("Název", "Name")} }
                        th { {l.pick("Kdo do něj patří", "Who is in it")} }
                        th { class: "num", {l.pick("Zákazníků", "Customers")} }
                        th { {l.pick("Export (jen se souhlasem)", "Export (consenting only)")} }
                        th {}
                    } }
                    tbody {
                        for (s, n) in segments.iter().cloned() {
                            tr { key: "{s.id}", class: "segment-row", "data-name": "{s.name}",
                                td { class: "strong", "{s.name}" div { class: "small muted", "{s.author} · {datetime(s.updated_at)}" } }
                                td { class: "small", {s.criteria.describe(l, &names)} }
                                td { class: "num segment-count", "{n}" }
                                td { class: "small",
                                    for (channel, label) in [(Channel::Email, l.pick("e-maily", "e-mails")), (Channel::Sms, l.pick("telefony", "phones"))] {
                                        span { class: "export-links",
                                            "{label}: "
                                            for format in [Format::Csv, Format::Xlsx] {
                                                a { class: "export-{channel.code()}-{format.code()}", href: "/customers/segments/{s.id}/export?channel={channel.code()}&format={format.code()}", download: "", "{format.code().to_uppercase()} " }
                                            }
                                        }
                                        br {}
                                    }
                                }
                                td { class: "actions",
                                    button { class: "btn edit-segment", onclick: { let s = s.clone(); move |_| {
                                        draft.set(draft_of(&s.name, &s.criteria));
                                        editing.set(Some(s.clone()));
                                        form_key += 1;
                                    } }, {l.pick("Upravit", "Edit")} }
                                    button { class: "btn btn-ghost delete-segment", onclick: { let s = s.clone(); move |_| confirm_delete.set(Some(s.clone())) }, {l.pick("Smazat", "Delete")} }
                                }
                            }
                        }
                    }
                }
            }
        }
        section { class: "card", id: "segment-editor",
            h2 {
                match editing() {
                    Some(s) => rsx! { {l.pick("Upravit segment ", "Edit the segment ")} "{s.name}" },
                    None => rsx! { {l.pick("Nový segment", "New segment")} },
                }
            }
            p { class: "small muted", {l.pick(
                "Prázdné pole nezužuje. Export vždy obsahuje jen zákazníky, kteří s daným kanálem právě teď souhlasí.",
                "An empty field does not narrow. An export always lists only the customers who consent to its channel now.",
            )} }
            form { class: "form", id: "segment-form", key: "{form_key}",
                oninput: move |e| draft.set(form_values(&e)),
                onsubmit: save,
                label { class: "field", span { {l.pick("Název", "Name")} } input { name: "name", required: true, maxlength: "{MAX_NAME}", value: v("name") } }
                div { class: "grid-2",
                    label { class: "field", span { {l.pick("Obec", "Town")} } input { name: "town", value: v("town") } }
                    label { class: "field", span { {l.pick("Region: PSČ začíná (např. 60, 61)", "Region: postal code begins (e.g. 60, 61)")} } input { name: "postal", value: v("postal") } }
                    label { class: "field", span { {l.pick("Objednal za posledních (měsíců)", "Ordered within (months)")} } input { name: "ordered_within", r#type: "number", min: "1", value: v("ordered_within") } }
                    label { class: "field", span { {l.pick("Bez objednávky posledních (měsíců)", "No order within (months)")} } input { name: "no_order", r#type: "number", min: "1", value: v("no_order") } }
                    label { class: "field", span { {l.pick("Útrata od (Kč)", "Spend from (CZK)")} } input { name: "min_spend", r#type: "number", min: "0", value: v("min_spend") } }
                    label { class: "field", span { {l.pick("Útrata do (Kč)", "Spend up to (CZK)")} } input { name: "max_spend", r#type: "number", min: "0", value: v("max_spend") } }
                    label { class: "field", span { {l.pick("Poslední předpis starší než (měsíců)", "Last prescription older than (months)")} } input { name: "rx_older", r#type: "number", min: "1", value: v("rx_older") } }
                    label { class: "field", span { {l.pick("Otevřená reklamace", "Open complaint")} }
                        select { name: "complaint", for (code, label) in yes_no_any { option { value: code, selected: v("complaint") == code, "{label}" } } }
                    }
                    label { class: "field", span { {l.pick("Souhlas s e-maily", "E-mail consent")} }
                        select { name: "email", for (code, label) in yes_no_any { option { value: code, selected: v("email") == code, "{label}" } } }
                    }
                    label { class: "field", span { {l.pick("Souhlas s SMS", "SMS consent")} }
                        select { name: "sms", for (code, label) in yes_no_any { option { value: code, selected: v("sms") == code, "{label}" } } }
                    }
                    label { class: "field", span { {l.pick("Prodejna", "Store")} }
                        select { name: "shop",
                            option { value: "", {l.pick("Všechny prodejny", "All stores")} }
                            for s in shops.iter() { option { key: "{s.id}", value: "{s.id}", selected: v("shop") == s.id.to_string(), "{s.name}" } }
                        }
                    }
                    label { class: "field", span { {l.pick("Poradce", "Adviser")} }
                        select { name: "adviser",
                            option { value: "", {l.pick("Všichni poradci", "All advisers")} }
                            for a in advisers.iter() { option { key: "{a.id}", value: "{a.id}", selected: v("adviser") == a.id.to_string(), "{a.name} ({a.code})" } }
                        }
                    }
                }
                p { id: "live-count",
                    match &*live.read() {
                        None => rsx! { span { class: "muted", {l.pick("Počítám…", "Counting…")} } },
                        Some(Ok(Ok(n))) => rsx! { {l.pick("Odpovídá zákazníků: ", "Customers matching: ")} strong { id: "live-count-n", "{n}" } },
                        Some(Ok(Err(t))) | Some(Err(t)) => rsx! { span { class: "error", id: "live-count-error", {t.get(l).to_owned()} } },
                    }
                }
                div { class: "actions",
                    button { class: "btn btn-primary", id: "save-segment", r#type: "submit", {l.pick("Uložit segment", "Save the segment")} }
                    if editing().is_some() {
                        button { class: "btn", r#type: "button", onclick: move |_| { editing.set(None); draft.set(Draft::new()); form_key += 1; }, {l.pick("Zrušit úpravy", "Cancel editing")} }
                    }
                }
            }
        }
    }
}
