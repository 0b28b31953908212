-- Reminders before a meeting (issue 17, point 6). reminder_settings: the days before the
-- meeting's first day on which approved attendees get a reminder, per meeting (one row
-- per meeting, made by the first save; without a row the days are "7, 1"). reminders:
-- one row per registration and number of days once its reminder is queued, so a reminder
-- is queued once however many passes or instances run (with the outbox's idempotency
-- key beside it). A reminder withheld at send time (the person withdrew or was revoked
-- after it was queued) loses its row and its outbox row.
CREATE TABLE reminder_settings (
    meeting_id BIGINT NOT NULL PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    days TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE reminders (
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    days_before INTEGER NOT NULL,
    queued_at TIMESTAMP NOT NULL,
    PRIMARY KEY (registration_id, days_before)
);
