-- Invitations of a team's contacts to a meeting (only the token's SHA-256 is stored).
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    sent_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX invitations_meeting ON invitations (meeting_id, team_id);

-- One registration per person and meeting; its status follows domain::registration.
CREATE TABLE registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    team_id BIGINT NOT NULL REFERENCES teams (id),
    status TEXT NOT NULL CHECK (status IN ('pending_verification', 'pending', 'approved', 'waitlisted', 'rejected', 'withdrawn', 'revoked')),
    role_title TEXT NOT NULL,
    dietary TEXT NOT NULL,
    accessibility TEXT NOT NULL,
    consent_listed BOOLEAN NOT NULL DEFAULT FALSE,
    decided_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    decided_at TIMESTAMP,
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, user_id)
);
CREATE INDEX registrations_team ON registrations (meeting_id, team_id, status);
