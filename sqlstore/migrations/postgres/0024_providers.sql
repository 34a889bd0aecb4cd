-- Providers keep their own listings current (issue 21, section 3): the
-- organizations a provider account speaks for, whether their edits go live
-- at once, invitations, yearly re-verification, and partners' API tokens.

-- The language a person reads Haven's e-mail in: en or es.
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';

-- A provider account edits the listings of these organizations only.
CREATE TABLE provider_organizations (
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, organization_id)
);
CREATE INDEX provider_organizations_org_idx ON provider_organizations (organization_id);

-- A curator's choice per organization; no row means its providers' edits
-- wait in the queue.
CREATE TABLE provider_settings (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    edits_live      INTEGER NOT NULL DEFAULT 0
);

-- A provider's edit waiting for a curator is a suggestion of kind
-- "provider": changes holds the changed fields as JSON, submitted_by the
-- provider's e-mail.
ALTER TABLE suggestions ADD COLUMN changes TEXT NOT NULL DEFAULT '';
ALTER TABLE suggestions ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';

-- An invitation is kept as the SHA-256 of its link's token, used once.
CREATE TABLE invitations (
    token_hash      TEXT PRIMARY KEY,
    email           TEXT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    locale          TEXT NOT NULL DEFAULT 'en',
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_at         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX invitations_org_idx ON invitations (organization_id, created_at);

-- One yearly request to a provider to confirm an organization's listings.
CREATE TABLE reverify_requests (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    sent_at         TEXT NOT NULL,
    reminded_at     TEXT NOT NULL DEFAULT '',
    answered_at     TEXT NOT NULL DEFAULT '',
    answer          TEXT NOT NULL DEFAULT ''   -- correct, changes
);
CREATE INDEX reverify_requests_org_idx ON reverify_requests (organization_id, sent_at);
CREATE INDEX reverify_requests_open_idx ON reverify_requests (answered_at, sent_at);

-- The links of a request (the first mail's and the reminder's), by hash.
CREATE TABLE reverify_tokens (
    token_hash TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES reverify_requests (id) ON DELETE CASCADE
);

-- A partner's API token, kept as the SHA-256 of the token.
CREATE TABLE api_tokens (
    id              TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    token_hash      TEXT NOT NULL UNIQUE,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    revoked_at      TEXT NOT NULL DEFAULT '',
    last_used_at    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX api_tokens_org_idx ON api_tokens (organization_id, created_at);
