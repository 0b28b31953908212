-- The meeting days (issue 15, point 8). A badge name the approved attendee may choose
-- (NULL: the account's name). One check-in per registration and meeting day (the day on
-- the meeting's wall clocks): the primary key is what keeps two organizers marking the
-- same person at once from counting them twice.
ALTER TABLE registrations ADD COLUMN badge_name TEXT;

CREATE TABLE checkins (
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    checked_in_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    checked_in_at TIMESTAMP NOT NULL,
    PRIMARY KEY (registration_id, day)
);
