DROP TABLE practical_information;
