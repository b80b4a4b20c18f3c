package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;

import dev.dblayer.db.Database;
import dev.dblayer.server.fixtures.Background;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Items;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.testsupport.Deployments;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.TransactionalException;

/**
 * The persistence layer inside a real server, run for each database by a subclass with its own
 * deployment. Each test method runs in its own HTTP request (Arquillian's servlet protocol).
 */
abstract class PersistenceInServer {

    @Inject
    EntityManager em;

    @Inject
    Items items;

    @Inject
    Database database;

    static WebArchive war(String name, Map<String, String> settings, Class<?> testClass) {
        return Deployments.war(name, settings)
                .addPackage(Item.class.getPackage())
                .addClasses(PersistenceInServer.class, testClass)
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
    }

    @Test
    @RunAsClient
    void eachHttpRequestHasItsOwnEntityManager(@ArquillianResource URL base) throws Exception {
        String[] first = get(base, "probe/entity-manager").split(" ");
        String[] second = get(base, "probe/entity-manager").split(" ");
        assertEquals("true", first[1], "two beans in one request share one EntityManager");
        assertEquals("true", second[1], "two beans in the next request share one EntityManager");
        assertNotEquals(first[0], second[0], "the next request has a new EntityManager (it lacks the first one's mark)");
    }

    @Test
    @RunAsClient
    void endOfRequestRollsBackAnOpenTransactionAndReturnsItsConnection(@ArquillianResource URL base)
            throws Exception {
        String name = unique("forgotten");
        assertEquals("left open", get(base, "probe/forget?name=" + name), "the request left its transaction open");
        assertEquals("0 0", get(base, "probe/state?name=" + name),
                "the open transaction was rolled back (no row) and its connection returned (0 active)");
    }

    @Test
    void injectsAnOpenEntityManager() {
        assertNotNull(em, "an EntityManager is injected");
        assertTrue(em.isOpen(), "the injected EntityManager is open");
        em.setProperty(Items.PROBE, "in-container");
        assertEquals("in-container", items.probe(), "two beans in one request share one EntityManager");
    }

    static String get(URL base, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base.toString()).resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "GET " + path + " answers 200: " + response.body());
        return response.body();
    }

    @Test
    void generatesTheSchemaAtStartupWithBigintIdentityIds() throws SQLException {
        assertTrue(database.isDeployed(), "the persistence unit was deployed when the application started");
        assertEquals("bigint", columnType("dbl_item", "id"), "a Long identity id is a BIGINT");
        assertEquals(36, columnLength("dbl_token", "id"), "a UUID id is a 36-character string");
    }

    @Test
    void commitsWhenMethodReturns() throws SQLException {
        String name = unique("commit");
        Item item = items.create(name);
        assertNotNull(item.getId(), "the identity id was assigned");
        assertEquals(1, count(name), "the row is committed when the method returns");
        assertEquals(name, item.getName(), "the entity stays readable after commit");
    }

    @Test
    void rollsBackOnRuntimeException() throws SQLException {
        String name = unique("rollback");
        assertThrows(IllegalArgumentException.class, () -> items.createThenFail(name),
                "the method's exception reaches the caller");
        assertEquals(0, count(name), "nothing is written when the method throws");
        assertFalse(em.getTransaction().isActive(), "no transaction is left open");
    }

    @Test
    void commitsOnCheckedExceptionUnlessListedInRollbackOn() throws SQLException {
        String committed = unique("checked");
        assertThrows(IOException.class, () -> items.createThenThrowChecked(committed), "checked exception reaches caller");
        assertEquals(1, count(committed), "a checked exception commits by default");

        String rolledBack = unique("rollbackOn");
        assertThrows(IOException.class, () -> items.createThenThrowCheckedRollingBack(rolledBack),
                "checked exception reaches caller");
        assertEquals(0, count(rolledBack), "rollbackOn makes a checked exception roll back");

        String ignored = unique("dontRollbackOn");
        assertThrows(IllegalArgumentException.class, () -> items.createThenThrowIgnored(ignored),
                "exception reaches caller");
        assertEquals(1, count(ignored), "dontRollbackOn makes a runtime exception commit");
    }

    @Test
    void nestedCallsJoinTheOuterTransaction() throws SQLException {
        assertTrue(items.innerJoinsOuter(), "the inner call runs in the outer call's transaction");

        String outer = unique("outer");
        String inner = unique("inner");
        items.createBothJoined(outer, inner);
        assertEquals(1, count(outer) + count(inner) - 1, "both rows are committed together");

        String outerFailing = unique("outer-failing");
        String innerFailing = unique("inner-failing");
        assertThrows(PersistenceException.class, () -> items.createOuterWhileInnerFails(outerFailing, innerFailing),
                "a failed joined call makes the outer commit fail, even when the outer caught the exception");
        assertEquals(0, count(outerFailing) + count(innerFailing), "neither row is written");
    }

    @Test
    void commitFailureReachesTheCaller() throws SQLException {
        String name = unique("duplicate");
        items.create(name);
        PersistenceException error = assertThrows(PersistenceException.class, () -> items.create(name),
                "a unique constraint violated at commit is thrown to the caller");
        assertNotNull(error.getMessage(), "the commit failure says why");
        assertEquals(1, count(name), "only the first row exists");
    }

    @Test
    void honoursMandatoryNeverAndSupports() {
        assertThrows(TransactionalException.class, () -> items.mandatory(),
                "MANDATORY without a transaction is refused");
        assertFalse(items.never(), "NEVER runs without a transaction");
        assertFalse(items.supports(), "SUPPORTS without a caller transaction runs without one");
    }

    @Test
    void roundTripsLongAndUuidIds() {
        Item item = items.create(unique("long-id"));
        em.clear();
        Item found = items.find(item.getId());
        assertEquals(item.getName(), found.getName(), "an item is found again by its Long id");

        Token token = items.createToken(unique("owner"));
        assertEquals(36, token.getId().length(), "the UUID id is the canonical 36-character form");
        UUID.fromString(token.getId());
        em.clear();
        assertEquals(token.getOwner(), items.findToken(token.getId()).getOwner(), "a token is found by its UUID id");
    }

    @Test
    void programmaticTransactionsCommitAndRollBack() throws SQLException {
        assertTrue(em.isOpen(), "EntityManager open");
        String name = unique("programmatic");
        dev.dblayer.db.Transactions transactions = jakarta.enterprise.inject.spi.CDI.current()
                .select(dev.dblayer.db.Transactions.class).get();
        transactions.run(() -> em.persist(new Item(name)));
        assertEquals(1, count(name), "the programmatic transaction committed");

        String failed = unique("programmatic-failed");
        assertThrows(IllegalStateException.class, () -> transactions.run(() -> {
            em.persist(new Item(failed));
            throw new IllegalStateException("boom");
        }), "the work's exception reaches the caller");
        assertEquals(0, count(failed), "the programmatic transaction rolled back");
    }

    @Test
    void activateRequestContextGivesWorkOutsideRequestsItsOwnUnitOfWork() throws Exception {
        Background background = jakarta.enterprise.inject.spi.CDI.current().select(Background.class).get();
        String name = unique("background");
        ExecutorService plainThread = Executors.newSingleThreadExecutor();
        try {
            plainThread.submit(() -> background.create(name)).get(30, TimeUnit.SECONDS);
            assertEquals(1, count(name), "the @ActivateRequestContext @Transactional method committed on a plain thread");

            ExecutionException outside = assertThrows(ExecutionException.class,
                    () -> plainThread.submit(background::entityManagerOpen).get(30, TimeUnit.SECONDS),
                    "without @ActivateRequestContext the EntityManager is not available on a plain thread");
            assertTrue(outside.getCause() instanceof ContextNotActiveException,
                    "the failure says the request context is not active: " + outside.getCause());
        } finally {
            plainThread.shutdownNow();
        }
    }

    private static String unique(String label) {
        return label + "-" + UUID.randomUUID();
    }

    private long count(String name) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM dbl_item WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private String columnType(String table, String column) throws SQLException {
        return columnInfo(table, column, "data_type").toLowerCase();
    }

    private int columnLength(String table, String column) throws SQLException {
        return Integer.parseInt(columnInfo(table, column, "character_maximum_length"));
    }

    private String columnInfo(String table, String column, String what) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT " + what
                        + " FROM information_schema.columns WHERE lower(table_name) = ? AND lower(column_name) = ?"
                        + " AND table_schema = " + (database.settings().type() == dev.dblayer.db.DatabaseType.MYSQL
                                ? "DATABASE()" : "current_schema()"))) {
            query.setString(1, table);
            query.setString(2, column);
            try (ResultSet result = query.executeQuery()) {
                assertTrue(result.next(), "column " + table + "." + column + " exists");
                return result.getString(1);
            }
        }
    }
}
