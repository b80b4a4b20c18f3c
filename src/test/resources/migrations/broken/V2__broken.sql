-- the first statement works, the second fails: what is left of the first depends on the database
CREATE TABLE mig_partial (id BIGINT PRIMARY KEY);
INSERT INTO mig_missing (id) VALUES (1);
