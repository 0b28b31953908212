-- Feedback after the meeting (domain::feedback): a question is asked at registration or in
-- the survey after the meeting (the same editor and answer kinds; survey answers are rows
-- of `answers` like any other), and each approved attendee's rating of a session, with an
-- optional comment, one row per person and session. A comment is TLP content under the
-- session's label (docs/CALENDAR.md T1): never in mail, audit rows or logs.
ALTER TABLE questions ADD COLUMN purpose TEXT NOT NULL DEFAULT 'registration'
    CHECK (purpose IN ('registration', 'survey'));

CREATE TABLE session_feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    -- Empty: no comment.
    comment TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (session_id, registration_id)
);
CREATE INDEX session_feedback_registration ON session_feedback (registration_id);
