//! Spectacle frames as sold on an order.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ids::ProductId;
use crate::validate::{self, FieldError, Problem};

/// The boxing size printed on a temple: eye (lens width), bridge and temple length in mm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FrameSize {
    /// Lens width.
    pub eye_mm: u8,
    /// Bridge width.
    pub bridge_mm: u8,
    /// Temple (side) length.
    pub temple_mm: u8,
}

/// The text is not a frame size like `52□18 140`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a frame size (expected e.g. 52□18 140): {0:?}")]
pub struct FrameSizeParseError(pub String);

impl FrameSize {
    /// Sizes outside these bounds are typos, not frames.
    const EYE: (u8, u8) = (30, 70);
    const BRIDGE: (u8, u8) = (10, 30);
    const TEMPLE: (u8, u8) = (100, 160);

    /// Problems with implausible sizes, reported on `field`.
    pub fn validate(&self, field: &str) -> Option<FieldError> {
        let ok = |v: u8, (lo, hi): (u8, u8)| (lo..=hi).contains(&v);
        if ok(self.eye_mm, Self::EYE)
            && ok(self.bridge_mm, Self::BRIDGE)
            && ok(self.temple_mm, Self::TEMPLE)
        {
            return None;
        }
        let min = FrameSize {
            eye_mm: Self::EYE.0,
            bridge_mm: Self::BRIDGE.0,
            temple_mm: Self::TEMPLE.0,
        };
        let max = FrameSize {
            eye_mm: Self::EYE.1,
            bridge_mm: Self::BRIDGE.1,
            temple_mm: Self::TEMPLE.1,
        };
        Some(FieldError::new(
            field,
            Problem::OutOfRange {
                min: min.to_string(),
                max: max.to_string(),
            },
        ))
    }
}

impl fmt::Display for FrameSize {
    /// `52□18 140`, the way it is printed on frames.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}□{} {}", self.eye_mm, self.bridge_mm, self.temple_mm)
    }
}

impl FromStr for FrameSize {
    type Err = FrameSizeParseError;
    /// Accepts `52□18 140` and the shapes people type without a □ key:
    /// `52-18-140`, `52/18/140`, `52 18 140`, `52x18 140`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || FrameSizeParseError(s.to_owned());
        let parts: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || matches!(c, '□' | '-' | '/' | 'x' | 'X' | '×'))
            .filter(|p| !p.is_empty())
            .collect();
        let [eye, bridge, temple] = parts.as_slice() else {
            return Err(bad());
        };
        let num = |p: &str| p.parse::<u8>().map_err(|_| bad());
        Ok(FrameSize {
            eye_mm: num(eye)?,
            bridge_mm: num(bridge)?,
            temple_mm: num(temple)?,
        })
    }
}

/// The frame of a glasses order (a catalog product plus what identifies the piece).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frame {
    /// Catalog product.
    pub product: ProductId,
    /// Stock-keeping unit.
    pub sku: String,
    /// Brand.
    pub brand: String,
    /// Model name or number.
    pub model: String,
    /// Colour (code or name).
    pub colour: String,
    /// Boxing size.
    pub size: FrameSize,
}

impl Frame {
    /// Every problem, with fields prefixed by `prefix` (e.g. `frame.sku`).
    pub fn validate(&self, prefix: &str) -> Vec<FieldError> {
        let f = |name: &str| format!("{prefix}.{name}");
        let mut errors = Vec::new();
        let sku = f("sku");
        errors.extend(
            validate::required(&sku, &self.sku)
                .and_then(|s| validate::max_len(&sku, &s, 64))
                .err(),
        );
        for (name, value) in [
            ("brand", &self.brand),
            ("model", &self.model),
            ("colour", &self.colour),
        ] {
            errors.extend(validate::max_len(&f(name), value, 100).err());
        }
        errors.extend(self.size.validate(&f("size")));
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_formats_and_parses() {
        let s = FrameSize {
            eye_mm: 52,
            bridge_mm: 18,
            temple_mm: 140,
        };
        assert_eq!(s.to_string(), "52□18 140");
        for text in [
            "52□18 140",
            "52-18-140",
            " 52/18/140 ",
            "52 18 140",
            "52x18 140",
            "52□18-140",
        ] {
            assert_eq!(text.parse::<FrameSize>(), Ok(s), "{text}");
        }
        for bad in ["52□18", "52□18 140 5", "52□1a 140", "", "52□18 300"] {
            assert!(bad.parse::<FrameSize>().is_err(), "{bad}");
        }
        assert_eq!(s.validate("size"), None);
    }

    #[test]
    fn frame_validation() {
        let mut frame = Frame {
            product: ProductId::new(),
            sku: "RB5154-2000".into(),
            brand: "Ray-Ban".into(),
            model: "Clubmaster".into(),
            colour: "2000".into(),
            size: FrameSize {
                eye_mm: 51,
                bridge_mm: 21,
                temple_mm: 145,
            },
        };
        assert!(frame.validate("frame").is_empty());
        frame.sku = " ".into();
        frame.size.temple_mm = 200;
        let errors = frame.validate("frame");
        assert_eq!(errors[0], FieldError::new("frame.sku", Problem::Required));
        assert_eq!(
            errors[1],
            FieldError::new(
                "frame.size",
                Problem::OutOfRange {
                    min: "30□10 100".into(),
                    max: "70□30 160".into()
                }
            )
        );
    }
}
