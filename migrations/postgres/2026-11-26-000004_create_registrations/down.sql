DROP TABLE registrations;
DROP TABLE invitations;
