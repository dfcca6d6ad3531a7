//! Issuing tax documents (issue 13, point 4), the one path of the order card, the
//! Invoices page, the API and the CLI: the final invoice of an order (its lines,
//! the order-wide discount, the deposit documents deducted, what was paid
//! already), a deposit document for money received before the supply, and a
//! credit note taking part of a document back (a refund, a complaint). The
//! supplier comes from the configuration, the customer from the order, both
//! copied into the document; dates are Prague's.

use fieldcase_shared::{FieldError, Lang, Money, OrderId, OrderStatus, Problem, Role};
use time::{Date, Duration};
use uuid::Uuid;

use crate::config::Config;
use crate::money::invoice::{self, Kind, Line, Party};
use crate::money::store::invoices::{Invoice, InvoiceFilter, NewInvoice};
use crate::orders::store::card::line_gross;
use crate::store::{Actor, Store, StoreError};

/// Who issues tax documents.
pub const INVOICERS: &[Role] = &[Role::Office, Role::Store, Role::Accounting, Role::Admin];

/// Days from issue to due.
pub const DUE_DAYS: i64 = 14;

/// What to issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issue {
    /// The order's final invoice.
    Final { order: OrderId },
    /// A deposit document for `amount` of what the order was paid.
    Deposit { order: OrderId, amount: Money },
    /// A credit note taking `amount` back from document `invoice`.
    Credit {
        invoice: Uuid,
        amount: Money,
        reason: String,
    },
}

/// Why a document was not issued.
#[derive(Debug, thiserror::Error)]
pub enum InvoiceError {
    #[error("this role does not issue tax documents")]
    Forbidden,
    #[error("no such order or document")]
    NotFound,
    #[error("the company's name and IČO are not set")]
    NoSupplier,
    #[error("invalid")]
    Invalid(Vec<FieldError>),
    #[error("the order has its invoice already")]
    AlreadyInvoiced,
    #[error("the order is cancelled")]
    Cancelled,
    #[error("changed meanwhile")]
    Changed,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for InvoiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => InvoiceError::NotFound,
            StoreError::Stale(_) => InvoiceError::Changed,
            StoreError::Duplicate { .. } => InvoiceError::AlreadyInvoiced,
            e => InvoiceError::Store(e),
        }
    }
}

impl InvoiceError {
    /// What the office reads, in `l`.
    pub fn text(&self, l: Lang) -> String {
        match self {
            InvoiceError::Forbidden => l.pick("Doklady vystavuje kancelář, prodejna, účtárna a administrátor.", "Office, store, accounting and administrators issue tax documents.").into(),
            InvoiceError::NotFound => l.pick("Taková objednávka nebo doklad neexistuje.", "No such order or document.").into(),
            InvoiceError::NoSupplier => l.pick("Nejsou nastavené údaje firmy (payee_name, company_ico … ve fieldcase.toml).", "The company's details are not set (payee_name, company_ico … in fieldcase.toml).").into(),
            InvoiceError::Invalid(problems) => {
                let list: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.field, p.message(l))).collect();
                format!("{} {}", l.pick("Zkontrolujte:", "Check:"), list.join("; "))
            }
            InvoiceError::AlreadyInvoiced => l.pick("Objednávka už fakturu má; opravuje se dobropisem.", "The order has its invoice already; correct it with a credit note.").into(),
            InvoiceError::Cancelled => l.pick("Zrušená objednávka se nefakturuje.", "A cancelled order is not invoiced.").into(),
            InvoiceError::Changed => l.pick("Platby nebo doklady se mezitím změnily; zkuste to znovu.", "Payments or documents changed meanwhile; try again.").into(),
            InvoiceError::Store(_) => l.pick("Uložení se nepovedlo; zkuste to znovu.", "Saving failed; try again.").into(),
        }
    }
}

/// Today in Prague.
pub fn today() -> Date {
    let now = time::OffsetDateTime::now_utc();
    now.to_offset(crate::office::ui::prague_offset(now)).date()
}

fn problem(field: &str, key: &str) -> InvoiceError {
    InvoiceError::Invalid(vec![FieldError::new(
        field,
        Problem::NotAllowed(key.into()),
    )])
}

/// An order's lines as a document's, its total, the customer, the VS and what it
/// was paid.
async fn order_parts(
    store: &dyn Store,
    order: OrderId,
) -> Result<(Vec<Line>, Money, Party, String, Money, OrderStatus), InvoiceError> {
    let card = store
        .order_card(order, Role::Admin)
        .await?
        .ok_or(InvoiceError::NotFound)?;
    let lines = card
        .lines
        .iter()
        .map(|l| Line {
            text: l.text.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price,
            vat_bp: l.vat_bp,
            total: line_gross(l),
        })
        .collect();
    let c = &card.client;
    let customer = Party {
        name: format!("{} {}", c.first_name, c.last_name)
            .trim()
            .to_owned(),
        street: c.street.clone(),
        city: c.city.clone(),
        postal_code: c.postal_code.clone(),
        ..Party::default()
    };
    Ok((
        lines,
        card.total,
        customer,
        card.variable_symbol.clone(),
        card.payment().paid(),
        card.status,
    ))
}

/// The deposit documents of `order` with their gross per rate.
async fn deposits(store: &dyn Store, order: OrderId) -> Result<Vec<Invoice>, InvoiceError> {
    let listed = store
        .invoices(&InvoiceFilter {
            order: Some(order),
            kind: Some(Kind::Deposit),
            ..InvoiceFilter::default()
        })
        .await?;
    let mut out = Vec::with_capacity(listed.len());
    for d in listed {
        out.extend(store.invoice(d.id).await?);
    }
    Ok(out)
}

/// What a document still holds: its total less its credit notes.
pub async fn held(store: &dyn Store, invoice: &Invoice) -> Result<Money, InvoiceError> {
    let credits = store
        .invoices(&InvoiceFilter {
            kind: Some(Kind::CreditNote),
            corrects: Some(invoice.id),
            limit: 1000,
            ..InvoiceFilter::default()
        })
        .await?;
    Ok(invoice.total + credits.iter().map(|c| c.total).sum::<Money>())
}

/// Issues `what` (INVOICERS only) with the supplier of `config`.
pub async fn issue(
    store: &dyn Store,
    config: &Config,
    actor: &Actor,
    role: Role,
    what: &Issue,
) -> Result<Invoice, InvoiceError> {
    if !INVOICERS.contains(&role) {
        return Err(InvoiceError::Forbidden);
    }
    let supplier = config.supplier().ok_or(InvoiceError::NoSupplier)?;
    let issued_on = today();
    let new = |kind, order, corrects, vs, customer, lines, paid, reason| NewInvoice {
        kind,
        order,
        corrects,
        issued_on,
        taxable_on: issued_on,
        due_on: issued_on + Duration::days(DUE_DAYS),
        variable_symbol: vs,
        supplier: supplier.clone(),
        customer,
        lines,
        paid,
        reason,
    };
    let new = match what {
        Issue::Final { order } => {
            let (lines, total, customer, vs, paid, status) = order_parts(store, *order).await?;
            if status == OrderStatus::Cancelled {
                return Err(InvoiceError::Cancelled);
            }
            let deposits = deposits(store, *order).await?;
            let taxed: Money = deposits.iter().map(|d| d.total).sum();
            let deducted: Vec<(String, Vec<(i64, Money)>)> = deposits
                .iter()
                .map(|d| (d.number.clone(), invoice::gross_by_rate(&d.lines)))
                .collect();
            let lines = invoice::final_lines(&lines, total, &deducted);
            let paid = paid - taxed;
            new(
                Kind::Invoice,
                Some(*order),
                None,
                vs,
                customer,
                lines,
                if paid.is_negative() {
                    Money::ZERO
                } else {
                    paid
                },
                String::new(),
            )
        }
        Issue::Deposit { order, amount } => {
            let (lines, total, customer, vs, paid, status) = order_parts(store, *order).await?;
            if status == OrderStatus::Cancelled {
                return Err(InvoiceError::Cancelled);
            }
            let taxed: Money = deposits(store, *order).await?.iter().map(|d| d.total).sum();
            if amount.haler() <= 0 {
                return Err(problem(
                    "amount",
                    fieldcase_shared::validate::reason::NEGATIVE_AMOUNT,
                ));
            }
            if taxed + *amount > paid {
                return Err(problem(
                    "amount",
                    fieldcase_shared::validate::reason::BEYOND_PAID,
                ));
            }
            let rates = invoice::gross_by_rate(&invoice::final_lines(&lines, total, &[]));
            new(
                Kind::Deposit,
                Some(*order),
                None,
                vs.clone(),
                customer,
                invoice::deposit_lines(*amount, &vs, &rates),
                *amount,
                String::new(),
            )
        }
        Issue::Credit {
            invoice: corrected,
            amount,
            reason,
        } => {
            let original = store
                .invoice(*corrected)
                .await?
                .ok_or(InvoiceError::NotFound)?;
            if original.kind == Kind::CreditNote {
                return Err(problem(
                    "invoice",
                    fieldcase_shared::validate::reason::NOT_CORRECTABLE,
                ));
            }
            let reason = reason.trim().to_owned();
            let mut problems = Vec::new();
            if reason.is_empty() {
                problems.push(FieldError::new("reason", Problem::Required));
            } else if reason.chars().count() > 200 {
                problems.push(FieldError::new("reason", Problem::TooLong { max: 200 }));
            }
            if amount.haler() <= 0 {
                problems.push(FieldError::new(
                    "amount",
                    Problem::NotAllowed(fieldcase_shared::validate::reason::NEGATIVE_AMOUNT.into()),
                ));
            } else if *amount > held(store, &original).await? {
                problems.push(FieldError::new(
                    "amount",
                    Problem::NotAllowed(fieldcase_shared::validate::reason::BEYOND_INVOICE.into()),
                ));
            }
            if !problems.is_empty() {
                return Err(InvoiceError::Invalid(problems));
            }
            let rates = invoice::gross_by_rate(&original.lines);
            let lines = invoice::credit_lines(*amount, &original.number, &reason, &rates);
            new(
                Kind::CreditNote,
                original.order,
                Some(original.id),
                original.variable_symbol.clone(),
                original.customer.clone(),
                lines,
                Money::ZERO,
                reason,
            )
        }
    };
    Ok(store.issue_invoice(actor, &new).await?)
}
