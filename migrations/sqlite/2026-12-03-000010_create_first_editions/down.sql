DROP TABLE first_editions;
