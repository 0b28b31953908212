-- The call for contributions of a meeting and its proposals (domain::proposal), with the
-- organizers' review: internal comments and scores. Times are UTC. A proposal's title and
-- abstract are TLP content (docs/CALENDAR.md T1): kept out of mail, audit rows and logs
-- beyond what their label lets out.
CREATE TABLE calls (
    meeting_id BIGINT PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    opens_at TIMESTAMP NOT NULL,
    closes_at TIMESTAMP NOT NULL,
    pending_may_propose BOOLEAN NOT NULL,
    -- The kinds a proposal may be of, one per line, in the organizers' order.
    kinds TEXT NOT NULL,
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    -- The proposer's registration: the proposal goes with it.
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    abstract_text TEXT NOT NULL,
    -- One of the call's kinds when it was saved (a renamed kind leaves it as it was).
    kind TEXT NOT NULL,
    track_id BIGINT REFERENCES tracks (id) ON DELETE SET NULL,
    minutes INTEGER NOT NULL,
    tlp TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('submitted', 'changes_requested', 'accepted', 'rejected', 'withdrawn')),
    -- The draft session an acceptance created.
    session_id BIGINT REFERENCES sessions (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX proposals_meeting ON proposals (meeting_id, state);
CREATE INDEX proposals_registration ON proposals (registration_id);

-- Co-speakers: registered people of the meeting, chosen from the list of those who agreed
-- to be listed, or named by their address. Each confirms by a mailed link (only its hash
-- is kept, cleared once used).
CREATE TABLE proposal_speakers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    registration_id BIGINT NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    by_address BOOLEAN NOT NULL,
    token_hash TEXT UNIQUE,
    confirmed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (proposal_id, registration_id)
);
CREATE INDEX proposal_speakers_registration ON proposal_speakers (registration_id);

-- Between organizers only; never shown to speakers.
CREATE TABLE proposal_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX proposal_comments_proposal ON proposal_comments (proposal_id);

CREATE TABLE proposal_scores (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);

-- Sessions an accepted proposal created that no organizer has placed yet: their times are
-- a placeholder, so publishing leaves them out and the conflict check ignores them until
-- the editor saves them.
CREATE TABLE unscheduled_sessions (
    session_id BIGINT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE
);
