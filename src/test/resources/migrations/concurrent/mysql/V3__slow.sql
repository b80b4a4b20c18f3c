-- long enough that the other instances wait for it
SELECT SLEEP(2);
INSERT INTO mig_item (id, name, label) VALUES (4, 'four', 'slow');
