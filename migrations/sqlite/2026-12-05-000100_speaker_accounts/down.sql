ALTER TABLE released_sessions DROP COLUMN speaker_registrations;
DROP INDEX session_speakers_registration;
ALTER TABLE session_speakers DROP COLUMN email;
ALTER TABLE session_speakers DROP COLUMN registration_id;
