DROP INDEX meetings_edition;
ALTER TABLE meetings DROP COLUMN contact_email;
ALTER TABLE meetings DROP COLUMN description;
ALTER TABLE meetings DROP COLUMN conference_time_zone;
ALTER TABLE meetings DROP COLUMN edition_id;
