package dev.dblayer.migration;

/**
 * A migration failed, or the schema is not what the migrations make it: the message names the
 * script and gives the database's own message (never a statement's text, which may hold secrets).
 */
public class MigrationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
