//! Working a till: the one path of the Till page, the API and the CLI. Checks
//! who may (a store's staff their own shop's till, administrators any), what
//! was entered (amounts, the order by its VS, the goods by SKU, the card part,
//! reasons), builds the receipt's lines (an order's payment split by the
//! order's VAT rates; goods at their catalog price; a refund split like its
//! receipt) and writes it (`till/store.rs`, which re-checks everything that
//! could have changed).

use fieldcase_shared::validate::reason;
use fieldcase_shared::{FieldError, Lang, Money, OrderStatus, Problem, Role, StoreId};
use uuid::Uuid;

use super::store::NewEntry;
use super::{CLERKS, Entry, EntryKind, READERS, Shift, TillLine, ZReport, z_report};
use crate::money::invoice::{Line, gross_by_rate, pct, split};
use crate::orders::store::card::line_gross;
use crate::store::{Actor, Store, StoreError, User};

/// Who is at the till.
#[derive(Debug, Clone)]
pub struct Clerk {
    pub actor: Actor,
    pub role: Role,
    /// The shop the user works in.
    pub shop: Option<StoreId>,
}

impl Clerk {
    /// `user`, acting as `actor`.
    pub fn of(user: &User, actor: Actor) -> Clerk {
        Clerk {
            actor,
            role: user.role,
            shop: user.shop,
        }
    }

    fn may(&self, roles: &[Role], shop: StoreId) -> Result<(), TillError> {
        if !roles.contains(&self.role) || (self.role == Role::Store && self.shop != Some(shop)) {
            return Err(TillError::Forbidden);
        }
        Ok(())
    }

    /// Whether the clerk may read `shop`'s till.
    pub fn may_read(&self, shop: StoreId) -> bool {
        self.may(READERS, shop).is_ok()
    }

    /// Whether the clerk may work `shop`'s till.
    pub fn may_work(&self, shop: StoreId) -> bool {
        self.may(CLERKS, shop).is_ok()
    }
}

/// Why the till did not do it.
#[derive(Debug, thiserror::Error)]
pub enum TillError {
    #[error("this user may not work this shop's till")]
    Forbidden,
    #[error("no such shop, shift or receipt")]
    NotFound,
    #[error("invalid")]
    Invalid(Vec<FieldError>),
    #[error("the till has no open shift")]
    NoShift,
    #[error("the till has an open shift already")]
    AlreadyOpen,
    #[error(transparent)]
    Store(StoreError),
}

impl TillError {
    /// What the clerk reads, in `l`.
    pub fn text(&self, l: Lang) -> String {
        match self {
            TillError::Forbidden => l
                .pick(
                    "Pokladnu prodejny obsluhuje její personál a administrátor.",
                    "A shop's till is worked by its staff and administrators.",
                )
                .into(),
            TillError::NotFound => l
                .pick(
                    "Taková prodejna, směna nebo účtenka neexistuje.",
                    "No such shop, shift or receipt.",
                )
                .into(),
            TillError::Invalid(problems) => {
                let list: Vec<String> = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message(l)))
                    .collect();
                format!("{} {}", l.pick("Zkontrolujte:", "Check:"), list.join("; "))
            }
            TillError::NoShift => l
                .pick(
                    "Pokladna nemá otevřenou směnu; nejdřív ji otevřete.",
                    "The till has no open shift; open one first.",
                )
                .into(),
            TillError::AlreadyOpen => l
                .pick("Směna je už otevřená.", "A shift is open already.")
                .into(),
            TillError::Store(_) => l
                .pick(
                    "Uložení se nepovedlo; zkuste to znovu.",
                    "Saving failed; try again.",
                )
                .into(),
        }
    }
}

fn problem(field: &str, key: &str) -> TillError {
    TillError::Invalid(vec![FieldError::new(
        field,
        Problem::NotAllowed(key.into()),
    )])
}

fn required(field: &str) -> TillError {
    TillError::Invalid(vec![FieldError::new(field, Problem::Required)])
}

/// The most a till takes or gives in one go (100 million crowns).
const MOST: Money = Money::from_czk(100_000_000);

/// `amount` is 0 to [`MOST`].
fn bounded(field: &str, amount: Money) -> Result<(), TillError> {
    if amount.is_negative() {
        return Err(problem(field, reason::NEGATIVE_AMOUNT));
    }
    if amount > MOST {
        return Err(TillError::Invalid(vec![FieldError::new(
            field,
            Problem::OutOfRange {
                min: "0".into(),
                max: MOST.format(Lang::Cs),
            },
        )]));
    }
    Ok(())
}

/// `amount` is more than 0 and at most [`MOST`].
fn positive(field: &str, amount: Money) -> Result<(), TillError> {
    if amount.haler() <= 0 {
        return Err(problem(field, reason::NEGATIVE_AMOUNT));
    }
    bounded(field, amount)
}

/// What the store's refusals mean here.
fn refused(e: StoreError) -> TillError {
    match e {
        StoreError::Stale("till shift") => TillError::NoShift,
        StoreError::Stale("order") => problem("amount", reason::BEYOND_LEFT),
        StoreError::Stale("stock") => problem("items", reason::NOT_IN_STOCK),
        StoreError::Stale("receipt") => problem("amount", reason::BEYOND_RECEIPT),
        StoreError::Stale("cash") => problem("amount", reason::BEYOND_DRAWER),
        StoreError::NotFound(_) => TillError::NotFound,
        StoreError::Duplicate { .. } => TillError::AlreadyOpen,
        e => TillError::Store(e),
    }
}

/// Opens `shop`'s till with `float` in the drawer.
pub async fn open(
    store: &dyn Store,
    clerk: &Clerk,
    shop: StoreId,
    float: Money,
) -> Result<Shift, TillError> {
    clerk.may(CLERKS, shop)?;
    bounded("float", float)?;
    store
        .open_shift(&clerk.actor, shop, float)
        .await
        .map_err(refused)
}

/// What to sell: an order's payment (by its variable symbol; the amount it
/// still owes unless given) or goods (SKU and quantity); `card` of it paid by
/// card (all of it with `all_by_card`), the rest in cash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sale {
    pub vs: Option<String>,
    pub amount: Option<Money>,
    pub items: Vec<(String, i64)>,
    pub card: Money,
    pub all_by_card: bool,
}

/// Sells `sale` at `shop`'s till: the receipt.
pub async fn sell(
    store: &dyn Store,
    clerk: &Clerk,
    shop: StoreId,
    sale: &Sale,
) -> Result<Entry, TillError> {
    clerk.may(CLERKS, shop)?;
    let vs = sale.vs.as_deref().map(str::trim).filter(|v| !v.is_empty());
    let (order, lines) = match (vs, sale.items.is_empty()) {
        (Some(_), false) => return Err(problem("items", reason::ORDER_OR_GOODS)),
        (None, true) => return Err(required("items")),
        (Some(vs), true) => {
            let (order, lines) = order_lines(store, vs, sale.amount).await?;
            (Some(order), lines)
        }
        (None, false) => (None, goods_lines(store, shop, &sale.items).await?),
    };
    let total: Money = lines.iter().map(|l| l.line.total).sum();
    let card = if sale.all_by_card { total } else { sale.card };
    bounded("card", card)?;
    if card > total {
        return Err(problem("card", reason::BEYOND_TOTAL));
    }
    let new = NewEntry {
        shop,
        kind: EntryKind::Sale,
        order,
        refund_of: None,
        cash: total - card,
        card,
        note: String::new(),
        lines,
        restock: false,
    };
    store
        .record_entry(&clerk.actor, &new)
        .await
        .map_err(refused)
}

/// The order of `vs` and the lines of paying `amount` of it (what it owes).
async fn order_lines(
    store: &dyn Store,
    vs: &str,
    amount: Option<Money>,
) -> Result<(fieldcase_shared::OrderId, Vec<TillLine>), TillError> {
    let found = store.orders_by_vs(vs).await.map_err(TillError::Store)?;
    let order = match found.as_slice() {
        [] => return Err(problem("vs", reason::NO_SUCH_ORDER)),
        [one] => one,
        _ => return Err(problem("vs", reason::AMBIGUOUS_ORDER)),
    };
    if order.status == OrderStatus::Cancelled {
        return Err(problem("vs", reason::ORDER_CANCELLED));
    }
    let amount = amount.unwrap_or_else(|| order.payment.left());
    positive("amount", amount)?;
    if amount > order.payment.left() {
        return Err(problem("amount", reason::BEYOND_LEFT));
    }
    let card = store
        .order_card(order.id, Role::Admin)
        .await
        .map_err(TillError::Store)?
        .ok_or(TillError::NotFound)?;
    let rates: Vec<Line> = card
        .lines
        .iter()
        .map(|l| Line::single(String::new(), l.vat_bp, line_gross(l)))
        .collect();
    let lines = split(amount, &gross_by_rate(&rates))
        .into_iter()
        .map(|(bp, part)| TillLine {
            product: None,
            line: Line::single(
                format!(
                    "Platba objednávky {} ({})",
                    order.variable_symbol,
                    pct(bp, Lang::Cs)
                ),
                bp,
                part,
            ),
        })
        .collect();
    Ok((order.id, lines))
}

/// The lines of `items` (SKU, quantity) at their catalog price.
async fn goods_lines(
    store: &dyn Store,
    shop: StoreId,
    items: &[(String, i64)],
) -> Result<Vec<TillLine>, TillError> {
    let skus: Vec<String> = items.iter().map(|(s, _)| s.trim().to_owned()).collect();
    let goods = store.goods(shop, &skus).await.map_err(TillError::Store)?;
    let mut lines = Vec::with_capacity(items.len());
    for (i, (sku, quantity)) in skus.iter().zip(items.iter().map(|(_, q)| *q)).enumerate() {
        let Some(g) = goods.iter().find(|g| &g.sku == sku && g.active) else {
            return Err(problem(&format!("items[{i}].sku"), reason::NOT_SOLD_HERE));
        };
        if !(1..=999).contains(&quantity) {
            return Err(TillError::Invalid(vec![FieldError::new(
                format!("items[{i}].quantity"),
                Problem::OutOfRange {
                    min: "1".into(),
                    max: "999".into(),
                },
            )]));
        }
        if g.kind != "service" && g.available.is_some_and(|a| a < quantity) {
            return Err(problem(
                &format!("items[{i}].quantity"),
                reason::NOT_IN_STOCK,
            ));
        }
        lines.push(TillLine {
            product: (g.kind != "service").then_some(g.product),
            line: Line {
                text: format!("{} {}", g.sku, g.name),
                quantity,
                unit_price: g.price,
                vat_bp: g.vat_bp,
                total: Money::from_haler(g.price.haler() * quantity),
            },
        });
    }
    Ok(lines)
}

/// Gives `amount` of receipt `receipt` back (`card` of it to the card, the rest
/// in cash), for `reason`. A refund of all a receipt's goods puts them back
/// into the shop's stock.
pub async fn refund(
    store: &dyn Store,
    clerk: &Clerk,
    receipt: Uuid,
    amount: Money,
    card: Money,
    why: &str,
) -> Result<Entry, TillError> {
    let sale = store
        .till_entry(receipt)
        .await
        .map_err(TillError::Store)?
        .filter(|e| e.kind == EntryKind::Sale)
        .ok_or(TillError::NotFound)?;
    clerk.may(CLERKS, sale.shop)?;
    positive("amount", amount)?;
    let why = why.trim();
    if why.is_empty() {
        return Err(required("reason"));
    }
    if amount > sale.refundable() {
        return Err(problem("amount", reason::BEYOND_RECEIPT));
    }
    bounded("card", card)?;
    if card > amount {
        return Err(problem("card", reason::BEYOND_TOTAL));
    }
    let sold: Vec<Line> = sale.lines.iter().map(|l| l.line.clone()).collect();
    let lines = split(amount, &gross_by_rate(&sold))
        .into_iter()
        .map(|(bp, part)| TillLine {
            product: None,
            line: Line::single(
                format!(
                    "Vrácení k účtence {}: {why} ({})",
                    sale.number,
                    pct(bp, Lang::Cs)
                ),
                bp,
                -part,
            ),
        })
        .collect();
    let whole = sale.refunded.is_zero() && amount == sale.total;
    let new = NewEntry {
        shop: sale.shop,
        kind: EntryKind::Refund,
        order: sale.order,
        refund_of: Some(sale.id),
        cash: -(amount - card),
        card: -card,
        note: why.to_owned(),
        lines,
        restock: whole,
    };
    store
        .record_entry(&clerk.actor, &new)
        .await
        .map_err(refused)
}

/// Puts `amount` of cash into `shop`'s drawer (`out`: takes it out), for `why`.
pub async fn voucher(
    store: &dyn Store,
    clerk: &Clerk,
    shop: StoreId,
    out: bool,
    amount: Money,
    why: &str,
) -> Result<Entry, TillError> {
    clerk.may(CLERKS, shop)?;
    positive("amount", amount)?;
    let why = why.trim();
    if why.is_empty() {
        return Err(required("reason"));
    }
    let new = NewEntry {
        shop,
        kind: if out {
            EntryKind::CashOut
        } else {
            EntryKind::CashIn
        },
        order: None,
        refund_of: None,
        cash: if out { -amount } else { amount },
        card: Money::ZERO,
        note: why.to_owned(),
        lines: Vec::new(),
        restock: false,
    };
    store
        .record_entry(&clerk.actor, &new)
        .await
        .map_err(refused)
}

/// Closes `shop`'s open shift with `counted` cash: its Z report.
pub async fn close(
    store: &dyn Store,
    clerk: &Clerk,
    shop: StoreId,
    counted: Money,
    note: &str,
) -> Result<ZReport, TillError> {
    clerk.may(CLERKS, shop)?;
    bounded("counted", counted)?;
    let open = store
        .open_shift_of(shop)
        .await
        .map_err(TillError::Store)?
        .ok_or(TillError::NoShift)?;
    let shift = store
        .close_shift(&clerk.actor, open.id, counted, note.trim())
        .await
        .map_err(refused)?;
    report(store, clerk, shift.id).await
}

/// Shift `id`'s Z report (of an open shift: so far).
pub async fn report(store: &dyn Store, clerk: &Clerk, id: Uuid) -> Result<ZReport, TillError> {
    let shift = store
        .shift(id)
        .await
        .map_err(TillError::Store)?
        .ok_or(TillError::NotFound)?;
    clerk.may(READERS, shift.shop)?;
    let entries = store.shift_entries(id).await.map_err(TillError::Store)?;
    Ok(z_report(&shift, &entries))
}

/// Tells the adviser's phone what a till's payment (or refund) changed on its
/// order: the order's paid amount (the page and the API call it after a sale or
/// a refund of an order).
pub async fn announce(state: &crate::state::AppState, entry: &Entry) {
    if let Some(order) = entry.order
        && let Err(err) = state.sync.publish_order_info(order).await
    {
        tracing::warn!(%err, %order, "publishing an order's payment at the till");
    }
}

/// The shop whose code is `code`.
pub async fn shop_by_code(store: &dyn Store, code: &str) -> Result<StoreId, TillError> {
    store
        .list_shops()
        .await
        .map_err(TillError::Store)?
        .into_iter()
        .find(|s| s.code.eq_ignore_ascii_case(code.trim()))
        .map(|s| s.id)
        .ok_or(TillError::NotFound)
}
