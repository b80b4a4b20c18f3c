-- dblayer's migration tests: a table with rows, on PostgreSQL and MySQL alike
CREATE TABLE mig_item (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL);
INSERT INTO mig_item (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three');
