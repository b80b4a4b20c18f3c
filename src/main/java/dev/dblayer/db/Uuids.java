package dev.dblayer.db;

import java.util.UUID;

/**
 * UUID identifiers stored as 36-character strings, so that one entity works on PostgreSQL and
 * MySQL (the original's {@code uuid4_str}):
 * <pre>{@code
 * @Id @Column(length = 36) private String id = Uuids.uuid4();
 * }</pre>
 */
public final class Uuids {

    /** The column length a UUID string needs. */
    public static final int LENGTH = 36;

    private Uuids() {
    }

    /** A new random (version 4) UUID in its canonical lower-case form; never {@code null}. */
    public static String uuid4() {
        return UUID.randomUUID().toString();
    }
}
