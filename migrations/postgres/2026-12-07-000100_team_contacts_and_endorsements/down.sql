DROP TABLE endorsement_requests;
ALTER TABLE meetings DROP COLUMN endorsement;
DROP TABLE team_contacts;
