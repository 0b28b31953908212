DROP TABLE answers;
DROP TABLE questions;
