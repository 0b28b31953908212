-- Personal API tokens (issue 18, point 1): made and revoked on /me/security, shown once,
-- only the SHA-256 stored. scope: attendee or organizer (an organizer's token needs the
-- account to be an organizer with a second factor, checked when it is made and on every
-- request). last_used_at is written at most once an hour and never fails a read.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('attendee', 'organizer')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
