-- The trust network (issue 19, point 1). A team's points of contact (name and address, in
-- the registry's order), who endorse or decline the registrations of their team's staff.
CREATE TABLE team_contacts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    UNIQUE (team_id, email)
);
-- Per meeting: whether approval waits for a contact's endorsement. off (every meeting made
-- before this one), recommended or required.
ALTER TABLE meetings ADD COLUMN endorsement TEXT NOT NULL DEFAULT 'off' CHECK (endorsement IN ('off', 'recommended', 'required'));
-- One request per registration and contact, made when the registration reached review: the
-- SHA-256 of the contact's link, its expiry, the one reminder, and the answer (endorsed or
-- declined, with an optional note) of the contact who answered; the others' requests are
-- closed then (closed_at), so one answer stands per registration.
CREATE TABLE endorsement_requests (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    contact_name TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    reminded_at TIMESTAMP,
    answer TEXT CHECK (answer IN ('endorsed', 'declined')),
    note TEXT NOT NULL DEFAULT '',
    answered_at TIMESTAMP,
    closed_at TIMESTAMP,
    UNIQUE (registration_id, contact_email)
);
