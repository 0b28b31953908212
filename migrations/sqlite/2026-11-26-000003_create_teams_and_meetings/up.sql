-- The registry of recognized national CSIRTs and the yearly meetings.
CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL UNIQUE,
    country_code TEXT NOT NULL,
    website TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'recognized' CHECK (status IN ('recognized', 'suspended')),
    cap_override INTEGER,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Email domains that prove membership of a team; a domain belongs to one team.
CREATE TABLE team_domains (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    team_id BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    domain TEXT NOT NULL UNIQUE
);
CREATE INDEX team_domains_team ON team_domains (team_id);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    year INTEGER NOT NULL,
    city TEXT NOT NULL,
    venue TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
    conference_name TEXT NOT NULL,
    conference_city TEXT NOT NULL,
    conference_first_day DATE NOT NULL,
    conference_last_day DATE NOT NULL,
    registration_opens TIMESTAMP NOT NULL,
    registration_closes TIMESTAMP NOT NULL,
    default_cap INTEGER NOT NULL,
    meeting_uid TEXT NOT NULL UNIQUE,
    meeting_sequence INTEGER NOT NULL DEFAULT 0,
    conference_uid TEXT NOT NULL UNIQUE,
    conference_sequence INTEGER NOT NULL DEFAULT 0,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
