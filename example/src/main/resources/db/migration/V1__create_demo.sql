-- The demo's tables as database.schema-generation=create makes them on PostgreSQL (started from
-- pg_dump --schema-only of such a database, docs/migrations.md), and a first user with a note.
CREATE TABLE demo_user (
    id BIGSERIAL PRIMARY KEY,
    username VARCHAR(64) NOT NULL,
    CONSTRAINT demo_user_username_key UNIQUE (username)
);

CREATE TABLE demo_note (
    id VARCHAR(36) PRIMARY KEY,
    text VARCHAR(200) NOT NULL,
    owner_id BIGINT,
    CONSTRAINT fk_demo_note_owner_id FOREIGN KEY (owner_id) REFERENCES demo_user (id)
);

CREATE TABLE demo_increment (
    id VARCHAR(64) PRIMARY KEY,
    counter VARCHAR(64) NOT NULL
);
CREATE INDEX demo_increment_counter ON demo_increment (counter);

INSERT INTO demo_user (username) VALUES ('welcome');
INSERT INTO demo_note (id, text, owner_id)
    SELECT '00000000-0000-4000-8000-000000000001', 'Welcome to the demo.', id FROM demo_user WHERE username = 'welcome';
