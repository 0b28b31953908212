-- The agenda: the organizers' draft (tracks, rooms, sessions, speakers), the releases
-- published from it with a snapshot of every session, and each attendee's picks.
CREATE TABLE tracks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    colour TEXT NOT NULL,
    description TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (meeting_id, name)
);

CREATE TABLE rooms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (meeting_id, name)
);

-- The draft. Times are UTC; uid is the calendar UID, a random UUID made once.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    uid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    abstract_text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('talk', 'panel', 'team_update', 'breakout', 'break', 'meal', 'social')),
    track_id BIGINT REFERENCES tracks (id) ON DELETE SET NULL,
    room_id BIGINT REFERENCES rooms (id) ON DELETE SET NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    tlp TEXT NOT NULL CHECK (tlp IN ('TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED')),
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_meeting ON sessions (meeting_id, starts_at);

CREATE TABLE session_speakers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    team TEXT NOT NULL
);
CREATE INDEX session_speakers_session ON session_speakers (session_id);

-- A published release: its number counts from 1 per meeting; changes is the change list
-- against the previous release (JSON).
CREATE TABLE agenda_releases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    changes TEXT NOT NULL,
    published_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    published_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, number)
);

-- Every session as a release published it, names copied so a release stands alone.
-- sequence is the session's own calendar SEQUENCE in that release; changed_at the time
-- of the release in which it last changed (its DTSTAMP and LAST-MODIFIED in feeds).
CREATE TABLE released_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    release_id BIGINT NOT NULL REFERENCES agenda_releases (id) ON DELETE CASCADE,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    uid TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    title TEXT NOT NULL,
    abstract_text TEXT NOT NULL,
    kind TEXT NOT NULL,
    track TEXT,
    track_colour TEXT,
    room TEXT,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    tlp TEXT NOT NULL,
    status TEXT NOT NULL,
    speakers TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    UNIQUE (release_id, session_id)
);

-- An attendee's picks, and the release they last saw (for "changed since" marks).
CREATE TABLE agenda_picks (
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    session_id BIGINT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (registration_id, session_id)
);

CREATE TABLE agenda_views (
    registration_id BIGINT NOT NULL PRIMARY KEY REFERENCES registrations (id) ON DELETE CASCADE,
    release_number INTEGER NOT NULL
);
