-- Waitlist offers (issue 15 point 9): a freed place is offered to the first waitlisted
-- person of the team, who holds it (status 'offered') until they answer or the offer
-- expires. The waitlist is ordered by when each person was waitlisted. SQLite keeps the
-- CHECK in the table's definition: the table is rebuilt (the children's foreign keys
-- name it and follow the rename).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE registrations_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    status TEXT NOT NULL CHECK (status IN ('pending_verification', 'pending', 'approved', 'waitlisted', 'offered', 'rejected', 'withdrawn', 'revoked')),
    role_title TEXT NOT NULL,
    dietary TEXT NOT NULL,
    accessibility TEXT NOT NULL,
    consent_listed BOOLEAN NOT NULL DEFAULT FALSE,
    decided_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    decided_at TIMESTAMP,
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    invitation_id BIGINT REFERENCES invitations (id) ON DELETE SET NULL,
    badge_name TEXT,
    waitlisted_at TIMESTAMP,
    offer_expires_at TIMESTAMP,
    UNIQUE (meeting_id, user_id)
);
INSERT INTO registrations_new
    SELECT id, meeting_id, user_id, team_id, status, role_title, dietary, accessibility, consent_listed,
           decided_by, decided_at, reason, created_at, updated_at, invitation_id, badge_name,
           CASE WHEN status = 'waitlisted' THEN COALESCE(decided_at, updated_at) END, NULL
    FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_new RENAME TO registrations;
CREATE INDEX registrations_team ON registrations (meeting_id, team_id, status);
CREATE INDEX registrations_invitation ON registrations (invitation_id);
-- How long a person has to answer an offer.
ALTER TABLE meetings ADD COLUMN offer_hours INTEGER NOT NULL DEFAULT 72;
COMMIT;
PRAGMA foreign_keys = ON;
