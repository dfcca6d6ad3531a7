//! What the customers' e-mails carry (issue 15), on SQLite and PostgreSQL: an
//! order's final invoice, once issued, is an event whose e-mail carries the
//! invoice's PDF; a complaint's decision e-mail carries the complaint protocol
//! (PDF). Both read back from what a real SMTP server (aiosmtpd on loopback) got,
//! the PDFs with pdftotext.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::care::dispatch::{Channels, plan_once, send_once};
use fieldcase_server::care::edit::{set_event_template, set_event_trigger};
use fieldcase_server::care::rules::{COMPLAINT_DECIDED, Channel, INVOICE_ISSUED};
use fieldcase_server::complaints::{About, Opener, decide, open};
use fieldcase_server::integrations::smtp::Mailer;
use fieldcase_server::money::invoicing::{Issue, issue};
use fieldcase_server::store::{Actor, CareStore, SqlStore, Store};
use fieldcase_shared::{Lang, Role};
use mail_parser::MimeHeaders;
use time::OffsetDateTime;

fieldcase_tests::conformance!(invoices_and_protocols_ride_along);

async fn invoices_and_protocols_ride_along(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let seeded = fieldcase_tests::complaints::seed(store.as_ref()).await?;
    let dyn_store: &dyn Store = store.as_ref();
    let admin = Actor::system("admin");
    let fail = |e: fieldcase_server::care::edit::EditError| anyhow::anyhow!("{}", e.text(Lang::En));
    for (event, subject) in [
        (
            INVOICE_ISSUED,
            "Faktura {invoice_number} k zakázce {order_vs}",
        ),
        (
            COMPLAINT_DECIDED,
            "Reklamace k zakázce {order_vs}: {status}",
        ),
    ] {
        set_event_template(
            dyn_store,
            &admin,
            Role::Admin,
            event,
            Channel::Email,
            Lang::Cs,
            subject,
            "Dobrý den, {customer_name}, v příloze posíláme dokument.",
        )
        .await
        .map_err(fail)?;
        set_event_trigger(
            dyn_store,
            &admin,
            Role::Admin,
            event,
            "",
            Channel::Email,
            true,
        )
        .await
        .map_err(fail)?;
    }
    let config = fieldcase_tests::bank::company();
    let staff = Actor::system("kancelar");
    let invoice = issue(
        dyn_store,
        &config,
        &staff,
        Role::Office,
        &Issue::Final {
            order: seeded.delivered,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let blobs = tempfile::tempdir()?;
    let (complaint, number) = open(
        dyn_store,
        &fieldcase_server::blobs::Blobs::new(blobs.path().to_owned()),
        &staff,
        Opener::Staff(Role::Office),
        About {
            order: seeded.delivered,
            lines: &[seeded.lens.id.as_uuid()],
            reason: "Škrábanec",
            photos: &[],
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    decide(
        dyn_store,
        &staff,
        Role::Office,
        complaint,
        "repair",
        "Vyměníme čočku.",
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let kinds: Vec<String> = store
        .open_events(10)
        .await?
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(
        kinds,
        ["invoice_issued", "complaint_opened", "complaint_decided"]
    );

    assert_eq!(plan_once(dyn_store, &config).await?, 2);
    let sink = fieldcase_tests::smtp_sink::SmtpSink::start(0)?;
    let channels = Channels {
        mail: Some(Mailer::new(&sink.url(), "Optika <zakaznici@example.cz>")?),
        config: Arc::new(config.clone()),
        ..Default::default()
    };
    let round = send_once(dyn_store, &channels, OffsetDateTime::now_utc()).await?;
    assert_eq!((round.sent, round.failed), (2, 0));
    let mails = sink.messages()?;
    let parsed: Vec<_> = mails
        .iter()
        .map(|m| mail_parser::MessageParser::default().parse(m).unwrap())
        .collect();
    let pdf_of = |subject_start: &str, file: &str| {
        let mail = parsed
            .iter()
            .find(|m| m.subject().is_some_and(|s| s.starts_with(subject_start)))
            .unwrap_or_else(|| panic!("a mail {subject_start:?}"));
        let part = mail
            .attachments()
            .find(|a| a.attachment_name() == Some(file))
            .unwrap_or_else(|| panic!("{file} attached"));
        assert_eq!(part.content_type().map(|c| c.ctype()), Some("application"));
        fieldcase_tests::pdf_text(part.contents()).unwrap()
    };
    let text = pdf_of(
        &format!("Faktura {}", invoice.number),
        &format!("faktura-{}.pdf", invoice.number),
    );
    assert!(text.contains(&invoice.number), "{text}");
    assert!(text.contains("7100000001"), "the order's VS: {text}");
    let text = pdf_of(
        "Reklamace k zakázce 7100000001",
        &format!("reklamace-{number}.pdf"),
    );
    assert!(
        text.contains(&format!("Reklamační protokol {number}")),
        "{text}"
    );
    assert!(text.contains("Vyměníme čočku."), "{text}");
    Ok(())
}
