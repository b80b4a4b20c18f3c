package dev.dblayer.db;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sequencing.NativeSequence;
import org.eclipse.persistence.sessions.Session;

/**
 * dblayer's customization of the unit's EclipseLink session: {@link QueryRetry}, and
 * {@link PrimaryKeys#GENERATOR} as {@code database.pk-mode} says (an identity column, or ids from
 * the {@link PrimaryKeyGenerator}).
 */
final class SessionSetup implements SessionCustomizer {

    private final DatabaseSettings.PkMode pkMode;
    private final PrimaryKeyGenerator generator;

    SessionSetup(DatabaseSettings.PkMode pkMode, PrimaryKeyGenerator generator) {
        this.pkMode = pkMode;
        this.generator = generator;
    }

    @Override
    public void customize(Session session) {
        new QueryRetry().customize(session);
        session.getLogin().addSequence(switch (pkMode) {
            // identity where the platform has it (both of dblayer's): the database numbers the row
            case AUTOINCREMENT -> new NativeSequence(PrimaryKeys.GENERATOR, 1, true);
            case SNOWFLAKE -> new KeySequence(generator);
        });
    }
}
