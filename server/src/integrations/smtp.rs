//! E-mail over SMTP (lettre): a message with a text and an HTML part, sent
//! through the relay at `smtp_url` (`smtp://host:port` plain — a relay on the
//! host or a test server on loopback —, `smtps://user:password@host:465`, or
//! `smtp://user:password@host:587?tls=required` for STARTTLS) from `smtp_from`. A
//! 4xx answer or a lost connection is transient (tried again later), a 5xx
//! refusal permanent.

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::Delivery;

/// A configured relay.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// The relay at `url`, sending as `from` (`Name <address>` or an address).
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("smtp_url is not an SMTP URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        let from: Mailbox = from
            .parse()
            .map_err(|e| anyhow::anyhow!("smtp_from {from:?} is not an address: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends `subject` and `text` (also as simple HTML) to `to` with `files`
    /// attached (a campaign's message with its `unsubscribe` link in the
    /// `List-Unsubscribe` header, one-click as RFC 8058 says); the relay's answer.
    pub async fn send(
        &self,
        to: &str,
        subject: &str,
        text: &str,
        files: &[Attachment],
        unsubscribe: Option<&str>,
    ) -> Result<String, Delivery> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| Delivery::Permanent(format!("not an e-mail address: {e}")))?;
        let alternative = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(text.to_owned()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(html(text)),
            );
        let body = if files.is_empty() {
            alternative
        } else {
            let mut mixed = MultiPart::mixed().multipart(alternative);
            for f in files {
                let kind = ContentType::parse(&f.content_type).map_err(|e| {
                    Delivery::Permanent(format!("the attachment's type {:?}: {e}", f.content_type))
                })?;
                mixed = mixed.singlepart(Attachment::part(f, kind));
            }
            mixed
        };
        let mut builder = Message::builder();
        if let Some(link) = unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{link}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let message = builder
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(body)
            .map_err(|e| Delivery::Permanent(format!("the message does not build: {e}")))?;
        match self.transport.send(message).await {
            Ok(answer) => Ok(answer.message().collect::<Vec<_>>().join(" ")),
            Err(e) if e.is_permanent() => {
                Err(Delivery::Permanent(format!("the relay refused it: {e}")))
            }
            Err(e) => Err(Delivery::Transient {
                error: format!("the relay did not take it now: {e}"),
                retry_after: None,
            }),
        }
    }
}

/// A file an e-mail carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Attachment {
    fn part(&self, kind: ContentType) -> SinglePart {
        lettre::message::Attachment::new(self.name.clone()).body(self.bytes.clone(), kind)
    }
}

/// `text` as HTML: escaped, a paragraph per blank-line block, line breaks kept.
pub fn html(text: &str) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", escape(p.trim()).replace('\n', "<br>")))
        .collect();
    format!(
        "<!doctype html><html lang=\"cs\"><head><meta charset=\"utf-8\"></head><body>{}</body></html>",
        paragraphs.join("")
    )
}
