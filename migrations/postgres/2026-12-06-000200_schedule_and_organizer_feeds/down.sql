DROP TABLE organizer_feed_tokens;
DROP TABLE schedule_tokens;
