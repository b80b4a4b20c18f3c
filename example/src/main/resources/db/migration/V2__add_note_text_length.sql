-- A column added to a table that has rows, and filled for them.
ALTER TABLE demo_note ADD COLUMN text_length INTEGER;
UPDATE demo_note SET text_length = char_length(text);
