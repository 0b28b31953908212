-- Reviewers: an account role that reviews registrations and reads every agenda, and the
-- invitation link that makes one.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('organizer', 'member', 'reviewer'));
ALTER TABLE one_time_tokens DROP CONSTRAINT one_time_tokens_purpose_check;
ALTER TABLE one_time_tokens ADD CONSTRAINT one_time_tokens_purpose_check
    CHECK (purpose IN ('setup', 'organizer_invite', 'password_reset', 'verify_email', 'reviewer_invite'));
