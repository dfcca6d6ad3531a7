-- A customer's language (issue 15): the notifications' template language.
-- Twin: ../sqlite/0046_customer_lang.sql, which says more.
CREATE TABLE customer_langs (
    client_id  UUID PRIMARY KEY NOT NULL,
    lang       TEXT NOT NULL CHECK (lang IN ('cs', 'en')),
    actor      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
