-- Calendars: each approved registration's private feed (only the token's SHA-256 is
-- stored; rotating revokes the old row), the attendee's calendar choices, and the last
-- SEQUENCE each attendee's mailbox received per calendar UID (docs/CALENDAR.md S7).
CREATE TABLE feed_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
);
CREATE INDEX feed_tokens_registration ON feed_tokens (registration_id);

CREATE TABLE calendar_settings (
    registration_id BIGINT NOT NULL PRIMARY KEY REFERENCES registrations (id) ON DELETE CASCADE,
    feed_scope TEXT NOT NULL DEFAULT 'all' CHECK (feed_scope IN ('all', 'picks')),
    session_invites TEXT NOT NULL DEFAULT 'both' CHECK (session_invites IN ('email', 'feed', 'both')),
    feed_changed_at TIMESTAMP NOT NULL
);

CREATE TABLE invite_sequences (
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    held BOOLEAN NOT NULL,
    PRIMARY KEY (registration_id, uid)
);
