DROP TABLE session_feedback;
ALTER TABLE questions DROP COLUMN purpose;
