//! The catalog on the phone: read-only, searched offline. The folded search text
//! of every product is built once per catalog version (its heads) and reused for
//! each keystroke.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use automerge::ChangeHash;
use fieldcase_shared::docs::catalog::{self, PRODUCTS, ProductRecord};
use fieldcase_shared::docs::records;
use fieldcase_shared::pricing;
use samod::DocHandle;

use crate::Device;

type Index = Arc<Vec<(String, ProductRecord, String)>>;

/// The catalog document (if it has reached this phone) and its search index.
pub(crate) struct Catalog {
    handle: Mutex<Option<DocHandle>>,
    index: Mutex<Option<(Vec<ChangeHash>, Index)>>,
}

impl Catalog {
    pub(crate) fn new(handle: Option<DocHandle>) -> Catalog {
        Catalog {
            handle: Mutex::new(handle),
            index: Mutex::new(None),
        }
    }

    pub(crate) fn handle(&self) -> Option<DocHandle> {
        self.handle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn index(&self) -> Index {
        let Some(handle) = self
            .handle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
        else {
            return Index::default();
        };
        let heads = handle.with_document(|d| d.get_heads());
        let mut cached = self.index.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((at, index)) = cached.as_ref()
            && *at == heads
        {
            return index.clone();
        }
        let products: Vec<(String, ProductRecord)> =
            handle.with_document(|d| records::all(d, PRODUCTS));
        let index: Index = Arc::new(
            products
                .into_iter()
                .map(|(id, p)| {
                    let text = p.search_text();
                    (id, p, text)
                })
                .collect(),
        );
        *cached = Some((heads, index.clone()));
        index
    }
}

impl Device {
    /// Active products matching every word of `query` (case and diacritics
    /// ignored; an empty query lists everything), at most `limit`, by name.
    pub fn catalog_search(&self, query: &str, limit: usize) -> Vec<(String, ProductRecord)> {
        let words = catalog::query_words(query);
        let index = self.catalog.index();
        let mut found: Vec<(String, ProductRecord)> = index
            .iter()
            .filter(|(_, p, text)| p.active && catalog::matches(&words, text))
            .map(|(id, p, _)| (id.clone(), p.clone()))
            .take(limit)
            .collect();
        found.sort_by(|a, b| a.1.brand.cmp(&b.1.brand).then(a.1.name.cmp(&b.1.name)));
        found
    }

    /// The coupon with `code` (case and spaces ignored) if it applies today, with
    /// its normalised code; otherwise why not.
    pub fn coupon(
        &self,
        code: &str,
    ) -> Result<(String, catalog::CouponRecord), catalog::CouponProblem> {
        let code = catalog::normalise_coupon_code(code);
        let found = self.catalog.handle().and_then(|h| {
            h.with_document(|d| {
                records::get::<catalog::CouponRecord>(d, catalog::COUPONS, &code)
                    .ok()
                    .flatten()
            })
        });
        let coupon = found.ok_or(catalog::CouponProblem::Unknown)?;
        coupon.check(time::OffsetDateTime::now_utc().date())?;
        Ok((code, coupon))
    }

    /// The message of the coupon `code` (its terms, a greeting), whatever its state
    /// now: an order that used it shows it.
    pub fn coupon_message(&self, code: &str) -> Option<String> {
        let found = self.catalog.handle().and_then(|h| {
            h.with_document(|d| {
                records::get::<catalog::CouponRecord>(d, catalog::COUPONS, code)
                    .ok()
                    .flatten()
            })
        });
        found.map(|c| c.message).filter(|m| !m.is_empty())
    }

    /// The price terms of `client` as the office published them (no terms when
    /// none), with the discount classes of the catalog's products: what the
    /// order builder prices with, as the hub will.
    pub fn price_terms(&self, client: &str) -> pricing::Terms {
        let Some(handle) = self.catalog.handle() else {
            return pricing::Terms::default();
        };
        let (customer, tiers) = handle.with_document(|d| {
            let customer = records::get::<catalog::CustomerTermsRecord>(
                d,
                catalog::CUSTOMER_TERMS,
                &client.to_lowercase(),
            )
            .ok()
            .flatten();
            let tiers: BTreeMap<String, catalog::TierRecord> =
                records::all(d, catalog::DISCOUNT_TIERS)
                    .into_iter()
                    .collect();
            (customer, tiers)
        });
        let index = self.catalog.index();
        pricing::Terms::of(
            customer.as_ref(),
            &tiers,
            index.iter().map(|(id, p, _)| (id.as_str(), p)),
        )
    }

    /// The account clients pay to, once the hub has published it.
    pub fn payee(&self) -> Option<catalog::Payee> {
        self.catalog
            .handle()
            .and_then(|h| h.with_document(|d| catalog::payee(d)))
    }

    /// The custom fields of `entity` the office has in use, in form order.
    pub fn custom_fields(
        &self,
        entity: fieldcase_shared::custom_field::Entity,
    ) -> Vec<fieldcase_shared::custom_field::FieldRecord> {
        use fieldcase_shared::custom_field::{CUSTOM_FIELDS, FieldRecord, of};
        let all: Vec<FieldRecord> = self
            .catalog
            .handle()
            .map(|h| {
                h.with_document(|d| {
                    records::all::<FieldRecord, _>(d, CUSTOM_FIELDS)
                        .into_iter()
                        .map(|(_, f)| f)
                        .collect()
                })
            })
            .unwrap_or_default();
        of(&all, entity)
    }

    /// One product by id (inactive ones too: old orders show them).
    pub fn product(&self, id: &str) -> Option<ProductRecord> {
        self.catalog
            .index()
            .iter()
            .find(|(pid, _, _)| pid == id)
            .map(|(_, p, _)| p.clone())
    }
}
