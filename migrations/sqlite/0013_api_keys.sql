-- Staff API keys for /api/v1 (SQLite). Twin: ../postgres/0013_api_keys.sql.
-- A key belongs to one staff user and acts with that user's current role, narrowed
-- by its scopes (space-separated codes of fieldcase_server::api::keys::Scope). Only
-- the SHA-256 of the secret is stored; prefix is its first characters, shown so
-- people can tell keys apart. A revoked key stays as a record (revoked_at set).
CREATE TABLE api_keys (
    id           BLOB PRIMARY KEY NOT NULL,
    user_id      BLOB NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT,
    CONSTRAINT api_keys_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id, created_at);
