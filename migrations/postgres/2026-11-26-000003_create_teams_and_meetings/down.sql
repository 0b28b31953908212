DROP TABLE meetings;
DROP TABLE team_domains;
DROP TABLE teams;
