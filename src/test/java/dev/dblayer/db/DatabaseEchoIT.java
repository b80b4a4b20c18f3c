package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.dblayer.server.fixtures.Item;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

/**
 * {@code database.echo}: what EclipseLink prints on standard output (its DefaultLogger) while the
 * test unit is deployed on the local PostgreSQL and one row is written and read back. The settings
 * carry a password (the local server trusts loopback, so it is not needed to log in), which must
 * never be printed.
 */
class DatabaseEchoIT {

    private static final String DATABASE = "dblayer_direct_echo";
    private static final String PASSWORD = "echo-secret-" + Long.toHexString(System.nanoTime());

    private DirectDatabase db;

    @AfterEach
    void dropTheDatabase() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    /** Standard output and standard error while the unit is deployed, a row inserted and selected by {@code name}. */
    private String consoleWhileWritingAndReading(String echo, String name) {
        db = DirectDatabase.fresh(DatabaseType.POSTGRESQL, DATABASE);
        DatabaseSettings settings = db.settings("database.echo", echo, "database.password", PASSWORD);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            EntityManagerFactory factory = db.deploy(db.pool(settings), settings);
            EntityManager em = factory.createEntityManager();
            try {
                em.getTransaction().begin();
                em.persist(new Item(name));
                em.getTransaction().commit();
                em.createQuery("SELECT i FROM Item i WHERE i.name = :name", Item.class)
                        .setParameter("name", name).getSingleResult();
            } finally {
                em.close();
                factory.close();
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        out.print(printed); // keep it in the test's output file
        return printed;
    }

    private static boolean hasStatement(String console, String start) {
        return console.toUpperCase(Locale.ROOT).contains(start);
    }

    @Test
    void falsePrintsNoSql() {
        String console = consoleWhileWritingAndReading("false", "quiet-row");
        assertFalse(hasStatement(console, "INSERT INTO DBL_ITEM"), "echo=false prints no INSERT:\n" + console);
        assertFalse(hasStatement(console, "FROM DBL_ITEM"), "echo=false prints no SELECT:\n" + console);
        assertFalse(console.contains("quiet-row"), "echo=false prints no bound value:\n" + console);
        assertFalse(console.contains(PASSWORD), "the password is never printed");
    }

    @Test
    void truePrintsTheStatementsWithoutTheirValues() {
        String console = consoleWhileWritingAndReading("true", "statement-row");
        assertTrue(hasStatement(console, "INSERT INTO DBL_ITEM (NAME) VALUES (?)"),
                "echo=true prints the INSERT:\n" + console);
        assertTrue(hasStatement(console, "SELECT ID, NAME FROM DBL_ITEM WHERE (NAME = ?)"),
                "echo=true prints the SELECT:\n" + console);
        assertFalse(console.contains("statement-row"), "echo=true prints no bound value:\n" + console);
        assertFalse(console.contains(PASSWORD), "the password is never printed");
    }

    @Test
    void debugPrintsTheStatementsWithTheirValues() {
        String console = consoleWhileWritingAndReading("debug", "bound-row");
        assertTrue(hasStatement(console, "INSERT INTO DBL_ITEM (NAME) VALUES (?)"),
                "echo=debug prints the INSERT:\n" + console);
        assertTrue(hasStatement(console, "SELECT ID, NAME FROM DBL_ITEM WHERE (NAME = ?)"),
                "echo=debug prints the SELECT:\n" + console);
        assertTrue(console.contains("bind => [bound-row]"), "echo=debug prints the bound value:\n" + console);
        assertFalse(console.contains(PASSWORD), "the password is never printed");
    }
}
