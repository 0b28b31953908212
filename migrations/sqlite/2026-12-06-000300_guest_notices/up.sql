-- Outside guests told that they speak in a session (issue 17, point 3): one row per session
-- and address (lower case) once a release sent the guest its plain notice, so that a guest
-- a later release takes off the session is told once that they are no longer listed, as a
-- registered speaker gets a CANCEL. Guests of sessions published before count as told.
CREATE TABLE guest_notices (
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    PRIMARY KEY (session_id, email)
);
INSERT INTO guest_notices (session_id, email)
SELECT DISTINCT s.session_id, lower(s.email)
FROM session_speakers s
WHERE s.registration_id IS NULL
  AND s.email <> ''
  AND EXISTS (SELECT 1 FROM released_sessions r WHERE r.session_id = s.session_id);
