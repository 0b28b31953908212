ALTER TABLE meetings DROP COLUMN offer_hours;
UPDATE registrations SET status = 'waitlisted' WHERE status = 'offered';
ALTER TABLE registrations DROP COLUMN offer_expires_at;
ALTER TABLE registrations DROP COLUMN waitlisted_at;
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check
    CHECK (status IN ('pending_verification', 'pending', 'approved', 'waitlisted', 'rejected', 'withdrawn', 'revoked'));
