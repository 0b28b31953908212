-- Self-registration used to store the password typed at /register before the address was
-- proven, and sign-in accepted it: whoever typed someone else's address could sign in as
-- them. An account whose address is still unproven keeps no way in: its password becomes
-- the marker that never verifies (models::user::NO_PASSWORD; the column is NOT NULL), and
-- its sessions, second factor, recovery codes and unused reset links go. Its owner sets a
-- password through the confirmation link (or registers again for a new one).
DELETE FROM web_sessions
    WHERE user_id IN (SELECT id FROM users WHERE email_verified_at IS NULL);
DELETE FROM recovery_codes
    WHERE user_id IN (SELECT id FROM users WHERE email_verified_at IS NULL);
DELETE FROM one_time_tokens
    WHERE purpose = 'password_reset' AND used_at IS NULL
      AND user_id IN (SELECT id FROM users WHERE email_verified_at IS NULL);
UPDATE users
    SET password_hash = '!',
        totp_secret = NULL,
        totp_enabled_at = NULL,
        totp_last_step = NULL,
        totp_failures = 0,
        totp_locked_until = NULL,
        failed_logins = 0,
        login_locked_until = NULL
    WHERE email_verified_at IS NULL;
