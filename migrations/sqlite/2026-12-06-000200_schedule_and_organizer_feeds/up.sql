-- Issue 18: an attendee's secret schedule address for conference apps (frab XML and JSON,
-- apart from the calendar feed's address), and an organizer's own feed of a meeting's whole
-- released agenda (organizers have no registration). Only each token's SHA-256 is stored;
-- replacing revokes the old row.
CREATE TABLE schedule_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX schedule_tokens_registration ON schedule_tokens (registration_id);

CREATE TABLE organizer_feed_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX organizer_feed_tokens_owner ON organizer_feed_tokens (user_id, meeting_id);
