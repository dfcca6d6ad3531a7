-- A customer's language (issue 15): the messages the notifications send them
-- use the template of that language where there is one (else the Czech). Set
-- by the office on the customer's card or by the API; kept by the hub beside
-- the projection (no foreign key to clients, as for consents: the projection can
-- be rebuilt from the documents). No row: Czech. A booking's messages keep the
-- language of the page it was asked for on.
-- Twin: ../postgres/0046_customer_lang.sql.
CREATE TABLE customer_langs (
    client_id  BLOB PRIMARY KEY NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('cs', 'en')),
    actor      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
