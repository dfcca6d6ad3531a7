-- Staff API keys for /api/v1 (PostgreSQL). Twin: ../sqlite/0013_api_keys.sql.
-- A key belongs to one staff user and acts with that user's current role, narrowed
-- by its scopes (space-separated codes of fieldcase_server::api::keys::Scope). Only
-- the SHA-256 of the secret is stored; prefix is its first characters, shown so
-- people can tell keys apart. A revoked key stays as a record (revoked_at set).
CREATE TABLE api_keys (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    CONSTRAINT api_keys_token_hash_key UNIQUE (token_hash)
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id, created_at);
