-- A feed fetch writes nothing: nothing showed when a feed was last fetched, and noting it
-- was a write on the path of every calendar's poll (issue 16).
ALTER TABLE feed_tokens DROP COLUMN last_used_at;
