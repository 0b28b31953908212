DROP TABLE agenda_views;
DROP TABLE agenda_picks;
DROP TABLE released_sessions;
DROP TABLE agenda_releases;
DROP TABLE session_speakers;
DROP TABLE sessions;
DROP TABLE rooms;
DROP TABLE tracks;
