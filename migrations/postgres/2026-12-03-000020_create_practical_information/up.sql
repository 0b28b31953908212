-- Each meeting's practical information (venue and map, hotels, visa letters, dinner,
-- Wi-Fi, code of conduct): organizers write it in Markdown, approved attendees read it
-- rendered and sanitised on every read (domain::markdown). One row per meeting, made by
-- the first save; who saved it last and when. The meeting's own text, not TLP-labelled.
CREATE TABLE practical_information (
    meeting_id BIGINT NOT NULL PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    markdown TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL
);
