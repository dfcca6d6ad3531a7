//! The export to Pohoda (issue 13, point 6), on SQLite and PostgreSQL: a day of
//! a deposit document, a final invoice, a credit note, till sales (cash, card,
//! both), a refund and cash vouchers goes into one dataPack in Windows-1250,
//! checked element by element against what Stormware's XSDs ask (the root and
//! its namespaces, one item per document with its number as id, the document's
//! kind and type, header / detail / summary in order, the items adding up to the
//! document's total, VAT rates, the cash register); exporting the day again
//! gives the same pack and numbers; Pohoda's response pack marks each document
//! ok, warning or error with its words (an accepted document stays accepted);
//! only accounting and administrators export.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use fieldcase_server::catalog::store::{Attributes, Product, ProductKind};
use fieldcase_server::config::Config;
use fieldcase_server::money::invoicing::{Issue, issue, today};
use fieldcase_server::money::pohoda::export::{PohodaError, export_day, import_response};
use fieldcase_server::money::till::service::{self, Clerk, Sale};
use fieldcase_server::store::{
    Actor, BankStore, CatalogStore, NetworkStore, NewUser, PohodaStore, SqlStore,
};
use fieldcase_shared::{Lang, Money, ProductId, Role};
use fieldcase_tests::xml::{Node, parse};

fieldcase_tests::conformance!(a_day_goes_to_pohoda_and_comes_back);

fn czk(n: i64) -> Money {
    Money::from_czk(n)
}

/// Haléře of a decimal as Pohoda reads it.
fn haler(text: &str) -> i64 {
    Money::parse(text).unwrap().haler()
}

/// Σ quantity × unit price of a document's items.
fn items_total(detail: &Node, item: &str, prefix: &str) -> i64 {
    detail
        .all(item)
        .map(|i| {
            let q: i64 = i.text_at(&format!("{prefix}:quantity")).parse().unwrap();
            q * haler(i.text_at(&format!("{prefix}:homeCurrency/typ:unitPrice")))
        })
        .sum()
}

async fn a_day_goes_to_pohoda_and_comes_back(store: Arc<SqlStore>) -> anyhow::Result<()> {
    let s = store.as_ref();
    let config = fieldcase_tests::bank::company();
    let who = Actor::system("účetní");
    let day = today();

    // An order (a frame at 21 %, two lenses at 12 %) paid 3 000 Kč by the bank.
    let (order, account) = fieldcase_tests::bank::order_with_lines(s, "9700000001").await?;
    store
        .import_movements(
            &Actor::system("bank"),
            account,
            &[fieldcase_tests::bank::pay(
                1,
                3_000,
                "CZK",
                "9700000001",
                day,
            )],
        )
        .await?;
    let deposit = issue(
        s,
        &config,
        &who,
        Role::Accounting,
        &Issue::Deposit {
            order,
            amount: czk(3_000),
        },
    )
    .await
    .unwrap();
    let invoice = issue(s, &config, &who, Role::Accounting, &Issue::Final { order })
        .await
        .unwrap();
    let credit = issue(
        s,
        &config,
        &who,
        Role::Accounting,
        &Issue::Credit {
            invoice: invoice.id,
            amount: czk(500),
            reason: "reklamace – žluťoučký kůň".into(),
        },
    )
    .await
    .unwrap();

    // A day at the till of shop BRN1.
    let shop = store
        .list_shops()
        .await?
        .into_iter()
        .find(|s| s.code == "BRN1")
        .unwrap();
    store
        .insert_products(&[Product {
            id: ProductId::new(),
            sku: "SERVIS-P".into(),
            kind: ProductKind::Service,
            name: "Seřízení".into(),
            brand: String::new(),
            colour: String::new(),
            size: String::new(),
            price: czk(150),
            vat_bp: 2100,
            attrs: Attributes::default(),
        }])
        .await?;
    let user = store
        .create_user(
            &Actor::system("test"),
            &NewUser {
                email: "pokladna@example.cz".into(),
                name: "Pokladní".into(),
                password_hash: "x".into(),
                role: Role::Store,
                shop: Some(shop.id),
                lang: Lang::Cs,
            },
        )
        .await?;
    let clerk = Clerk::of(&user, Actor::user(&user));
    service::open(s, &clerk, shop.id, czk(1_000)).await.unwrap();
    let sale = |q: i64, card: i64| Sale {
        items: vec![("SERVIS-P".into(), q)],
        card: czk(card),
        ..Sale::default()
    };
    let cash = service::sell(s, &clerk, shop.id, &sale(2, 0))
        .await
        .unwrap();
    let card = service::sell(s, &clerk, shop.id, &sale(1, 150))
        .await
        .unwrap();
    let split = service::sell(s, &clerk, shop.id, &sale(3, 200))
        .await
        .unwrap();
    let refund = service::refund(s, &clerk, cash.id, czk(150), Money::ZERO, "jen jedno")
        .await
        .unwrap();
    let cash_in = service::voucher(s, &clerk, shop.id, false, czk(500), "drobné")
        .await
        .unwrap();
    let cash_out = service::voucher(s, &clerk, shop.id, true, czk(700), "odvod do banky")
        .await
        .unwrap();

    // Only accounting and administrators export; the company must be known.
    let e = export_day(s, &config, &who, Role::Store, day)
        .await
        .unwrap_err();
    assert!(matches!(e, PohodaError::Forbidden), "{e:?}");
    let e = export_day(s, &Config::default(), &who, Role::Accounting, day)
        .await
        .unwrap_err();
    assert!(matches!(e, PohodaError::NoCompany), "{e:?}");

    let export = export_day(s, &config, &who, Role::Accounting, day)
        .await
        .unwrap();
    assert_eq!(export.documents, 9);
    // Windows-1250 bytes: "č" is 0xE8 (UTF-8 would be C4 8D), "Č" 0xC8.
    let bytes = &export.bytes;
    assert!(bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"Windows-1250\"?>"));
    assert!(
        bytes.windows(5).any(|w| w == b"\xC8o\xE8ka"),
        "Čočka in Windows-1250"
    );
    assert!(!bytes.windows(2).any(|w| w == [0xC4, 0x8D]), "no UTF-8 č");
    assert!(std::str::from_utf8(bytes).is_err(), "not UTF-8");
    // With Stormware's XSDs at hand (POHODA_XSD=…/data.xsd; they are not ours to
    // commit), xmllint validates the pack as Pohoda would.
    if let Ok(xsd) = std::env::var("POHODA_XSD") {
        let file = std::env::temp_dir().join(format!("pohoda-{}.xml", uuid::Uuid::now_v7()));
        std::fs::write(&file, bytes)?;
        let out = std::process::Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&xsd)
            .arg(&file)
            .output()?;
        assert!(
            out.status.success(),
            "xmllint: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::remove_file(&file)?;
    }
    let (text, _, bad) = encoding_rs::WINDOWS_1250.decode(bytes);
    assert!(!bad);
    let root = parse(&text)?;

    // The root as data.xsd asks.
    assert_eq!(root.name, "dat:dataPack");
    assert_eq!(root.attr("version"), Some("2.0"));
    assert_eq!(root.attr("id"), Some(format!("fieldcase-{day}").as_str()));
    assert_eq!(root.attr("ico"), Some("27074358"));
    assert_eq!(root.attr("application"), Some("fieldcase"));
    assert!(
        root.attr("note").is_some(),
        "note is required (may be empty)"
    );
    for (prefix, file) in [
        ("dat", "data"),
        ("inv", "invoice"),
        ("int", "intDoc"),
        ("pro", "prodejka"),
        ("vch", "voucher"),
        ("typ", "type"),
    ] {
        assert_eq!(
            root.attr(&format!("xmlns:{prefix}")),
            Some(format!("http://www.stormware.cz/schema/version_2/{file}.xsd").as_str())
        );
    }
    // One item per document, its id the number: tax documents, then the till's, by number.
    let mut expected: Vec<String> = vec![
        invoice.number.clone(),
        credit.number.clone(),
        deposit.number.clone(),
    ];
    expected.sort();
    let mut till: Vec<String> = [&cash, &card, &split, &refund, &cash_in, &cash_out]
        .iter()
        .map(|e| e.number.clone())
        .collect();
    till.sort();
    expected.extend(till);
    let ids: Vec<&str> = root
        .all("dat:dataPackItem")
        .map(|i| i.attr("id").unwrap())
        .collect();
    assert_eq!(ids, expected);
    assert!(root.children.iter().all(|i| i.name == "dat:dataPackItem"
        && i.attr("version") == Some("2.0")
        && i.children.len() == 1));
    let item = |number: &str| {
        root.all("dat:dataPackItem")
            .find(|i| i.attr("id") == Some(number))
            .unwrap()
            .children[0]
            .clone()
    };

    // The final invoice: issuedInvoice, blocks in order, items = its total, rates.
    let inv = item(&invoice.number);
    assert_eq!(
        (inv.name.as_str(), inv.attr("version")),
        ("inv:invoice", Some("2.0"))
    );
    assert_eq!(
        inv.names(),
        [
            "inv:invoiceHeader",
            "inv:invoiceDetail",
            "inv:invoiceSummary"
        ]
    );
    assert_eq!(
        inv.text_at("inv:invoiceHeader/inv:invoiceType"),
        "issuedInvoice"
    );
    assert_eq!(
        inv.text_at("inv:invoiceHeader/inv:number/typ:numberRequested"),
        invoice.number
    );
    assert_eq!(inv.text_at("inv:invoiceHeader/inv:symVar"), "9700000001");
    assert_eq!(inv.text_at("inv:invoiceHeader/inv:date"), day.to_string());
    assert_eq!(
        inv.text_at("inv:invoiceHeader/inv:dateTax"),
        invoice.taxable_on.to_string()
    );
    assert_eq!(
        inv.text_at("inv:invoiceHeader/inv:dateDue"),
        invoice.due_on.to_string()
    );
    assert_eq!(
        inv.text_at("inv:invoiceHeader/inv:partnerIdentity/typ:address/typ:name"),
        "Jana Nováková"
    );
    assert_eq!(
        inv.text_at("inv:invoiceHeader/inv:paymentType/typ:paymentType"),
        "draft"
    );
    let detail = inv.child("inv:invoiceDetail").unwrap();
    assert_eq!(
        items_total(detail, "inv:invoiceItem", "inv"),
        invoice.total.haler()
    );
    let rates: Vec<&str> = detail
        .all("inv:invoiceItem")
        .map(|i| i.text_at("inv:rateVAT"))
        .collect();
    assert!(
        rates.contains(&"high") && rates.contains(&"low"),
        "{rates:?}"
    );
    for i in detail.all("inv:invoiceItem") {
        assert_eq!(i.text_at("inv:payVAT"), "true");
        assert!(i.text_at("inv:text").chars().count() <= 90);
        assert!(
            haler(i.text_at("inv:homeCurrency/typ:unitPrice")) >= 0,
            "negative lines are negative quantities"
        );
    }
    assert_eq!(
        inv.text_at("inv:invoiceSummary/inv:roundingDocument"),
        "none"
    );
    // The credit note: issuedCreditNotice, paired by the VS, the corrected number in the text.
    let cn = item(&credit.number);
    assert_eq!(
        cn.text_at("inv:invoiceHeader/inv:invoiceType"),
        "issuedCreditNotice"
    );
    assert_eq!(cn.text_at("inv:invoiceHeader/inv:symPar"), "9700000001");
    assert!(
        cn.text_at("inv:invoiceHeader/inv:text")
            .contains(&invoice.number)
    );
    assert!(
        cn.text_at("inv:invoiceHeader/inv:text")
            .contains("žluťoučký kůň")
    );
    assert_eq!(
        items_total(
            cn.child("inv:invoiceDetail").unwrap(),
            "inv:invoiceItem",
            "inv"
        ),
        credit.total.haler()
    );
    // The deposit's tax document: an internal document.
    let zd = item(&deposit.number);
    assert_eq!(zd.name, "int:intDoc");
    assert_eq!(
        zd.names(),
        ["int:intDocHeader", "int:intDocDetail", "int:intDocSummary"]
    );
    assert_eq!(
        items_total(
            zd.child("int:intDocDetail").unwrap(),
            "int:intDocItem",
            "int"
        ),
        czk(3_000).haler()
    );

    // Till receipts: prodejky on the shop's register, paid as they were.
    for (entry, paid) in [
        (&cash, "cash"),
        (&card, "creditcard"),
        (&split, "cash"),
        (&refund, "cash"),
    ] {
        let p = item(&entry.number);
        assert_eq!(p.name, "pro:prodejka");
        assert_eq!(
            p.text_at("pro:prodejkaHeader/pro:prodejkaType"),
            "saleVoucher"
        );
        assert_eq!(
            p.text_at("pro:prodejkaHeader/pro:number/typ:numberRequested"),
            entry.number
        );
        assert_eq!(p.text_at("pro:prodejkaHeader/pro:date"), day.to_string());
        assert_eq!(p.text_at("pro:prodejkaHeader/pro:kasa/typ:ids"), "BRN1");
        assert_eq!(
            p.text_at("pro:prodejkaHeader/pro:paymentType/typ:paymentType"),
            paid
        );
        assert_eq!(
            items_total(
                p.child("pro:prodejkaDetail").unwrap(),
                "pro:prodejkaItem",
                "pro"
            ),
            entry.total.haler()
        );
        assert_eq!(p.names().last(), Some(&"pro:prodejkaSummary"));
    }
    let both = item(&split.number);
    assert_eq!(
        both.names(),
        [
            "pro:prodejkaHeader",
            "pro:prodejkaDetail",
            "pro:prodejkaPayments",
            "pro:prodejkaSummary"
        ]
    );
    let parts: Vec<(&str, i64)> = both
        .child("pro:prodejkaPayments")
        .unwrap()
        .all("pro:paymentItem")
        .map(|p| {
            (
                p.text_at("pro:paymentType/typ:paymentType"),
                haler(p.text_at("pro:received")),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [("cash", czk(250).haler()), ("creditcard", czk(200).haler())]
    );
    // Cash vouchers: receipt in, expense out, on the shop's cash account, no VAT.
    for (entry, kind, value) in [(&cash_in, "receipt", 500), (&cash_out, "expense", 700)] {
        let v = item(&entry.number);
        assert_eq!(v.name, "vch:voucher");
        assert_eq!(v.text_at("vch:voucherHeader/vch:voucherType"), kind);
        assert_eq!(
            v.text_at("vch:voucherHeader/vch:cashAccount/typ:ids"),
            "BRN1"
        );
        let it = v.at("vch:voucherDetail/vch:voucherItem").unwrap();
        assert_eq!(
            (it.text_at("vch:rateVAT"), it.text_at("vch:payVAT")),
            ("none", "false")
        );
        assert_eq!(
            haler(it.text_at("vch:homeCurrency/typ:unitPrice")),
            czk(value).haler()
        );
    }

    // The same day again: the same pack, byte for byte, the same numbers.
    let again = export_day(s, &config, &who, Role::Accounting, day)
        .await
        .unwrap();
    assert_eq!(again.bytes, export.bytes);
    let states = store.pohoda_documents(day).await?;
    assert_eq!(states.len(), 9);
    assert!(states.iter().all(|d| d.state == "exported"));

    // Pohoda answers: the invoice ok, a receipt with a warning, the credit note
    // refused, and a number the hub never sent.
    let answer = |items: &[(&str, &str, &str)]| {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"Windows-1250\"?>\n<rsp:responsePack version=\"2.0\" id=\"x\" state=\"ok\" \
             xmlns:rsp=\"http://www.stormware.cz/schema/version_2/response.xsd\" xmlns:rdc=\"http://www.stormware.cz/schema/version_2/documentresponse.xsd\" \
             xmlns:inv=\"http://www.stormware.cz/schema/version_2/invoice.xsd\">\n",
        );
        for (id, state, note) in items {
            xml += &format!(
                "<rsp:responsePackItem version=\"2.0\" id=\"{id}\" state=\"{}\"><inv:invoiceResponse version=\"2.0\" state=\"{}\">\
                 <rdc:importDetails><rdc:detail><rdc:state>{state}</rdc:state><rdc:errno>103</rdc:errno><rdc:note>{note}</rdc:note></rdc:detail></rdc:importDetails>\
                 </inv:invoiceResponse></rsp:responsePackItem>\n",
                if *state == "error" { "error" } else { "ok" },
                if *state == "error" { "error" } else { "ok" },
            );
        }
        xml += "</rsp:responsePack>\n";
        encoding_rs::WINDOWS_1250.encode(&xml).0.into_owned()
    };
    let marked = import_response(
        s,
        &who,
        Role::Accounting,
        &answer(&[
            (&invoice.number, "ok", "Doklad importován."),
            (&cash.number, "warning", "Datum není z účetního období."),
            (
                &credit.number,
                "error",
                "Pokoušíte se zapsat daňový doklad do uzavřeného období DPH.",
            ),
            ("FV2099999999", "ok", "?"),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(
        (marked.marked, marked.kept, marked.unknown.clone()),
        (3, 0, vec!["FV2099999999".to_owned()])
    );
    let state = |number: String| {
        let store = store.clone();
        async move {
            store
                .pohoda_documents(day)
                .await
                .unwrap()
                .into_iter()
                .find(|d| d.number == number)
                .unwrap()
        }
    };
    assert_eq!(state(invoice.number.clone()).await.state, "ok");
    assert_eq!(state(cash.number.clone()).await.state, "warning");
    let refused = state(credit.number.clone()).await;
    assert_eq!(refused.state, "error");
    assert!(
        refused.message.contains("uzavřeného období DPH"),
        "{}",
        refused.message
    );
    assert_eq!(
        state(card.number.clone()).await.state,
        "exported",
        "no answer yet"
    );
    // Re-exported, the refused one waits for an answer again; the accepted stays.
    export_day(s, &config, &who, Role::Accounting, day)
        .await
        .unwrap();
    assert_eq!(state(credit.number.clone()).await.state, "exported");
    assert_eq!(state(invoice.number.clone()).await.state, "ok");
    // Pohoda refusing the accepted one as a duplicate leaves it accepted.
    let marked = import_response(
        s,
        &who,
        Role::Accounting,
        &answer(&[(&invoice.number, "error", "Duplicita čísla dokladu.")]),
    )
    .await
    .unwrap();
    assert_eq!((marked.marked, marked.kept), (0, 1));
    assert_eq!(state(invoice.number.clone()).await.state, "ok");
    // Not a response pack: refused, nothing marked.
    let e = import_response(s, &who, Role::Accounting, b"<html>nope</html>")
        .await
        .unwrap_err();
    assert!(matches!(e, PohodaError::Response(_)), "{e:?}");
    let e = import_response(s, &who, Role::Office, &answer(&[]))
        .await
        .unwrap_err();
    assert!(matches!(e, PohodaError::Forbidden), "{e:?}");
    assert_eq!(store.pohoda_exports(10).await?.len(), 3);
    Ok(())
}
