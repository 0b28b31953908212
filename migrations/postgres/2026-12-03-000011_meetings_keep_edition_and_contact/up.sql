-- The FIRST edition a meeting was created from (its values are copied, so editing the
-- edition later changes no meeting; an edition in use cannot be deleted), the conference's
-- time zone as copied, and the public description and contact address of the meeting.
ALTER TABLE meetings ADD COLUMN edition_id BIGINT REFERENCES first_editions (id);
ALTER TABLE meetings ADD COLUMN conference_time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
-- Meetings made before: the conference was in the meeting's city, so in its zone.
UPDATE meetings SET conference_time_zone = time_zone;
CREATE INDEX meetings_edition ON meetings (edition_id);
