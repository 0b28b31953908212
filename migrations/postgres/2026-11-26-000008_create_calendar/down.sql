DROP TABLE invite_sequences;
DROP TABLE calendar_settings;
DROP TABLE feed_tokens;
