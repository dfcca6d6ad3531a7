//! What a customer's e-mail carries, made when it is sent (so it is the
//! document as it stands): a booking's approval and reminder its `.ics`; a
//! complaint's decision the complaint protocol (PDF); an issued invoice its PDF.
//! Czech, as the customers' messages are.

use fieldcase_shared::Lang;

use super::rules::{BOOKING_APPROVED, BOOKING_REMINDED, COMPLAINT_DECIDED, INVOICE_ISSUED};
use super::store::Message;
use crate::config::Config;
use crate::integrations::smtp::Attachment;
use crate::store::Store;

const PDF: &str = "application/pdf";

/// The files `m` carries (none when what it is about is gone).
pub async fn attachments(
    store: &dyn Store,
    config: &Config,
    m: &Message,
) -> anyhow::Result<Vec<Attachment>> {
    let file = |name: String, content_type: &str, bytes: Vec<u8>| Attachment {
        name,
        content_type: content_type.to_owned(),
        bytes,
    };
    let kind = m.kind.as_str();
    if kind == BOOKING_APPROVED || kind == BOOKING_REMINDED {
        let Some(b) = (match m.booking {
            Some(id) => store.booking(id).await?,
            None => None,
        }) else {
            return Ok(Vec::new());
        };
        let link = format!("{}/b/{}", config.public_url(), b.token);
        let ics = crate::bookings::ics::calendar(&b, &link);
        return Ok(vec![file(
            crate::bookings::ics::FILE_NAME.to_owned(),
            "text/calendar; charset=utf-8; method=PUBLISH",
            ics.into_bytes(),
        )]);
    }
    if kind == COMPLAINT_DECIDED {
        let Some(c) = (match m.complaint {
            Some(id) => store.complaint(id).await?,
            None => None,
        }) else {
            return Ok(Vec::new());
        };
        let bytes = crate::complaints::protocol::render(config, &c, Lang::Cs)?;
        return Ok(vec![file(
            format!("reklamace-{}.pdf", c.row.number),
            PDF,
            bytes,
        )]);
    }
    if kind == INVOICE_ISSUED {
        let Some(doc) = (match m.invoice {
            Some(id) => store.invoice(id).await?,
            None => None,
        }) else {
            return Ok(Vec::new());
        };
        let bytes = crate::money::invoice_pdf::render(&doc, None, Lang::Cs)?;
        return Ok(vec![file(
            format!("faktura-{}.pdf", doc.number),
            PDF,
            bytes,
        )]);
    }
    Ok(Vec::new())
}
