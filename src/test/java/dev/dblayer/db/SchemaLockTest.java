package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The schema lock's key and name, derived from the database's name. */
class SchemaLockTest {

    @Test
    void postgresqlKeyIsTheSameForTheSameDatabaseOnEveryInstance() {
        assertEquals(SchemaLock.key(DatabaseType.POSTGRESQL, "shop"), SchemaLock.key(DatabaseType.POSTGRESQL, "shop"),
                "every instance derives the same key from the database name");
        assertTrue(SchemaLock.key(DatabaseType.POSTGRESQL, "shop") instanceof Long,
                "pg_advisory_lock takes a bigint");
    }

    @Test
    void differentDatabasesHaveDifferentLocks() {
        for (DatabaseType type : DatabaseType.values()) {
            assertNotEquals(SchemaLock.key(type, "shop"), SchemaLock.key(type, "shop_test"),
                    "two databases on one " + type + " server do not wait for each other");
        }
    }

    @Test
    void mysqlNameIsReadableAndFitsGetLocksLimit() {
        assertEquals("dblayer.schema:shop", SchemaLock.key(DatabaseType.MYSQL, "shop"),
                "the lock name shows the database it guards");
        String sixtyFour = "d".repeat(64);
        String name = (String) SchemaLock.key(DatabaseType.MYSQL, sixtyFour);
        assertTrue(name.length() <= 64, "GET_LOCK refuses names over 64 characters: " + name);
        assertTrue(name.startsWith("dblayer.schema:"), "a long database name is hashed after the prefix: " + name);
        assertNotEquals(name, SchemaLock.key(DatabaseType.MYSQL, "e".repeat(64)), "hashed names still differ");
    }
}
