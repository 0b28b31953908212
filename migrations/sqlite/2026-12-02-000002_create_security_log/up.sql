-- Sign-ins, their failures, second-factor failures, resets and recovery-code use: what a
-- person (and an operator) needs to see whether someone else got in. Never a password or
-- token; the user agent only as a family ("Firefox"). Rows go with the account and after
-- [privacy] security_log_months. A failed sign-in for an unknown address has no account.
CREATE TABLE security_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    client_ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX security_log_user_at ON security_log (user_id, at);
CREATE INDEX security_log_at ON security_log (at);
