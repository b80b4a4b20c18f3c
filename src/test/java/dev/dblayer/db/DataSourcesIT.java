package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.dblayer.db.TransactionDemarcation.RollbackRule;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.MapConfig;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional.TxType;

/**
 * Named data sources on real servers: the main database and {@code reports} on the shared
 * PostgreSQL, {@code legacy} on the shared MariaDB; each with a pool and a unit of its own. A
 * transaction over two of them commits both or neither, except when a commit fails after an earlier
 * one succeeded: then {@link PartialCommitException} says which committed. That failure is made
 * real with a deferred unique constraint on {@code reports}, which the database checks only at
 * COMMIT, after every flush has passed.
 */
class DataSourcesIT {

    private static final String MAIN = "dblayer_src_main";
    private static final String REPORTS = "dblayer_src_reports";
    private static final String LEGACY = "dblayer_src_legacy";

    private Database database;
    private EntityManagerProducer requests;

    @BeforeEach
    void start() {
        LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, MAIN);
        LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, REPORTS);
        LocalDatabases.dropDatabase(DatabaseType.MYSQL, LEGACY);
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, MAIN));
        settings.putAll(Map.of(
                "database.create-database", "true",
                "database.pool.size", "3",
                "database.sources", "reports,legacy",
                "database.sources.reports.host", "127.0.0.1",
                "database.sources.reports.schema", REPORTS,
                "database.sources.reports.pool.size", "2",
                "database.sources.legacy.type", "mysql",
                "database.sources.legacy.host", "127.0.0.1",
                "database.sources.legacy.schema", LEGACY));
        database = new Database(new MapConfig(settings));
        database.start();
        requests = new EntityManagerProducer(database);
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
        LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, MAIN);
        LocalDatabases.dropDatabase(DatabaseType.POSTGRESQL, REPORTS);
        LocalDatabases.dropDatabase(DatabaseType.MYSQL, LEGACY);
    }

    @Test
    void eachSourceHasItsOwnSettingsPoolAndUnitAndWritesOnlyToItsDatabase() throws Exception {
        assertEquals(List.of("reports", "legacy"), List.copyOf(database.sourceNames()));
        Database reports = database.source("reports");
        Database legacy = database.source("legacy");
        assertEquals(REPORTS, reports.settings().database());
        assertEquals(DatabaseType.MYSQL, legacy.settings().type());
        assertEquals(3306, legacy.settings().port(), "the MySQL source has MySQL's port, not the main's");
        assertNotSame(database.dataSource(), reports.dataSource(), "a pool of its own");
        assertEquals(2 + 20, reports.poolStatistics().orElseThrow().max(), "its own pool size, the main's overflow");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> database.source("nosuch"));
        assertTrue(unknown.getMessage().contains("[reports, legacy]"), unknown.getMessage());

        inTransaction(units -> units.current("reports").persist(new Item("only-in-reports")));
        inTransaction(units -> units.current("legacy").persist(new Item("only-in-legacy")));
        inTransaction(units -> units.current().persist(new Item("only-in-main")));

        assertEquals(Map.of("only-in-main", 1L), items(DatabaseType.POSTGRESQL, MAIN));
        assertEquals(Map.of("only-in-reports", 1L), items(DatabaseType.POSTGRESQL, REPORTS));
        assertEquals(Map.of("only-in-legacy", 1L), items(DatabaseType.MYSQL, LEGACY));
    }

    @Test
    void aTransactionOverThreeDatabasesCommitsAllOrRollsBackAll() throws Exception {
        inTransaction(units -> {
            units.current().persist(new Item("together"));
            units.current("reports").persist(new Item("together"));
            units.current("legacy").persist(new Item("together"));
        });
        for (Map<String, Long> items : List.of(items(DatabaseType.POSTGRESQL, MAIN),
                items(DatabaseType.POSTGRESQL, REPORTS), items(DatabaseType.MYSQL, LEGACY))) {
            assertEquals(Map.of("together", 1L), items, "committed on every database");
        }

        assertThrows(IllegalStateException.class, () -> inTransaction(units -> {
            units.current().persist(new Item("never"));
            units.current("reports").persist(new Item("never"));
            units.current("legacy").persist(new Item("never"));
            units.current("legacy").flush(); // the SQL has run on MariaDB too
            throw new IllegalStateException("the method fails after writing to all three");
        }));
        assertEquals(Map.of("together", 1L), items(DatabaseType.POSTGRESQL, MAIN), "rolled back on main");
        assertEquals(Map.of("together", 1L), items(DatabaseType.POSTGRESQL, REPORTS), "rolled back on reports");
        assertEquals(Map.of("together", 1L), items(DatabaseType.MYSQL, LEGACY), "rolled back on legacy");
    }

    @Test
    void aFlushThatFailsOnTheSecondDatabaseCommitsNothingOnTheFirst() throws Exception {
        inTransaction(units -> units.current("reports").persist(new Item("taken")));
        assertThrows(RuntimeException.class, () -> inTransaction(units -> {
            units.current().persist(new Item("main-row"));
            units.current("reports").persist(new Item("taken")); // unique name: refused at flush
        }));
        assertEquals(Map.of(), items(DatabaseType.POSTGRESQL, MAIN), "every database is flushed before any commits");
    }

    @Test
    void aCommitThatFailsAfterAnEarlierSucceededIsAPartialCommitThatNamesBoth() throws Exception {
        deferUniqueNames(REPORTS);
        inTransaction(units -> units.current("reports").persist(new Item("taken")));

        PartialCommitException partial = assertThrows(PartialCommitException.class, () -> inTransaction(units -> {
            units.current().persist(new Item("main-row"));
            units.current("reports").persist(new Item("taken")); // passes the flush, fails at COMMIT
            units.current("legacy").persist(new Item("legacy-row"));
        }));
        assertEquals(List.of("main"), partial.committed(), partial.getMessage());
        assertEquals("reports", partial.failed(), partial.getMessage());
        assertEquals(List.of("legacy"), partial.rolledBack(), partial.getMessage());
        assertTrue(partial.getMessage().contains("no two-phase commit"), partial.getMessage());
        assertEquals(Map.of("main-row", 1L), items(DatabaseType.POSTGRESQL, MAIN), "what main committed stays");
        assertEquals(Map.of("taken", 1L), items(DatabaseType.POSTGRESQL, REPORTS), "nothing of it on reports");
        assertEquals(Map.of(), items(DatabaseType.MYSQL, LEGACY), "legacy, after the failure, rolled back");

        // The same failure on the first database to commit: nothing commits, and it is not partial.
        RuntimeException first = assertThrows(RuntimeException.class, () -> inTransaction(units -> {
            units.current("reports").persist(new Item("taken"));
            units.current().persist(new Item("second-main-row"));
        }));
        assertTrue(!(first instanceof PartialCommitException), "nothing committed: " + first);
        assertEquals(Map.of("main-row", 1L), items(DatabaseType.POSTGRESQL, MAIN), "main rolled back");
    }

    @Test
    void closingTheMainDatabaseClosesEverySourcesPool() throws Exception {
        inTransaction(units -> {
            units.current("reports").persist(new Item("opens-reports"));
            units.current("legacy").persist(new Item("opens-legacy"));
        });
        assertTrue(LocalDatabases.sessions(DatabaseType.POSTGRESQL, REPORTS) > 0, "reports' pool is connected");
        assertTrue(LocalDatabases.sessions(DatabaseType.MYSQL, LEGACY) > 0, "legacy's pool is connected");
        database.close();
        database = null;
        assertEquals(0, LocalDatabases.sessions(DatabaseType.POSTGRESQL, REPORTS), "reports' pool closed with main");
        assertEquals(0, LocalDatabases.sessions(DatabaseType.MYSQL, LEGACY), "legacy's pool closed with main");
        assertEquals(0, LocalDatabases.sessions(DatabaseType.POSTGRESQL, MAIN), "main's pool closed");
    }

    @Test
    void eachTransactionIsASpanThatSaysHowItEndedAndWhichDatabasesItUsed() throws Exception {
        List<Map<String, Object>> spans = new java.util.concurrent.CopyOnWriteArrayList<>();
        database.trace(name -> new dev.dblayer.internal.Tracing.Span() {
            private final Map<String, Object> span = new java.util.concurrent.ConcurrentHashMap<>(Map.of("name", name));

            @Override
            public void attribute(String key, String value) {
                span.put(key, value);
            }

            @Override
            public void attribute(String key, long value) {
                span.put(key, value);
            }

            @Override
            public void failed(Throwable error) {
                span.put("failed", error.getClass().getSimpleName());
            }

            @Override
            public void close() {
                spans.add(span);
            }
        });
        deferUniqueNames(REPORTS);
        inTransaction(units -> units.current("reports").persist(new Item("taken")));
        assertThrows(IllegalStateException.class, () -> inTransaction(units -> {
            units.current().persist(new Item("rolled-back"));
            throw new IllegalStateException("fails");
        }));
        assertThrows(PartialCommitException.class, () -> inTransaction(units -> {
            units.current().persist(new Item("main-row"));
            units.current("reports").persist(new Item("taken"));
        }));

        assertEquals(3, spans.size(), "one span a transaction: " + spans);
        assertEquals(Map.of("name", "dblayer.transaction", "dblayer.transaction.outcome", "commit",
                "dblayer.transaction.databases", "reports"), spans.get(0));
        assertEquals(Map.of("name", "dblayer.transaction", "dblayer.transaction.outcome", "rollback",
                "dblayer.transaction.databases", "main", "failed", "IllegalStateException"), spans.get(1));
        assertEquals(Map.of("name", "dblayer.transaction", "dblayer.transaction.outcome", "partial",
                "dblayer.transaction.databases", "main,reports", "failed", "PartialCommitException"), spans.get(2));
    }

    /** Replaces the unique constraint on dbl_item.name with one checked only at COMMIT. */
    private static void deferUniqueNames(String name) throws Exception {
        try (Connection connection = LocalDatabases.connect(DatabaseType.POSTGRESQL, name);
                Statement statement = connection.createStatement()) {
            String constraint;
            try (ResultSet result = statement.executeQuery("SELECT conname FROM pg_constraint"
                    + " WHERE conrelid = 'dbl_item'::regclass AND contype = 'u'")) {
                result.next();
                constraint = result.getString(1);
            }
            statement.execute("ALTER TABLE dbl_item DROP CONSTRAINT " + constraint);
            statement.execute("ALTER TABLE dbl_item ADD CONSTRAINT dbl_item_name_deferred UNIQUE (name)"
                    + " DEFERRABLE INITIALLY DEFERRED");
        }
    }

    /** One request's REQUIRED transaction over {@code work}. */
    private void inTransaction(Consumer<UnitsOfWork> work) throws Exception {
        UnitsOfWork units = requests.unitsOfWork();
        try {
            TransactionDemarcation.execute(units, TxType.REQUIRED, RollbackRule.DEFAULT, () -> {
                work.accept(units);
                return null;
            });
        } finally {
            requests.close(units);
        }
    }

    /** The names in dbl_item with how often each is there. */
    private static Map<String, Long> items(DatabaseType type, String name) throws Exception {
        Map<String, Long> items = new HashMap<>();
        try (Connection connection = LocalDatabases.connect(type, name);
                PreparedStatement query = connection.prepareStatement("SELECT name, COUNT(*) FROM dbl_item GROUP BY name");
                ResultSet result = query.executeQuery()) {
            while (result.next()) {
                items.put(result.getString(1), result.getLong(2));
            }
        }
        return items;
    }
}
