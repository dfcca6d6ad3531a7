//! The job sheet as a PDF (krilla, A4, DejaVu Sans embedded and subset so Czech
//! text prints and copies as text; the order number's QR code drawn as squares).

use fieldcase_shared::Lang;

use super::{EYE_HEADS, JobSheet, describe, eye_values};

use crate::pdf::{HEIGHT, MARGIN, Pen, WIDTH, draw_qr, one_page, wrap};

/// Writes lines top-down on the page.
struct Writer<'p, 'a> {
    pen: &'p mut Pen<'a>,
    y: f32,
}

impl Writer<'_, '_> {
    fn text(&mut self, x: f32, size: f32, bold: bool, text: &str) {
        self.pen.at(x, self.y, size, bold, text);
    }

    fn line(&mut self, size: f32, bold: bool, text: &str) {
        self.text(MARGIN, size, bold, text);
        self.y += size * 1.45;
    }

    fn heading(&mut self, text: &str) {
        self.y += 8.0;
        self.line(12.0, true, text);
    }

    fn room_left(&self) -> f32 {
        HEIGHT - MARGIN - self.y
    }
}

/// The PDF bytes of `sheet`.
pub fn render(sheet: &JobSheet, l: Lang) -> anyhow::Result<Vec<u8>> {
    one_page(WIDTH, HEIGHT, |pen| {
        let mut w = Writer {
            pen,
            y: MARGIN + 14.0,
        };
        draw(&mut w, sheet, l);
    })
}

/// Everything on the page.
fn draw(w: &mut Writer<'_, '_>, sheet: &JobSheet, l: Lang) {
    let c = &sheet.card;
    w.line(
        18.0,
        true,
        &format!(
            "{} {}",
            l.pick("Zakázkový list", "Job sheet"),
            c.variable_symbol
        ),
    );
    w.line(
        9.5,
        false,
        &format!(
            "{} {} · {} · {} · {}",
            c.client.first_name,
            c.client.last_name,
            c.adviser_name,
            c.shop_name,
            crate::office::ui::datetime(c.created_at)
        ),
    );
    draw_qr(
        &mut w.pen.surface,
        &c.variable_symbol,
        WIDTH - MARGIN - 90.0,
        MARGIN - 6.0,
        90.0,
    );

    w.y = w.y.max(MARGIN + 96.0);
    w.heading(l.pick("Obruba", "Frame"));
    let frames = sheet.of_kind("frame");
    if frames.is_empty() {
        w.line(10.0, false, "–");
    }
    let any = !frames.is_empty();
    for f in frames {
        w.line(10.0, false, &describe(f));
    }
    if any {
        w.line(9.0, false, &sheet.frame_source(l));
    }

    w.heading(l.pick("Předpis", "Prescription"));
    match &c.prescription {
        None => w.line(10.0, false, l.pick("Bez předpisu.", "No prescription.")),
        Some(rx) => {
            let col = |i: usize| MARGIN + 40.0 + 68.0 * i as f32;
            for (i, h) in EYE_HEADS.iter().enumerate() {
                w.text(col(i), 9.0, true, h);
            }
            w.y += 14.0;
            for (eye, values) in [
                ("OD", eye_values(&rx.right, l)),
                ("OS", eye_values(&rx.left, l)),
            ] {
                w.text(MARGIN, 10.5, true, eye);
                for (i, v) in values.iter().enumerate() {
                    w.text(col(i), 10.5, false, v);
                }
                w.y += 16.0;
            }
            let pd = rx
                .pd_binocular_mm
                .map(|pd| format!("PD {} · ", pd.format(l)))
                .unwrap_or_default();
            w.line(
                8.5,
                false,
                &format!(
                    "{pd}{}{} · {}",
                    l.pick("Změřil(a) ", "Measured by "),
                    rx.measured_by,
                    rx.measured_on
                ),
            );
        }
    }

    for (title, lines) in [
        (l.pick("Čočky", "Lenses"), sheet.of_kind("lens")),
        (l.pick("Úpravy", "Coatings"), sheet.of_kind("coating")),
        (l.pick("Ostatní", "Other"), sheet.others()),
    ] {
        if lines.is_empty() && title == l.pick("Ostatní", "Other") {
            continue;
        }
        w.heading(title);
        if lines.is_empty() {
            w.line(10.0, false, "–");
        }
        for line in lines {
            w.line(10.0, false, &describe(line));
        }
    }

    w.heading(l.pick("Poznámky pro laboratoř", "Notes for the lab"));
    let notes = sheet.lab_notes();
    if notes.is_empty() {
        w.line(10.0, false, "–");
    }
    for (author, at, text) in notes {
        for part in wrap(&text, 95) {
            if w.room_left() < 20.0 {
                break;
            }
            w.line(10.0, false, &part);
        }
        w.line(8.0, false, &format!("{author} · {at}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts;

    #[test]
    fn long_notes_wrap_at_spaces() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("one\ntwo", 80), vec!["one", "two"]);
        assert!(fonts().is_some(), "the embedded fonts load");
    }
}
