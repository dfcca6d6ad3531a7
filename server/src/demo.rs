//! `fieldcase demo`: seeds a realistic Czech network — 9 shops, 250 advisers,
//! a catalog of 5,000+ products, 20,000 clients with prescriptions and 50,000
//! orders over two years — deterministically, so running it twice adds nothing.

pub mod bank;
mod bookings;
mod campaigns;
mod care;
mod catalog;
mod commission;
mod complaints;
mod names;
mod people;

use std::time::Instant;

use fieldcase_shared::{
    AdviserId, ClientId, Diopters, EyeRx, Lang, Millimetres, Money, OrderId, OrderLineId,
    OrderStatus, Prescription, PrescriptionId, ProductId, Role, StoreId,
};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::{Date, Duration, OffsetDateTime};

use crate::store::{
    Actor, ClientRow, OrderLineRow, OrderRow, PrescriptionRow, Product, ProductKind, Store,
};
use catalog::catalog;
use names::*;
use people::{person_name, phone, seed_people};

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "fieldcase-demo";
/// Staff logins the demo creates: (e-mail, role).
pub const DEMO_STAFF: [(&str, Role, &str); 6] = [
    ("admin@demo.fieldcase.cz", Role::Admin, "Alena Správcová"),
    ("kancelar@demo.fieldcase.cz", Role::Office, "Karel Kancelář"),
    ("prodejna@demo.fieldcase.cz", Role::Store, "Petra Prodejní"),
    ("laborator@demo.fieldcase.cz", Role::Lab, "Luboš Brusič"),
    (
        "ucetni@demo.fieldcase.cz",
        Role::Accounting,
        "Úršula Účetní",
    ),
    (
        "pece@demo.fieldcase.cz",
        Role::CustomerService,
        "Zdeněk Pečlivý",
    ),
];
const META_KEY: &str = "demo_seeded_at";

/// Sizes of the demo network.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    /// Field advisers.
    pub advisers: usize,
    /// Clients.
    pub clients: usize,
    /// Orders.
    pub orders: usize,
}

impl Scale {
    /// The full demo.
    pub const FULL: Scale = Scale {
        advisers: 250,
        clients: 20_000,
        orders: 50_000,
    };
    /// A small network for tests.
    pub const SMALL: Scale = Scale {
        advisers: 12,
        clients: 300,
        orders: 600,
    };
}

/// What seeding did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Whether it had been seeded before (nothing added).
    pub already_seeded: bool,
    /// Products inserted.
    pub products: u64,
    /// Clients inserted.
    pub clients: u64,
    /// Orders inserted.
    pub orders: u64,
    /// Seconds it took.
    pub seconds: f64,
}

/// A UUIDv7 from the seeded generator: the same on every run, still time-ordered.
fn uuid_at(rng: &mut StdRng, at: OffsetDateTime) -> uuid::Uuid {
    let millis = u64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &rng.random::<[u8; 10]>()).into_uuid()
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// Seeds the demo network (idempotent). `show_progress` draws a progress bar.
pub async fn seed(store: &dyn Store, scale: Scale, show_progress: bool) -> anyhow::Result<Summary> {
    let started = Instant::now();
    if store.get_meta(META_KEY).await?.is_some() {
        return Ok(Summary {
            already_seeded: true,
            ..Summary::default()
        });
    }
    let total = (scale.clients + scale.orders + 5_200 + scale.advisers) as u64;
    let bar = if show_progress {
        ProgressBar::new(total)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg:<28} [{bar:40}] {percent:>3}% {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let actor = Actor::system("demo");
    // The epoch of the demo: fixed, so ids and dates are the same on every run.
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    let mut rng = StdRng::seed_from_u64(0x000F_1E1D_CA5E);

    bar.set_message("prodejny a uživatelé");
    let (shops, advisers) = seed_people(store, &actor, scale, &mut rng, &bar).await?;

    let adviser_ids: Vec<AdviserId> = advisers.iter().map(|(a, _)| *a).collect();
    commission::seed(store, &actor, &adviser_ids, today).await?;

    bar.set_message("katalog");
    let products = catalog(&mut rng, now);
    let inserted_products = store.insert_products(&products).await?;
    bar.inc(products.len() as u64);
    bar.set_message("sklady");
    // Its own random stream, so the rest of the demo stays as it was.
    catalog::stock(
        store,
        &actor,
        &products,
        &mut StdRng::seed_from_u64(0x0005_700C),
    )
    .await?;

    bar.set_message("klienti a předpisy");
    let mut clients = Vec::with_capacity(scale.clients);
    let mut prescriptions = Vec::with_capacity(scale.clients);
    for i in 0..scale.clients {
        let created = now - Duration::days(rng.random_range(30..900));
        let (client, rx) = client(&mut rng, i, created, today, &advisers);
        clients.push(client);
        prescriptions.push(rx);
    }
    let mut inserted_clients = 0;
    for (c, p) in clients.chunks(2_000).zip(prescriptions.chunks(2_000)) {
        inserted_clients += store.insert_clients(c, p).await?;
        bar.inc(c.len() as u64);
    }

    bar.set_message("objednávky");
    let frames: Vec<&Product> = products
        .iter()
        .filter(|p| p.kind == ProductKind::Frame)
        .collect();
    let lenses: Vec<&Product> = products
        .iter()
        .filter(|p| p.kind == ProductKind::Lens)
        .collect();
    let coatings: Vec<&Product> = products
        .iter()
        .filter(|p| p.kind == ProductKind::Coating)
        .collect();
    let mut inserted_orders = 0;
    let mut per_year = std::collections::HashMap::<i32, u32>::new();
    let mut batch = Vec::new();
    let mut lines = Vec::new();
    // Orders are generated oldest first so variable symbols grow with time.
    let mut ages: Vec<i64> = (0..scale.orders)
        .map(|_| rng.random_range(0..730 * 24))
        .collect();
    ages.sort_unstable_by(|a, b| b.cmp(a));
    for age_hours in ages {
        let created = now - Duration::hours(age_hours);
        let ci = rng.random_range(0..clients.len());
        let (client, rx) = (&clients[ci], &prescriptions[ci]);
        let seq = per_year.entry(created.year()).or_default();
        *seq += 1;
        let vs = format!("{}{:06}", created.year(), seq);
        let id = OrderId::from_uuid(uuid_at(&mut rng, created));
        let status = status_for_age(&mut rng, age_hours / 24);
        let frame = *pick(&mut rng, &frames);
        let lens = *pick(&mut rng, &lenses);
        let mut order_lines = vec![
            (Some(frame), frame.name.clone(), 1, Money::ZERO),
            (Some(lens), format!("{} (P)", lens.name), 1, Money::ZERO),
            (Some(lens), format!("{} (L)", lens.name), 1, Money::ZERO),
        ];
        if rng.random_bool(0.6) {
            let c = *pick(&mut rng, &coatings);
            order_lines.push((Some(c), c.name.clone(), 2, Money::ZERO));
        }
        if rng.random_bool(0.15) {
            order_lines[0].3 = Money::from_haler(frame.price.haler() / 10);
        }
        let mut total = Money::ZERO;
        for (pos, (product, text, qty, discount)) in order_lines.into_iter().enumerate() {
            let product = product.map(|p| (p.id, p.price, p.vat_bp));
            let (pid, price, vat) = product.unwrap_or((ProductId::new(), Money::ZERO, 2100));
            total = total + Money::from_haler(price.haler() * qty) - discount;
            lines.push(OrderLineRow {
                id: OrderLineId::from_uuid(uuid_at(&mut rng, created)),
                order: id,
                position: pos as i64,
                product: Some(pid),
                text,
                quantity: qty,
                unit_price: price,
                vat_bp: vat,
                discount,
            });
        }
        let deposit = if rng.random_bool(0.5) {
            Money::from_haler((total.haler() / 3 / 100) * 100)
        } else {
            Money::ZERO
        };
        // Glasses in the client's hands were paid for (the list's "paid" filter).
        let deposit = if matches!(status, OrderStatus::Delivered | OrderStatus::Closed) {
            total
        } else {
            deposit
        };
        let adviser = client.adviser;
        let shop = adviser
            .and_then(|a| advisers.iter().find(|(id, _)| *id == a))
            .map(|(_, s)| *s)
            .or(shops.first().copied());
        batch.push(OrderRow {
            id,
            variable_symbol: vs,
            client: client.id,
            adviser,
            shop,
            prescription: Some(rx.id),
            status,
            total,
            deposit,
            created_at: created,
            updated_at: created + Duration::hours(rng.random_range(0..72)),
        });
        if batch.len() == 2_000 {
            inserted_orders += store.insert_orders(&batch, &lines).await?;
            bar.inc(batch.len() as u64);
            batch.clear();
            lines.clear();
        }
    }
    if !batch.is_empty() {
        inserted_orders += store.insert_orders(&batch, &lines).await?;
        bar.inc(batch.len() as u64);
    }
    // Marketing consents, from their own random stream (the rest stays as it was).
    let consents = people::consents(&clients, now, &mut StdRng::seed_from_u64(0x00C0_5E47));
    store.insert_consents("demo", &consents).await?;
    care::seed(store, &actor).await?;
    complaints::seed(store, &actor).await?;
    bookings::seed(store, &actor, &shops).await?;
    campaigns::seed(store, &actor).await?;
    store.set_meta(META_KEY, &now.to_string()).await?;
    bar.finish_with_message("hotovo");
    Ok(Summary {
        already_seeded: false,
        products: inserted_products,
        clients: inserted_clients,
        orders: inserted_orders,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'á' => 'a',
            'č' => 'c',
            'ď' => 'd',
            'é' | 'ě' => 'e',
            'í' => 'i',
            'ň' => 'n',
            'ó' => 'o',
            'ř' => 'r',
            'š' => 's',
            'ť' => 't',
            'ú' | 'ů' => 'u',
            'ý' => 'y',
            'ž' => 'z',
            'Á' => 'a',
            'Č' => 'c',
            'Ď' => 'd',
            'É' => 'e',
            'Í' => 'i',
            'Ň' => 'n',
            'Ó' => 'o',
            'Ř' => 'r',
            'Š' => 's',
            'Ť' => 't',
            'Ú' => 'u',
            'Ý' => 'y',
            'Ž' => 'z',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

fn quarter(rng: &mut StdRng, min: i32, max: i32) -> Diopters {
    Diopters::from_hundredths(rng.random_range(min / 25..=max / 25) * 25)
}

fn eye(rng: &mut StdRng, sph_base: i32, presbyope: bool, add: Diopters) -> EyeRx {
    let sph =
        Diopters::from_hundredths((sph_base + rng.random_range(-2..=2) * 25).clamp(-2000, 2000));
    let cyl = if rng.random_bool(0.55) {
        quarter(rng, -300, -25)
    } else {
        Diopters::ZERO
    };
    EyeRx {
        sph,
        cyl,
        axis: (!cyl.is_zero()).then(|| rng.random_range(1..=180)),
        add: presbyope.then_some(add),
        prism: None,
        pd_mono_mm: Some(Millimetres::from_tenths(rng.random_range(58..=70) * 5)),
        fitting_height_mm: presbyope.then(|| Millimetres::from_mm(rng.random_range(16..=24))),
    }
}

fn client(
    rng: &mut StdRng,
    i: usize,
    created: OffsetDateTime,
    today: Date,
    advisers: &[(AdviserId, StoreId)],
) -> (ClientRow, PrescriptionRow) {
    let (first, last) = person_name(rng);
    let (town, psc) = *pick(rng, TOWNS);
    let street = format!("{} {}", pick(rng, STREETS), rng.random_range(1..180));
    let id = ClientId::from_uuid(uuid_at(rng, created));
    let email = if rng.random_bool(0.7) {
        format!(
            "{}.{}{}@{}",
            ascii(first),
            ascii(&last),
            i % 97,
            pick(
                rng,
                &[
                    "seznam.cz",
                    "email.cz",
                    "gmail.com",
                    "centrum.cz",
                    "post.cz"
                ]
            )
        )
    } else {
        String::new()
    };
    let client = ClientRow {
        id,
        adviser: (!advisers.is_empty()).then(|| advisers[i % advisers.len()].0),
        first_name: first.into(),
        last_name: last,
        phone: phone(rng),
        email,
        street,
        city: town.into(),
        postal_code: psc.into(),
        created_at: created,
    };
    let presbyope = rng.random_bool(0.45);
    let add = quarter(rng, 75, 300);
    let sph_base = rng.random_range(-24..=12) * 25;
    let measured_on = (created.date()).min(today);
    let rx = Prescription {
        id: PrescriptionId::from_uuid(uuid_at(rng, created)),
        client: id,
        right: eye(rng, sph_base, presbyope, add),
        left: eye(rng, sph_base, presbyope, add),
        pd_binocular_mm: None,
        measured_by: format!("optometrista {}", pick(rng, OPTOMETRISTS)),
        measured_on,
        valid_until: measured_on + Duration::days(730),
        note: String::new(),
    };
    let row = PrescriptionRow {
        id: rx.id,
        client: id,
        measured_by: rx.measured_by.clone(),
        measured_on: rx.measured_on,
        valid_until: rx.valid_until,
        data: serde_json::to_value(&rx).unwrap_or_default(),
    };
    (client, row)
}

/// Older orders are further along the workflow; a few are cancelled or in complaint.
fn status_for_age(rng: &mut StdRng, age_days: i64) -> OrderStatus {
    use OrderStatus::*;
    if rng.random_bool(0.03) {
        return Cancelled;
    }
    match age_days {
        0..=1 => *pick(rng, &[Intake, Intake, Confirmed]),
        2..=5 => *pick(rng, &[Confirmed, LensesOrdered, InLab]),
        6..=10 => *pick(rng, &[InLab, QualityCheck, ReadyForPickup, Shipped]),
        11..=20 => *pick(rng, &[ReadyForPickup, Shipped, Delivered, Delivered]),
        21..=60 => *pick(rng, &[Delivered, Delivered, Closed, Complaint]),
        _ => {
            if rng.random_bool(0.01) {
                Complaint
            } else {
                Closed
            }
        }
    }
}

/// Result of a check run by `fieldcase demo`: prints the URL and the logins.
pub fn banner(url: &str) -> String {
    let mut out =
        format!("\nfieldcase demo hub: {url}\n\nLogins (password for all: {DEMO_PASSWORD}):\n");
    for (email, role, _) in DEMO_STAFF {
        out.push_str(&format!("  {email:<30} {}\n", role.label(Lang::En)));
    }
    out.push_str("  poradce001@demo.fieldcase.cz … poradce250@…  adviser (phone app)\n");
    out
}
