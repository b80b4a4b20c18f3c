package dev.dblayer.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.dblayer.db.Database;
import dev.dblayer.db.DatabaseSettings;
import dev.dblayer.db.DatabaseType;
import dev.dblayer.db.Databases;
import dev.dblayer.server.fixtures.Ticket;
import dev.dblayer.testsupport.LocalDatabases;
import dev.dblayer.testsupport.MapConfig;
import jakarta.persistence.EntityManager;

/**
 * An entity with {@code @GeneratedValue(generator = PrimaryKeys.GENERATOR)} on both databases: an
 * identity column with {@code database.pk-mode=autoincrement}, snowflake ids made before the insert
 * with {@code database.pk-mode=snowflake}.
 */
class SnowflakeEntitiesIT {

    private static final String NAME = "dblayer_pk_mode";

    private static Map<String, String> settings(DatabaseType type, String... extra) {
        Map<String, String> values = new HashMap<>(LocalDatabases.settings(type, NAME));
        for (int i = 0; i < extra.length; i += 2) {
            values.put(extra[i], extra[i + 1]);
        }
        return values;
    }

    private static List<Long> persistThree(Database database) {
        EntityManager em = database.entityManagerFactory().createEntityManager();
        try {
            em.getTransaction().begin();
            List<Ticket> tickets = List.of(new Ticket("a"), new Ticket("b"), new Ticket("c"));
            tickets.forEach(em::persist);
            em.getTransaction().commit();
            List<Long> ids = new ArrayList<>();
            tickets.forEach(ticket -> ids.add(ticket.getId()));
            em.clear();
            for (Long id : ids) {
                assertEquals(id, em.find(Ticket.class, id).getId(), "the row is read back by its id " + id);
            }
            return ids;
        } finally {
            em.close();
        }
    }

    /** The id column's type, and whether the database numbers it (an identity, serial or auto-increment). */
    private static String[] idColumn(DatabaseType type) throws SQLException {
        String sql = type == DatabaseType.POSTGRESQL
                ? "SELECT data_type, coalesce(column_default, '') FROM information_schema.columns"
                        + " WHERE table_name = 'dbl_ticket' AND column_name = 'id'"
                : "SELECT data_type, extra FROM information_schema.columns"
                        + " WHERE table_schema = '" + NAME + "' AND table_name = 'dbl_ticket' AND column_name = 'id'";
        try (Connection connection = LocalDatabases.connect(type, NAME);
                PreparedStatement statement = connection.prepareStatement(sql);
                ResultSet row = statement.executeQuery()) {
            assertTrue(row.next(), "table dbl_ticket has an id column");
            return new String[] {row.getString(1), row.getString(2)};
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void autoincrementIsABigintTheDatabaseNumbers(DatabaseType type) throws SQLException {
        LocalDatabases.dropDatabase(type, NAME);
        LocalDatabases.ensureDatabase(type, NAME);
        Database database = Databases.start(new MapConfig(settings(type)));
        try {
            List<Long> ids = persistThree(database);
            // EclipseLink inserts the three in an order of its own, so sort
            assertEquals(List.of(1L, 2L, 3L), ids.stream().sorted().toList(), "the database numbers the rows 1, 2, 3");
            String[] column = idColumn(type);
            assertEquals("bigint", column[0], "the id is a BIGINT");
            assertTrue(column[1].contains("nextval") || column[1].contains("auto_increment"),
                    "the database generates it: " + column[1]);
        } finally {
            Databases.close(database);
            LocalDatabases.dropDatabase(type, NAME);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void snowflakeIdsAreMadeBeforeTheInsertIntoAPlainBigint(DatabaseType type) throws SQLException {
        LocalDatabases.dropDatabase(type, NAME);
        LocalDatabases.ensureDatabase(type, NAME);
        MapConfig config = new MapConfig(settings(type, DatabaseSettings.PK_MODE, "snowflake",
                SnowflakeSettings.DATACENTER_ID, "2", SnowflakeSettings.WORKER_ID, "5"));
        Snowflake snowflake = new Snowflake(config, null); // a fixed node id needs no Redis
        Database database = Databases.start(config, snowflake);
        Instant before = Instant.now().minusMillis(1);
        try {
            List<Long> ids = persistThree(database);
            for (Long id : ids) {
                SnowflakeId parts = SnowflakeId.parse(id);
                assertEquals(2, parts.datacenterId(), "datacenter of " + parts);
                assertEquals(5, parts.workerId(), "worker of " + parts);
                assertFalse(parts.time().isBefore(before) || parts.time().isAfter(Instant.now().plus(Duration.ofSeconds(1))),
                        "made now: " + parts);
            }
            assertTrue(ids.get(0) < ids.get(1) && ids.get(1) < ids.get(2), "in order: " + ids);
            String[] column = idColumn(type);
            assertEquals("bigint", column[0], "the id is a BIGINT");
            assertFalse(column[1].contains("nextval") || column[1].contains("auto_increment"),
                    "the database does not number it: " + column[1]);
        } finally {
            Databases.close(database);
            snowflake.close();
            LocalDatabases.dropDatabase(type, NAME);
        }
    }
}
