ALTER TABLE registrations DROP COLUMN mailing_list;
ALTER TABLE registrations DROP COLUMN share_contact;
DROP TABLE openpgp_keys;
