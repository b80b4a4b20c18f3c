-- a column added to a table that has rows, and filled (with a placeholder's value)
ALTER TABLE mig_item ADD COLUMN label VARCHAR(100);
UPDATE mig_item SET label = CONCAT('${labelPrefix}', name);
ALTER TABLE mig_item ADD COLUMN counter BIGINT NOT NULL DEFAULT 0;
