-- Waitlist offers (issue 15 point 9): a freed place is offered to the first waitlisted
-- person of the team, who holds it (status 'offered') until they answer or the offer
-- expires. The waitlist is ordered by when each person was waitlisted.
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('pending_verification', 'pending', 'approved', 'waitlisted', 'offered', 'rejected', 'withdrawn', 'revoked'));
ALTER TABLE registrations ADD COLUMN waitlisted_at TIMESTAMP;
ALTER TABLE registrations ADD COLUMN offer_expires_at TIMESTAMP;
UPDATE registrations SET waitlisted_at = COALESCE(decided_at, updated_at) WHERE status = 'waitlisted';
-- How long a person has to answer an offer.
ALTER TABLE meetings ADD COLUMN offer_hours INTEGER NOT NULL DEFAULT 72;
