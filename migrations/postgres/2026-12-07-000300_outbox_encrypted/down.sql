ALTER TABLE outbox DROP COLUMN pgp_message;
