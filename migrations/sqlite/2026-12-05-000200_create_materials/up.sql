-- Files a session's speakers and the organizers share (domain::material): slides, papers,
-- samples as an archive. Kept in the database, so every instance serves them and a database
-- backup holds them. The bytes are rows of at most 256 KiB (material_chunks), written as
-- the upload streams in; a material with no stored_at is still arriving (or was abandoned:
-- the next upload deletes such rows after a day) and is never listed or served. The file
-- name is TLP content like a session's title (docs/CALENDAR.md T1).
CREATE TABLE materials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Random, to read the new row back without RETURNING.
    uid TEXT NOT NULL UNIQUE,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    uploaded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pdf', 'pptx', 'odp', 'docx', 'txt', 'zip')),
    tlp TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    chunk_count INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    stored_at TIMESTAMP
);
CREATE INDEX materials_session ON materials (session_id);

CREATE TABLE material_chunks (
    material_id BIGINT NOT NULL REFERENCES materials (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (material_id, position)
);
