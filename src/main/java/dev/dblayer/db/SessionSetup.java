package dev.dblayer.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

import org.eclipse.persistence.sequencing.NativeSequence;
import org.eclipse.persistence.sessions.Session;

/**
 * dblayer's customization of the unit's EclipseLink session: {@link QueryRetry}, and
 * {@link PrimaryKeys#GENERATOR} as {@code database.pk-mode} says (an identity column, or ids from
 * the {@link PrimaryKeyGenerator}).
 *
 * <p>EclipseLink takes it as an instance of its customizer interface, whose name depends on the
 * version the server brings: {@code org.eclipse.persistence.sessions.SessionCustomizer} in 5.0
 * (Payara 7), {@code org.eclipse.persistence.config.SessionCustomizer} alone in Payara Server 6's
 * 4.0.1 build, both in 4.0.7 and later 4.0 releases (the second extends the first). {@link #of}
 * implements the one the server has, so that the jar, built against neither, runs on all of them.
 */
final class SessionSetup implements InvocationHandler {

    /** The customizer interface's names, the most specific first. */
    private static final List<String> CUSTOMIZERS = List.of(
            "org.eclipse.persistence.config.SessionCustomizer",
            "org.eclipse.persistence.sessions.SessionCustomizer");

    private final DatabaseSettings.PkMode pkMode;
    private final PrimaryKeyGenerator generator;

    private SessionSetup(DatabaseSettings.PkMode pkMode, PrimaryKeyGenerator generator) {
        this.pkMode = pkMode;
        this.generator = generator;
    }

    /** The value of {@code eclipselink.session.customizer}: a customizer of the server's EclipseLink. */
    static Object of(DatabaseSettings.PkMode pkMode, PrimaryKeyGenerator generator) {
        ClassLoader loader = SessionSetup.class.getClassLoader();
        return Proxy.newProxyInstance(loader, new Class<?>[] {customizerInterface(loader)},
                new SessionSetup(pkMode, generator));
    }

    private static Class<?> customizerInterface(ClassLoader loader) {
        for (String name : CUSTOMIZERS) {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException absentInThisVersion) {
                // the next name
            }
        }
        throw new IllegalStateException("EclipseLink has none of the session customizer interfaces " + CUSTOMIZERS
                + "; dblayer needs EclipseLink 4.0 or 5.0");
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) {
        return switch (method.getName()) {
            case "customize" -> {
                customize((Session) arguments[0]);
                yield null;
            }
            case "equals" -> proxy == arguments[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "dblayer's session setup (" + pkMode + ")";
        };
    }

    void customize(Session session) {
        QueryRetry.apply(session);
        session.getLogin().addSequence(switch (pkMode) {
            // identity where the platform has it (both of dblayer's): the database numbers the row
            case AUTOINCREMENT -> new NativeSequence(PrimaryKeys.GENERATOR, 1, true);
            case SNOWFLAKE -> new KeySequence(generator);
        });
    }
}
