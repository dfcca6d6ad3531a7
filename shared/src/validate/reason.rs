//! Keys used with [`super::Problem::NotAllowed`]; [`super::FieldError::message`]
//! knows a text for each.
//!
//! They are constants so the server and tests can match on them without typos.

/// A date lies in the future.
pub const IN_FUTURE: &str = "in_future";
/// The prescription's validity must end after the day it was measured.
pub const VALID_UNTIL_NOT_AFTER_MEASURED: &str = "valid_until_not_after_measured";
/// Cylinder must be stored in minus-cylinder convention.
pub const PLUS_CYLINDER: &str = "plus_cylinder";
/// An axis was given although the cylinder is zero.
pub const AXIS_WITHOUT_CYLINDER: &str = "axis_without_cylinder";
/// Amounts here must not be negative.
pub const NEGATIVE_AMOUNT: &str = "negative_amount";
/// A discount larger than what it discounts.
pub const DISCOUNT_EXCEEDS_PRICE: &str = "discount_exceeds_price";
/// The deposit is larger than the order total.
pub const DEPOSIT_EXCEEDS_TOTAL: &str = "deposit_exceeds_total";
/// Lenses are made from a prescription, so an order with lenses needs one.
pub const LENSES_NEED_PRESCRIPTION: &str = "lenses_need_prescription";
/// Both lenses of a pair must have the same design.
pub const LENS_DESIGN_MISMATCH: &str = "lens_design_mismatch";
/// The coupon does not apply to this order (its customer, its minimum).
pub const COUPON_NOT_APPLICABLE: &str = "coupon_not_applicable";
/// Another record already uses this value (a unique key).
pub const TAKEN: &str = "taken";
/// Another account already uses this e-mail.
pub const EMAIL_TAKEN: &str = "email_taken";
/// A password outside the allowed length.
pub const PASSWORD_LENGTH: &str = "password_length";
/// Advisers are not staff users (they are created as advisers).
pub const NOT_A_STAFF_ROLE: &str = "not_a_staff_role";
/// A value that is none of a choice field's choices.
pub const NOT_A_CHOICE: &str = "not_a_choice";
/// No order has this variable symbol.
pub const NO_SUCH_ORDER: &str = "no_such_order";
/// More than one order has this variable symbol (leading zeros aside).
pub const AMBIGUOUS_ORDER: &str = "ambiguous_order";
/// The order is cancelled: it takes no payment.
pub const ORDER_CANCELLED: &str = "order_cancelled";
/// More than the order still owes.
pub const BEYOND_LEFT: &str = "beyond_left";
/// More than the payment has left to give.
pub const BEYOND_OPEN: &str = "beyond_open";
/// More than this payment gave the order.
pub const BEYOND_GIVEN: &str = "beyond_given";
/// Money in another currency than the order's crowns.
pub const FOREIGN_CURRENCY: &str = "foreign_currency";
/// More than the order was paid (a deposit document).
pub const BEYOND_PAID: &str = "beyond_paid";
/// More than the document still holds (a credit note).
pub const BEYOND_INVOICE: &str = "beyond_invoice";
/// A credit note is not corrected by another.
pub const NOT_CORRECTABLE: &str = "not_correctable";
/// The shop's warehouse does not have that many (a till sale).
pub const NOT_IN_STOCK: &str = "not_in_stock";
/// More than the receipt has left to refund.
pub const BEYOND_RECEIPT: &str = "beyond_receipt";
/// More cash than the till's drawer holds.
pub const BEYOND_DRAWER: &str = "beyond_drawer";
/// More by card than the whole amount.
pub const BEYOND_TOTAL: &str = "beyond_total";
/// An order's payment and goods go on separate receipts.
pub const ORDER_OR_GOODS: &str = "order_or_goods";
/// A product not sold over the counter (or not in the catalog, or withdrawn).
pub const NOT_SOLD_HERE: &str = "not_sold_here";
/// Another rule of the same kind is valid on some of the same days.
pub const OVERLAPS: &str = "overlaps";
/// A template names a variable that does not exist.
pub const UNKNOWN_VARIABLE: &str = "unknown_variable";
