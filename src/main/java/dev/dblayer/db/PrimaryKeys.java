package dev.dblayer.db;

/**
 * Primary keys that follow {@code database.pk-mode}: name {@link #GENERATOR} in an entity's id,
 * <pre>{@code
 * @Id @GeneratedValue(generator = PrimaryKeys.GENERATOR)
 * private Long id;
 * }</pre>
 * and the id is a {@code BIGINT} identity column with {@code database.pk-mode=autoincrement} (the
 * default: the database numbers the rows), or a 64-bit snowflake id made by the application before
 * the insert with {@code database.pk-mode=snowflake} (a plain {@code BIGINT} column; see
 * {@code dev.dblayer.snowflake.Snowflake}). The entity's code is the same in both modes.
 */
public final class PrimaryKeys {

    /** The generator name for {@code @GeneratedValue(generator = ...)}. */
    public static final String GENERATOR = "dblayer-pk";

    private PrimaryKeys() {
    }
}
