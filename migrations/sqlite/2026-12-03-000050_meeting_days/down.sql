DROP TABLE checkins;
ALTER TABLE registrations DROP COLUMN badge_name;
