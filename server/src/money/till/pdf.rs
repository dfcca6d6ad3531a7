//! The till's printouts as PDF for an 80-mm receipt printer (krilla, the page
//! 80 mm wide and as long as its text, DejaVu Sans embedded): a receipt or
//! voucher — the company and the shop, the document's title and number, the
//! time and the clerk, the lines, the total, the VAT breakdown, how it was
//! paid — and the shift's Z report: its receipts' numbers, sales, refunds and
//! vouchers in cash and by card, the turnover with its VAT breakdown, and the
//! float, the cash expected in the drawer, the cash counted and the difference.

use fieldcase_shared::{Lang, Money};

use super::{Entry, EntryKind, Totals, ZReport};
use crate::money::invoice::{Line, Party, VatLine, breakdown, pct};
use crate::office::ui::datetime;
use crate::pdf::{one_page, wrap};

/// 80 mm in points, and the margin of the printable width.
const WIDTH: f32 = 226.8;
const MARGIN: f32 = 10.0;
/// Characters that fit a line at the body size.
const CHARS: usize = 40;

/// A row of the printout: text on the left, optionally a number on the right.
struct Row {
    size: f32,
    bold: bool,
    left: String,
    right: String,
}

#[derive(Default)]
struct Slip {
    rows: Vec<Row>,
}

impl Slip {
    fn row(&mut self, size: f32, bold: bool, left: &str, right: &str) {
        self.rows.push(Row {
            size,
            bold,
            left: left.to_owned(),
            right: right.to_owned(),
        });
    }

    fn text(&mut self, text: &str) {
        for line in wrap(text, CHARS) {
            self.row(8.0, false, &line, "");
        }
    }

    fn pair(&mut self, left: &str, right: &str) {
        self.row(8.0, false, left, right);
    }

    fn rule(&mut self) {
        self.row(8.0, false, &"-".repeat(CHARS + 12), "");
    }

    fn gap(&mut self) {
        self.row(4.0, false, "", "");
    }

    fn render(self) -> anyhow::Result<Vec<u8>> {
        let height: f32 = 2.0 * MARGIN + 8.0 + self.rows.iter().map(|r| r.size * 1.4).sum::<f32>();
        one_page(WIDTH, height, |pen| {
            let mut y = MARGIN + 8.0;
            for r in &self.rows {
                if !r.left.is_empty() {
                    pen.at(MARGIN, y, r.size, r.bold, &r.left);
                }
                if !r.right.is_empty() {
                    pen.right(WIDTH - MARGIN, y, r.size, r.bold, &r.right);
                }
                y += r.size * 1.4;
            }
        })
    }

    fn company(&mut self, supplier: Option<&Party>, shop: &str, l: Lang) {
        if let Some(s) = supplier {
            self.row(10.0, true, &s.name, "");
            let ids = [
                (!s.ico.is_empty()).then(|| format!("{} {}", l.pick("IČO", "ID"), s.ico)),
                (!s.dic.is_empty()).then(|| format!("{} {}", l.pick("DIČ", "VAT ID"), s.dic)),
            ];
            let ids: Vec<String> = ids.into_iter().flatten().collect();
            if !ids.is_empty() {
                self.text(&ids.join(" · "));
            }
        }
        self.text(shop);
        self.gap();
    }

    fn vat(&mut self, vat: &[VatLine], l: Lang) {
        if vat.is_empty() {
            return;
        }
        self.row(
            8.0,
            true,
            l.pick("Sazba DPH / základ / DPH", "VAT rate / base / VAT"),
            "",
        );
        for v in vat {
            self.pair(
                &format!("{}  {}", pct(v.vat_bp, l), v.base.format(l)),
                &v.vat.format(l),
            );
        }
    }
}

/// A receipt or voucher of `shop` (name and address) for a printer, in `l`.
pub fn receipt(
    entry: &Entry,
    supplier: Option<&Party>,
    shop: &str,
    l: Lang,
) -> anyhow::Result<Vec<u8>> {
    let mut s = Slip::default();
    s.company(supplier, shop, l);
    s.row(11.0, true, entry.kind.title(l), "");
    s.pair(&entry.number, &datetime(entry.at));
    s.text(&format!("{} {}", l.pick("Obsluha:", "Clerk:"), entry.actor));
    if let Some(vs) = &entry.order_vs {
        s.text(&format!("{} {vs}", l.pick("Objednávka VS", "Order VS")));
    }
    if !entry.note.is_empty() {
        s.text(&format!("{} {}", l.pick("Důvod:", "Reason:"), entry.note));
    }
    s.rule();
    for t in &entry.lines {
        s.text(&t.line.text);
        s.pair(
            &format!("  {} × {}", t.line.quantity, t.line.unit_price.format(l)),
            &t.line.total.format(l),
        );
    }
    if !entry.kind.is_receipt() {
        s.pair(entry.kind.label(l), &entry.total.format(l));
    }
    s.rule();
    s.row(
        11.0,
        true,
        l.pick("Celkem", "Total"),
        &entry.total.format(l),
    );
    if entry.kind.is_receipt() {
        let lines: Vec<Line> = entry.lines.iter().map(|t| t.line.clone()).collect();
        s.vat(&breakdown(&lines), l);
    }
    s.gap();
    if !entry.cash.is_zero() {
        s.pair(l.pick("Hotově", "Cash"), &entry.cash.format(l));
    }
    if !entry.card.is_zero() {
        s.pair(l.pick("Kartou", "Card"), &entry.card.format(l));
    }
    if entry.kind == EntryKind::Sale {
        s.gap();
        s.text(l.pick("Děkujeme za nákup.", "Thank you for your purchase."));
    }
    s.render()
}

fn totals(s: &mut Slip, title: &str, t: &Totals, l: Lang) {
    s.row(
        8.0,
        true,
        &format!("{title} ({})", t.count),
        &t.total.format(l),
    );
    if t.count > 0 {
        s.pair(
            &format!("  {}", l.pick("hotově", "cash")),
            &t.cash.format(l),
        );
        s.pair(
            &format!("  {}", l.pick("kartou", "card")),
            &t.card.format(l),
        );
    }
}

/// The Z report of a shift for a printer, in `l`.
pub fn z_report(z: &ZReport, supplier: Option<&Party>, l: Lang) -> anyhow::Result<Vec<u8>> {
    let shift = &z.shift;
    let mut s = Slip::default();
    s.company(
        supplier,
        &format!("{} {}", shift.shop_code, shift.shop_name),
        l,
    );
    let title = if shift.is_open() {
        l.pick("Průběžná uzávěrka (X)", "Interim report (X)")
    } else {
        l.pick("Denní uzávěrka (Z)", "Daily close (Z report)")
    };
    s.row(11.0, true, title, "");
    s.text(&format!(
        "{} {} ({})",
        l.pick("Otevřeno", "Opened"),
        datetime(shift.opened_at),
        shift.opened_by
    ));
    if let Some(closed) = shift.closed_at {
        s.text(&format!(
            "{} {} ({})",
            l.pick("Uzavřeno", "Closed"),
            datetime(closed),
            shift.closed_by
        ));
    }
    if let (Some(first), Some(last)) = (&z.first, &z.last) {
        s.text(&format!(
            "{} {first} – {last}",
            l.pick("Účtenky", "Receipts")
        ));
    }
    s.rule();
    totals(&mut s, l.pick("Prodeje", "Sales"), &z.sales, l);
    totals(&mut s, l.pick("Vrácení", "Refunds"), &z.refunds, l);
    totals(&mut s, l.pick("Vklady", "Cash in"), &z.cash_in, l);
    totals(&mut s, l.pick("Výběry", "Cash out"), &z.cash_out, l);
    s.rule();
    s.row(
        9.0,
        true,
        l.pick("Tržba celkem", "Turnover"),
        &z.turnover().format(l),
    );
    s.vat(&z.vat, l);
    s.rule();
    s.pair(
        l.pick("Počáteční hotovost", "Float"),
        &shift.float.format(l),
    );
    s.pair(
        l.pick("Hotovost má být", "Cash expected"),
        &z.expected.format(l),
    );
    if let (Some(counted), Some(difference)) = (shift.counted, shift.difference) {
        s.pair(
            l.pick("Hotovost napočítána", "Cash counted"),
            &counted.format(l),
        );
        let sign = if difference > Money::ZERO { "+" } else { "" };
        s.row(
            11.0,
            true,
            l.pick("Rozdíl", "Difference"),
            &format!("{sign}{}", difference.format(l)),
        );
    }
    if !shift.close_note.is_empty() {
        s.text(&format!(
            "{} {}",
            l.pick("Poznámka:", "Note:"),
            shift.close_note
        ));
    }
    s.render()
}
