-- The editions of the annual FIRST conference, kept by the organizers (filled from
-- assets/data/first_conferences.csv at start-up while the table is empty). A meeting is
-- proposed right after one and copies its values when created.
CREATE TABLE first_editions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    first_day DATE NOT NULL,
    last_day DATE NOT NULL CHECK (last_day >= first_day),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX first_editions_first_day ON first_editions (first_day);
