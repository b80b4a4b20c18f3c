-- long enough that the other instances wait for it
SELECT pg_sleep(2);
INSERT INTO mig_item (id, name, label) VALUES (4, 'four', 'slow');
