ALTER TABLE invitations DROP COLUMN note;
