-- Speakers as accounts where they can be (issue 17, point 3). A speaker of a draft session
-- is either a registration of the meeting (registration_id; name and team are copied from
-- it when the session is saved, so "Name (Team)" reads as before) or an outside guest
-- typed by the organizer (no registration; an optional address for a plain email, never
-- a calendar object). A registration that goes takes its link with it: the speaker stays
-- as text.
ALTER TABLE session_speakers ADD COLUMN registration_id BIGINT REFERENCES registrations (id) ON DELETE SET NULL;
ALTER TABLE session_speakers ADD COLUMN email TEXT NOT NULL DEFAULT '';
CREATE INDEX session_speakers_registration ON session_speakers (registration_id);
-- The registrations among a released session's speakers (a JSON list of ids), so that an
-- unpick keeps a speaker's invite and the next release knows whom a removal uninvites.
ALTER TABLE released_sessions ADD COLUMN speaker_registrations TEXT NOT NULL DEFAULT '[]';
