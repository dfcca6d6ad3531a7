//! Text documents as PDF (krilla, A4, DejaVu Sans embedded and subset so Czech text
//! prints and copies as text): headings and lines laid out top-down over as many
//! pages as they need; `one_page` and its `Pen` for documents that place their text
//! themselves (the lab's job sheet, tax documents, till receipts).

use std::sync::OnceLock;

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// A4 in points.
pub const WIDTH: f32 = 595.0;
pub const HEIGHT: f32 = 842.0;
pub const MARGIN: f32 = 42.0;

/// The embedded regular and bold fonts.
pub fn fonts() -> Option<&'static (Font, Font)> {
    static FONTS: OnceLock<Option<(Font, Font)>> = OnceLock::new();
    FONTS
        .get_or_init(|| Some((Font::new(REGULAR.into(), 0)?, Font::new(BOLD.into(), 0)?)))
        .as_ref()
}

/// `text` cut into lines of at most `width` characters, at spaces where it can.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out
}

/// One line placed on a page.
struct Placed {
    y: f32,
    size: f32,
    bold: bool,
    text: String,
}

/// A text document being laid out.
#[derive(Default)]
pub struct TextPdf {
    pages: Vec<Vec<Placed>>,
    y: f32,
}

impl TextPdf {
    /// An empty document.
    pub fn new() -> Self {
        TextPdf {
            pages: vec![Vec::new()],
            y: MARGIN + 14.0,
        }
    }

    fn place(&mut self, size: f32, bold: bool, text: &str) {
        if self.y + size > HEIGHT - MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN + 14.0;
        }
        if let Some(page) = self.pages.last_mut() {
            page.push(Placed {
                y: self.y,
                size,
                bold,
                text: text.to_owned(),
            });
        }
        self.y += size * 1.45;
    }

    /// The document's title.
    pub fn title(&mut self, text: &str) {
        self.place(18.0, true, text);
    }

    /// A section's heading.
    pub fn heading(&mut self, text: &str) {
        self.y += 8.0;
        self.place(12.0, true, text);
    }

    /// Text, wrapped to the page's width.
    pub fn text(&mut self, text: &str) {
        for line in wrap(text, 95) {
            self.place(9.0, false, &line);
        }
    }

    /// The PDF bytes.
    pub fn finish(self) -> anyhow::Result<Vec<u8>> {
        let (regular, bold) = fonts()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("the embedded font does not load"))?;
        let mut document = Document::new();
        for lines in self.pages {
            let settings =
                PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| anyhow::anyhow!("page size"))?;
            let mut page = document.start_page_with(settings);
            {
                let mut surface = page.surface();
                for l in lines {
                    let font = if l.bold {
                        bold.clone()
                    } else {
                        regular.clone()
                    };
                    surface.draw_text(
                        Point::from_xy(MARGIN, l.y),
                        font,
                        l.size,
                        &l.text,
                        false,
                        TextDirection::Auto,
                    );
                }
                surface.finish();
            }
            page.finish();
        }
        document
            .finish()
            .map_err(|e| anyhow::anyhow!("writing the PDF: {e:?}"))
    }
}

/// Draws text on one page with the embedded fonts.
pub struct Pen<'a> {
    pub surface: Surface<'a>,
    regular: Font,
    bold: Font,
}

impl Pen<'_> {
    /// `text` with its baseline's left end at (`x`, `y`).
    pub fn at(&mut self, x: f32, y: f32, size: f32, bold: bool, text: &str) {
        let font = if bold {
            self.bold.clone()
        } else {
            self.regular.clone()
        };
        self.surface.draw_text(
            Point::from_xy(x, y),
            font,
            size,
            text,
            false,
            TextDirection::Auto,
        );
    }

    /// `text` ending at `right` (numbers in columns), as wide as DejaVu's digits
    /// (bold ones are wider).
    pub fn right(&mut self, right: f32, y: f32, size: f32, bold: bool, text: &str) {
        let width = text.chars().count() as f32 * size * if bold { 0.64 } else { 0.58 };
        self.at(right - width, y, size, bold, text);
    }
}

/// A one-page PDF `width` × `height` points drawn by `draw`.
pub fn one_page(
    width: f32,
    height: f32,
    draw: impl FnOnce(&mut Pen<'_>),
) -> anyhow::Result<Vec<u8>> {
    let (regular, bold) = fonts()
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("the embedded font does not load"))?;
    let mut document = Document::new();
    let settings =
        PageSettings::from_wh(width, height).ok_or_else(|| anyhow::anyhow!("page size"))?;
    let mut page = document.start_page_with(settings);
    {
        let mut pen = Pen {
            surface: page.surface(),
            regular,
            bold,
        };
        draw(&mut pen);
        pen.surface.finish();
    }
    page.finish();
    document
        .finish()
        .map_err(|e| anyhow::anyhow!("writing the PDF: {e:?}"))
}

/// The QR code of `text` as black squares, `size` points wide, top-left at (x, y).
pub fn draw_qr(surface: &mut Surface<'_>, text: &str, x: f32, y: f32, size: f32) {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return;
    };
    let width = code.width();
    let quiet = 2;
    let module = size / (width + 2 * quiet) as f32;
    let mut path = PathBuilder::new();
    for (i, colour) in code.to_colors().iter().enumerate() {
        if *colour == qrcode::Color::Dark {
            let (col, row) = (i % width + quiet, i / width + quiet);
            if let Some(rect) = Rect::from_xywh(
                x + col as f32 * module,
                y + row as f32 * module,
                module,
                module,
            ) {
                path.push_rect(rect);
            }
        }
    }
    if let Some(path) = path.finish() {
        surface.draw_path(&path);
    }
}
