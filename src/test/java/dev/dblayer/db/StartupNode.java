package dev.dblayer.db;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.MapConfig;
import jakarta.persistence.EntityManager;

/**
 * One application instance for {@link ConcurrentStartupIT}, run in a JVM of its own by
 * {@link dev.dblayer.testsupport.JavaProcess}: sleeps until an agreed wall-clock millisecond, then
 * starts {@link Database} with schema generation {@code create} and {@code database.fail-fast=true}
 * on the unit {@code startup} (fixtures/startup-persistence.xml), opens an EntityManager, prints
 * {@link #READY} and exits 0. Every java.util.logging record is printed to standard output, one
 * line each ({@code LEVEL logger: message}, then the stack trace), so the test sees every warning.
 *
 * <p>Arguments: database type ({@code postgresql} or {@code mysql}), database name, the start
 * instant (epoch milliseconds), this node's label, and optionally migration locations: then schema
 * generation is {@code migrate} on a pool of two ({@link ConcurrentMigrationIT}) and the node counts
 * the rows of {@code mig_item}. System property {@code node.eclipselink.level}
 * sets the level of EclipseLink's loggers (default INFO).
 */
public final class StartupNode {

    /** Printed once the instance is up, followed by the label and figures. */
    public static final String READY = "startup-node ready";
    static final String UNIT = "startup";
    /** Held, so that their levels stay set: java.util.logging keeps loggers only weakly. */
    private static final Logger DBLAYER = Logger.getLogger("dev.dblayer");
    private static final Logger ECLIPSELINK = Logger.getLogger("org.eclipse.persistence");

    private StartupNode() {
    }

    public static void main(String[] args) throws Exception {
        DatabaseType type = DatabaseType.valueOf(args[0].toUpperCase(Locale.ROOT));
        String database = args[1];
        long startAt = Long.parseLong(args[2]);
        String label = args[3];
        logToStandardOutput(Level.parse(System.getProperty("node.eclipselink.level", "INFO")));
        try {
            Map<String, String> settings = new HashMap<>(LocalDatabases.settings(type, database));
            settings.put(DatabaseSettings.SCHEMA_GENERATION, "create");
            settings.put(DatabaseSettings.FAIL_FAST, "true");
            settings.put(DatabaseSettings.PERSISTENCE_UNIT, UNIT);
            // a pool of one: whatever startup needs beyond it must not come from the pool
            settings.put(DatabaseSettings.POOL_SIZE, "1");
            settings.put(DatabaseSettings.POOL_MAX_OVERFLOW, "0");
            String migrations = args.length > 4 ? args[4] : null;
            if (migrations != null) {
                // Flyway holds two connections: the smallest pool that migrates
                settings.put(DatabaseSettings.SCHEMA_GENERATION, "migrate");
                settings.put(DatabaseSettings.POOL_SIZE, "2");
                settings.put("database.migration.locations", migrations);
                settings.put("database.migration.placeholders", "labelPrefix=v:");
            }
            ClassLoader application = application();
            warmUp(type, application);

            long late = sleepUntil(startAt);
            Thread.currentThread().setContextClassLoader(application);
            long began = System.nanoTime();
            Database started = Databases.start(new MapConfig(settings));
            EntityManager em = started.entityManagerFactory().createEntityManager();
            try {
                if (migrations == null) {
                    em.createQuery("SELECT COUNT(c) FROM Customer c").getSingleResult();
                } else {
                    em.createNativeQuery("SELECT COUNT(*) FROM mig_item").getSingleResult();
                }
            } finally {
                em.close();
            }
            long upMillis = (System.nanoTime() - began) / 1_000_000;
            System.out.println(READY + " " + label + " late=" + late + "ms up=" + upMillis + "ms");
            Databases.close(started);
            System.out.flush();
            System.exit(0);
        } catch (Throwable e) {
            System.out.println("startup-node " + label + " failed:");
            e.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
    }

    /** The application's class loader: the test class path plus a persistence.xml declaring the unit {@code startup}. */
    private static ClassLoader application() throws Exception {
        Path root = Files.createTempDirectory("startup-node-");
        root.toFile().deleteOnExit();
        Path metaInf = Files.createDirectories(root.resolve("META-INF"));
        metaInf.toFile().deleteOnExit();
        try (InputStream unit = StartupNode.class.getResourceAsStream("/fixtures/startup-persistence.xml")) {
            Files.copy(unit, metaInf.resolve("persistence.xml"));
        }
        metaInf.resolve("persistence.xml").toFile().deleteOnExit();
        return new URLClassLoader(new URL[] {root.toUri().toURL()}, StartupNode.class.getClassLoader());
    }

    /** Loads the classes startup needs before the agreed instant, so that the instances race in the database. */
    private static void warmUp(DatabaseType type, ClassLoader application) throws ClassNotFoundException {
        Class.forName(type.driverClassName(), true, application);
        Class.forName("org.eclipse.persistence.jpa.PersistenceProvider", true, application);
        Class.forName("com.zaxxer.hikari.HikariDataSource", true, application);
    }

    /** Sleeps until {@code epochMillis}; answers how many milliseconds late this node is (0 or more). */
    private static long sleepUntil(long epochMillis) throws InterruptedException {
        long now;
        while ((now = System.currentTimeMillis()) < epochMillis) {
            Thread.sleep(Math.min(epochMillis - now, 50));
        }
        return now - epochMillis;
    }

    private static void logToStandardOutput(Level eclipseLinkLevel) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        Handler handler = new ConsoleHandler() {
            {
                setOutputStream(System.out);
            }
        };
        handler.setLevel(Level.ALL);
        handler.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord record) {
                StringBuilder line = new StringBuilder().append(record.getLevel()).append(' ')
                        .append(record.getLoggerName()).append(": ").append(formatMessage(record)).append('\n');
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    line.append(trace);
                }
                return line.toString();
            }
        });
        root.addHandler(handler);
        DBLAYER.setLevel(Level.FINE);
        ECLIPSELINK.setLevel(eclipseLinkLevel);
    }
}
