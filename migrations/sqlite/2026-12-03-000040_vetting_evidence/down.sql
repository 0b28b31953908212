DROP INDEX registrations_invitation;
ALTER TABLE registrations DROP COLUMN invitation_id;
ALTER TABLE team_domains DROP COLUMN confirmed;
