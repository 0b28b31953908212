-- Reviewer accounts become members (they keep no organizer rights); their links go.
UPDATE users SET role = 'member' WHERE role = 'reviewer';
DELETE FROM one_time_tokens WHERE purpose = 'reviewer_invite';
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('organizer', 'member')),
    password_hash TEXT NOT NULL,
    email_verified_at TIMESTAMP,
    totp_secret TEXT,
    totp_enabled_at TIMESTAMP,
    totp_last_step BIGINT,
    totp_failures INTEGER NOT NULL DEFAULT 0,
    totp_locked_until TIMESTAMP,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    login_locked_until TIMESTAMP,
    disabled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO users_new SELECT id, email, name, role, password_hash, email_verified_at, totp_secret,
    totp_enabled_at, totp_last_step, totp_failures, totp_locked_until, failed_logins,
    login_locked_until, disabled_at, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE TABLE one_time_tokens_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    purpose TEXT NOT NULL CHECK (purpose IN ('setup', 'organizer_invite', 'password_reset', 'verify_email')),
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    email TEXT,
    name TEXT,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
INSERT INTO one_time_tokens_new SELECT id, purpose, token_hash, user_id, email, name, expires_at,
    used_at, created_by, created_at FROM one_time_tokens;
DROP TABLE one_time_tokens;
ALTER TABLE one_time_tokens_new RENAME TO one_time_tokens;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
