-- Reviewer accounts become members (they keep no organizer rights); their links go.
UPDATE users SET role = 'member' WHERE role = 'reviewer';
DELETE FROM one_time_tokens WHERE purpose = 'reviewer_invite';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('organizer', 'member'));
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('setup', 'organizer_invite', 'password_reset', 'verify_email'));
