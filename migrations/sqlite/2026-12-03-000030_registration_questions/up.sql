-- A meeting's registration questions (domain::questions) and each registration's answers.
-- choices: one per line, for the list kinds. A retired question keeps its answers but is
-- no longer asked. A sensitive question's answers are purged after the meeting.
CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    prompt TEXT NOT NULL,
    hint TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('short_text', 'long_text', 'one_of', 'several_of', 'yes_no', 'date')),
    required BOOLEAN NOT NULL,
    sensitive BOOLEAN NOT NULL,
    choices TEXT NOT NULL,
    position INTEGER NOT NULL,
    retired_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX questions_meeting ON questions (meeting_id, position);

-- One answer per registration and question; value as domain::questions stores it.
CREATE TABLE answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (registration_id, question_id)
);
CREATE INDEX answers_question ON answers (question_id);
