//! What every money document answers with: its lines and its VAT breakdown
//! (tax documents, till receipts, Z reports).

use serde::Serialize;
use utoipa::ToSchema;

use crate::money::invoice::{Line, VatLine};

/// A line of a document.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineOut {
    pub text: String,
    pub quantity: i64,
    /// Gross haléře.
    pub unit_price: i64,
    /// VAT in basis points (2100 = 21 %).
    pub vat_bp: i64,
    pub total: i64,
}

impl From<&Line> for LineOut {
    fn from(l: &Line) -> Self {
        LineOut {
            text: l.text.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price.haler(),
            vat_bp: l.vat_bp,
            total: l.total.haler(),
        }
    }
}

/// One rate of the VAT breakdown (haléře).
#[derive(Debug, Serialize, ToSchema)]
pub struct VatOut {
    pub vat_bp: i64,
    pub base: i64,
    pub vat: i64,
    pub gross: i64,
}

impl From<&VatLine> for VatOut {
    fn from(v: &VatLine) -> Self {
        VatOut {
            vat_bp: v.vat_bp,
            base: v.base.haler(),
            vat: v.vat.haler(),
            gross: v.gross.haler(),
        }
    }
}
