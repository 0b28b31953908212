DROP TABLE audit_log;
DROP TABLE recovery_codes;
DROP TABLE one_time_tokens;
DROP TABLE web_sessions;
DROP TABLE users;
