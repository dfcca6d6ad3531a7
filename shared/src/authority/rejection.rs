//! What the hub tells the adviser about their records: typed reasons that render
//! their own Czech and English texts, written into the workspace's inbox.

use crate::docs::catalog::CouponProblem;
use crate::docs::commission::{PAYOUT_REQUESTS, PayoutDenied};
use crate::docs::records::{self, InboxRecord};
use crate::lang::Lang;
use crate::money::Money;
use crate::status::{OrderStatus, TransitionDenied};
use crate::validate::FieldError;

/// Why the office could not take a record it tried to write into SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTaken {
    /// Another order already has the order's variable symbol.
    VariableSymbolTaken,
    /// The record's client is not in SQL.
    UnknownClient,
    /// The id belongs to another adviser's record.
    Foreign,
}

impl NotTaken {
    /// The reason code in the inbox id.
    pub fn code(self) -> &'static str {
        match self {
            NotTaken::VariableSymbolTaken => records::SKIPPED_VARIABLE_SYMBOL_TAKEN,
            NotTaken::UnknownClient => records::SKIPPED_UNKNOWN_CLIENT,
            NotTaken::Foreign => records::SKIPPED_FOREIGN,
        }
    }
}

/// A rule a record broke, or a record the hub could not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// The record does not read as its kind (e.g. a JavaScript number where the
    /// schema wants an integer).
    UnreadableRecord {
        map: String,
        id: String,
        why: String,
    },
    /// A timestamp of the record is present but unreadable.
    UnreadableTime {
        map: String,
        id: String,
        field: &'static str,
        text: String,
    },
    /// An order status nobody knows; set back to `back`.
    UnknownStatus {
        order: String,
        status: String,
        back: OrderStatus,
    },
    /// A new order arrived in a status other than intake.
    NewOrderNotIntake { order: String, to: OrderStatus },
    /// An adviser may not make this move.
    StatusMove {
        order: String,
        denied: TransitionDenied,
    },
    /// An order's prices differed from the catalog's (at the time it was taken):
    /// the hub priced it again.
    Repriced {
        order: String,
        /// Total as the device wrote it, haléře.
        before: i64,
        /// Total at catalog prices.
        after: i64,
        /// The coupon the hub dropped, and why.
        dropped_coupon: Option<(String, CouponProblem)>,
    },
    /// A prescription with invalid values (kept in the document to be fixed).
    PrescriptionInvalid {
        id: String,
        problems: Vec<FieldError>,
    },
    /// A prescription whose body does not parse.
    PrescriptionUnreadable { id: String, why: String },
    /// A case movement that would take the stock below zero.
    CaseBelowZero {
        id: String,
        quantity: i64,
        product: String,
    },
    /// A decided payout request was changed on a device.
    PayoutChanged { id: String },
    /// A payout request the balance does not cover.
    PayoutDenied { id: String, denied: PayoutDenied },
    /// A visit is missing required details (reported, not changed).
    VisitIncomplete {
        id: String,
        title: String,
        fields: Vec<String>,
    },
    /// SQL would not take the record.
    NotTaken {
        map: String,
        id: String,
        why: NotTaken,
    },
}

/// An inbox entry the hub writes: a rejection, or news the adviser waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Report {
    /// A rule was broken.
    Rejected(Rejection),
    /// A payout request was accepted.
    PayoutAccepted { id: String, amount: i64 },
    /// Fields edited on a client after the office merged it into another were
    /// written onto the survivor.
    MergedEdit {
        client: String,
        survivor: String,
        fields: Vec<&'static str>,
    },
    /// A record (an order, a prescription) named a merged client: it now names the
    /// survivor.
    MovedToSurvivor {
        map: &'static str,
        id: String,
        merged: String,
        survivor: String,
    },
    /// The same field of a client was changed in two places at once; `kept` stands,
    /// `others` were overwritten (and are kept in the customer's history).
    FieldConflict {
        client: String,
        field: String,
        kept: String,
        others: Vec<String>,
    },
    /// An order arrived after its coupon ran out or was withdrawn, but was taken
    /// while it applied (as far as the hub can tell: `taken`, RFC 3339): the coupon
    /// stands.
    CouponHonoured {
        order: String,
        code: String,
        taken: String,
        /// Why it would not apply now.
        now: CouponProblem,
    },
}

impl From<Rejection> for Report {
    fn from(r: Rejection) -> Self {
        Report::Rejected(r)
    }
}

impl Rejection {
    /// The inbox id: one entry per distinct problem, however often it recurs.
    pub fn inbox_id(&self) -> String {
        match self {
            Rejection::UnreadableRecord { map, id, .. } => {
                records::skipped_inbox_id(map, records::SKIPPED_UNREADABLE, id)
            }
            Rejection::UnreadableTime { map, id, .. } => {
                records::skipped_inbox_id(map, records::SKIPPED_UNREADABLE_TIME, id)
            }
            Rejection::UnknownStatus { order, status, .. } => format!("status-{order}-{status}"),
            Rejection::NewOrderNotIntake { order, to } => format!("status-{order}-{}", to.code()),
            Rejection::StatusMove { order, denied } => {
                format!("status-{order}-{}", denied.to.code())
            }
            Rejection::Repriced { order, before, .. } => format!("price-{order}-{before}"),
            Rejection::PrescriptionInvalid { id, .. }
            | Rejection::PrescriptionUnreadable { id, .. } => format!("rx-invalid-{id}"),
            Rejection::CaseBelowZero { id, .. } => format!("case-{id}"),
            Rejection::PayoutChanged { id } => format!("payout-{id}-changed"),
            Rejection::PayoutDenied { id, .. } => format!("payout-{id}"),
            Rejection::VisitIncomplete { id, fields, .. } => {
                format!("visit-{id}-{}", fields.join("-"))
            }
            Rejection::NotTaken { map, id, why } => records::skipped_inbox_id(map, why.code(), id),
        }
    }

    /// The record it is about, `map/id`.
    pub fn about(&self) -> String {
        match self {
            Rejection::UnreadableRecord { map, id, .. }
            | Rejection::UnreadableTime { map, id, .. }
            | Rejection::NotTaken { map, id, .. } => format!("{map}/{id}"),
            Rejection::UnknownStatus { order, .. }
            | Rejection::NewOrderNotIntake { order, .. }
            | Rejection::StatusMove { order, .. }
            | Rejection::Repriced { order, .. } => format!("{}/{order}", records::ORDERS),
            Rejection::PrescriptionInvalid { id, .. }
            | Rejection::PrescriptionUnreadable { id, .. } => {
                format!("{}/{id}", records::PRESCRIPTIONS)
            }
            Rejection::CaseBelowZero { id, .. } => format!("{}/{id}", records::CASE_MOVEMENTS),
            Rejection::PayoutChanged { id } | Rejection::PayoutDenied { id, .. } => {
                format!("{PAYOUT_REQUESTS}/{id}")
            }
            Rejection::VisitIncomplete { id, .. } => format!("{}/{id}", records::VISITS),
        }
    }

    /// What happened and what to do, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let cs = lang == Lang::Cs;
        match self {
            Rejection::UnreadableRecord { map, why, .. } => {
                let why: String = why.chars().take(200).collect();
                if cs {
                    format!("Záznam ({map}) kancelář nepřevzala, protože ho nelze přečíst ({why}). Uložte ho v aplikaci znovu.")
                } else {
                    format!("The office could not take the record ({map}) because it does not read ({why}). Save it again in the app.")
                }
            }
            Rejection::UnreadableTime { map, field, text, .. } => {
                if cs {
                    format!("Záznam ({map}) kancelář nepřevzala: čas „{text}“ v poli {field} nelze přečíst. Uložte ho v aplikaci znovu.")
                } else {
                    format!("The office could not take the record ({map}): the time \"{text}\" in {field} cannot be read. Save it again in the app.")
                }
            }
            Rejection::UnknownStatus { status, back, .. } => {
                if cs {
                    format!("Neznámý stav objednávky „{status}“ byl vrácen na „{}“.", back.label(lang))
                } else {
                    format!("Unknown order status \"{status}\" was set back to \"{}\".", back.label(lang))
                }
            }
            Rejection::NewOrderNotIntake { to, .. } => {
                let intake = OrderStatus::Intake.label(lang);
                if cs {
                    format!("Nová objednávka musí začínat ve stavu „{intake}“; stav „{}“ nastavuje kancelář.", to.label(lang))
                } else {
                    format!("A new order starts as \"{intake}\"; \"{}\" is set by the office.", to.label(lang))
                }
            }
            Rejection::StatusMove { denied, .. } => {
                let from = denied.from.label(lang);
                if cs {
                    format!("{} Stav zůstává „{from}“.", denied.message(lang))
                } else {
                    format!("{} The status stays \"{from}\".", denied.message(lang))
                }
            }
            Rejection::Repriced {
                before,
                after,
                dropped_coupon,
                ..
            } => {
                let (before, after) = (
                    Money::from_haler(*before).format(lang),
                    Money::from_haler(*after).format(lang),
                );
                match (dropped_coupon, cs) {
                    (Some((code, why)), true) => format!(
                        "Kupón {code} nebyl uplatněn: {} Objednávka teď stojí {after} (místo {before}). Sdělte klientovi novou částku.",
                        why.message(lang)
                    ),
                    (Some((code, why)), false) => format!(
                        "The coupon {code} was not applied: {} The order now comes to {after} (not {before}). Tell the client the new amount.",
                        why.message(lang)
                    ),
                    (None, true) => format!(
                        "Ceny objednávky neodpovídaly ceníku platnému v den objednávky; kancelář je opravila: {before} → {after}. Sdělte klientovi novou částku."
                    ),
                    (None, false) => format!(
                        "The order's prices did not match the price list valid on its day; the office corrected them: {before} → {after}. Tell the client the new amount."
                    ),
                }
            }
            Rejection::PrescriptionInvalid { problems, .. } => {
                let list: Vec<String> = problems
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message(lang)))
                    .collect();
                if cs {
                    format!("Předpis nebyl přijat, opravte ho: {}.", list.join("; "))
                } else {
                    format!(
                        "The prescription was not accepted; please correct it: {}.",
                        list.join("; ")
                    )
                }
            }
            Rejection::PrescriptionUnreadable { why, .. } => {
                if cs {
                    "Předpis se nepodařilo přečíst; zadejte ho prosím znovu.".to_owned()
                } else {
                    format!("The prescription could not be read ({why}); please enter it again.")
                }
            }
            Rejection::CaseBelowZero {
                quantity, product, ..
            } => {
                if cs {
                    format!("Pohyb vzorkovnice ({quantity} ks, {product}) by snížil stav pod nulu; nebyl započten. Zkontrolujte stav kufru a zapište inventuru.")
                } else {
                    format!("The case movement ({quantity} pcs, {product}) would take the stock below zero; it was not counted. Check the case and record a count.")
                }
            }
            Rejection::PayoutChanged { .. } => lang
                .pick(
                    "Vyřízenou žádost o výplatu nelze měnit; vytvořte prosím novou.",
                    "A payout request that was already decided cannot be changed; please make a new one.",
                )
                .to_owned(),
            Rejection::PayoutDenied { denied, .. } => denied.message(lang),
            Rejection::VisitIncomplete { title, fields, .. } => {
                let fields = fields.join(", ");
                if cs {
                    format!("Návštěvě „{title}“ chybí údaje ({fields}); doplňte je prosím.")
                } else {
                    format!("The visit \"{title}\" is missing details ({fields}); please complete it.")
                }
            }
            Rejection::NotTaken { map, why, .. } => not_taken_text(map, *why, lang),
        }
    }
}

fn not_taken_text(map: &str, why: NotTaken, lang: Lang) -> String {
    match (map, why) {
        ("orders", NotTaken::VariableSymbolTaken) => lang.pick(
            "Objednávku kancelář nepřevzala: její variabilní symbol už má jiná objednávka. Otevřete objednávku a přidělte jí nový symbol.",
            "The office could not take the order: another order already has its variable symbol. Open the order and assign it a new symbol.",
        ).to_owned(),
        ("orders", NotTaken::UnknownClient) => lang.pick(
            "Objednávku kancelář nepřevzala: její klient v kanceláři chybí. Otevřete klienta a uložte ho znovu.",
            "The office could not take the order: its client is missing at the office. Open the client and save it again.",
        ).to_owned(),
        (map, NotTaken::Foreign) => match lang {
            Lang::Cs => format!("Záznam ({map}) kancelář nepřevzala: jeho identifikátor patří záznamu jiného poradce. Zadejte ho v aplikaci znovu jako nový."),
            Lang::En => format!("The office could not take the record ({map}): its id belongs to another adviser's record. Enter it again in the app as a new one."),
        },
        _ => lang.pick(
            "Předpis kancelář nepřevzala: jeho klient v kanceláři chybí. Otevřete klienta a uložte ho znovu.",
            "The office could not take the prescription: its client is missing at the office. Open the client and save it again.",
        ).to_owned(),
    }
}

impl Report {
    /// The inbox id.
    pub fn inbox_id(&self) -> String {
        match self {
            Report::Rejected(r) => r.inbox_id(),
            Report::PayoutAccepted { id, .. } => format!("payout-{id}"),
            Report::MergedEdit { client, fields, .. } => {
                format!("merged-{client}-{}", fields.join("-"))
            }
            Report::MovedToSurvivor { map, id, .. } => format!("merged-{map}-{id}"),
            Report::CouponHonoured { order, code, .. } => format!("coupon-{order}-{code}"),
            Report::FieldConflict {
                client,
                field,
                others,
                ..
            } => format!("conflict-{client}-{field}-{}", others.join("|")),
        }
    }

    /// The inbox entry, stamped `at` (RFC 3339).
    pub fn to_inbox(&self, at: &str) -> InboxRecord {
        let (kind, about, cs, en) = match self {
            Report::Rejected(r) => ("rejection", r.about(), r.text(Lang::Cs), r.text(Lang::En)),
            Report::PayoutAccepted { id, amount } => (
                "notification",
                format!("{PAYOUT_REQUESTS}/{id}"),
                format!(
                    "Žádost o výplatu {} byla přijata.",
                    Money::from_haler(*amount).format(Lang::Cs)
                ),
                format!(
                    "The payout request of {} was accepted.",
                    Money::from_haler(*amount).format(Lang::En)
                ),
            ),
            Report::MergedEdit {
                survivor, fields, ..
            } => (
                "notification",
                format!("{}/{survivor}", records::CLIENTS),
                format!(
                    "Klienta kancelář sloučila s jiným záznamem téže osoby. Vaše změny ({}) jsme zapsali ke sloučenému klientovi.",
                    crate::customer::field_names(fields, Lang::Cs)
                ),
                format!(
                    "The office merged this client into another record of the same person. Your changes ({}) were written to the merged client.",
                    crate::customer::field_names(fields, Lang::En)
                ),
            ),
            Report::MovedToSurvivor { map, survivor, .. } => (
                "notification",
                format!("{}/{survivor}", records::CLIENTS),
                if *map == records::ORDERS {
                    "Zakázka patřila klientovi, kterého kancelář sloučila s jiným záznamem téže osoby; nyní patří sloučenému klientovi.".to_owned()
                } else {
                    "Předpis patřil klientovi, kterého kancelář sloučila s jiným záznamem téže osoby; nyní patří sloučenému klientovi.".to_owned()
                },
                if *map == records::ORDERS {
                    "The order belonged to a client the office merged into another record of the same person; it now belongs to the merged client.".to_owned()
                } else {
                    "The prescription belonged to a client the office merged into another record of the same person; it now belongs to the merged client.".to_owned()
                },
            ),
            Report::FieldConflict {
                client,
                field,
                kept,
                others,
            } => {
                let (cs_field, en_field) = (
                    crate::customer::field_names(&[field.as_str()], Lang::Cs),
                    crate::customer::field_names(&[field.as_str()], Lang::En),
                );
                let others = others.join("“, „");
                (
                    "notification",
                    format!("{}/{client}", records::CLIENTS),
                    format!(
                        "Pole „{cs_field}“ klienta se změnilo na dvou místech zároveň. Platí „{kept}“; druhá hodnota „{others}“ je zapsaná v historii klienta. Zkontrolujte, která je správná."
                    ),
                    format!(
                        "The client's {en_field} was changed in two places at once. \"{kept}\" stands; the other value \"{others}\" is kept in the client's history. Check which is right."
                    ),
                )
            }
            Report::CouponHonoured {
                order,
                code,
                taken,
                now,
            } => (
                "notification",
                format!("{}/{order}", records::ORDERS),
                format!(
                    "Kupón {code} zakázce zůstává: dorazila do centrály pozdě, ale byla přijata ({taken}), když kupón ještě platil. Dnes by už neplatil: {}",
                    now.message(Lang::Cs)
                ),
                format!(
                    "The coupon {code} stays on the order: it reached the hub late but was taken ({taken}) while the coupon applied. It would not apply today: {}",
                    now.message(Lang::En)
                ),
            ),
        };
        InboxRecord {
            at: at.to_owned(),
            kind: kind.to_owned(),
            about,
            text_cs: cs,
            text_en: en,
            read: false,
        }
    }
}
