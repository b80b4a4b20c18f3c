package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.dblayer.internal.SettingsReader;
import jakarta.persistence.EntityManagerFactory;

/**
 * Schema generation when the test unit is deployed on the local PostgreSQL and MariaDB, in this
 * JVM, through the module's own pool: no server.
 */
class PersistenceUnitsIT {

    private static final String DATABASE = "dblayer_direct_schema";

    private DirectDatabase db;

    @AfterEach
    void dropTheDatabase() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private EntityManagerFactory deploy(String... settings) {
        DatabaseSettings read = db.settings(settings);
        HikariDataSource pool = db.pool(read);
        return db.deploy(pool, read);
    }

    @Test
    void choosesTheOnlyUnitOnTheClassPath() {
        DatabaseSettings settings = DatabaseSettings.read(SettingsReader.of(java.util.Map.of()));
        assertEquals(DirectDatabase.UNIT, PersistenceUnits.choose(settings, getClass().getClassLoader()).name(),
                "the test class path declares only the unit \"direct\"");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void createGeneratesTheTablesWithBigintIdentityIds(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        deploy();
        assertTrue(db.tableExists("dbl_item"), "dbl_item is created on deploy");
        assertTrue(db.tableExists("dbl_token"), "dbl_token is created on deploy");
        assertEquals("bigint", db.columnType("dbl_item", "id"), "a Long identity id is a BIGINT on " + type);
        assertEquals(Optional.of(0L), db.rows("dbl_item"), "the new table is empty");
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void createAgainLeavesExistingRowsAlone(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        deploy().close();
        db.insertItem("kept");
        deploy();
        assertEquals(1, db.itemsNamed("kept"), "a second deploy with create keeps the rows on " + type);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void dropAndCreateEmptiesTheTables(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        deploy().close();
        db.insertItem("dropped");
        deploy("database.schema-generation", "drop-and-create", "database.schema-generation.allow-drop", "true");
        assertEquals(Optional.of(0L), db.rows("dbl_item"),
                "drop-and-create leaves the table there and empty on " + type);
    }

    @ParameterizedTest
    @EnumSource(DatabaseType.class)
    void noneCreatesNothingOnAFreshDatabase(DatabaseType type) throws Exception {
        db = DirectDatabase.fresh(type, DATABASE);
        deploy("database.schema-generation", "none");
        assertFalse(db.tableExists("dbl_item"), "schema generation none creates no dbl_item on " + type);
        assertFalse(db.tableExists("dbl_token"), "schema generation none creates no dbl_token on " + type);
    }
}
