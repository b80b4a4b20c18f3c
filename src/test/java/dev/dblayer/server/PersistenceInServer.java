package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

import javax.naming.InitialContext;
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
import jakarta.transaction.UserTransaction;

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
        assertEquals("true", first[2], "two beans in one request share one EntityManager");
        assertEquals("true", second[2], "two beans in the next request share one EntityManager");
        assertEquals("null", second[0], "the next request's EntityManager is a fresh one: it lacks the mark "
                + first[1] + " that the first request gave its EntityManager");
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
        assertTrue(dev.dblayer.db.DatabaseProbes.isDeployed(database), "the persistence unit was deployed when the application started");
        assertEquals("bigint", columnType("dbl_item", "id"), "a Long identity id is a BIGINT");
        assertEquals(36, columnLength("dbl_token", "id"), "a UUID id is a 36-character string");
    }

    @Test
    void commitsWhenMethodReturns() throws SQLException {
        String name = unique("commit");
        Item item = items.create(name);
        assertNotNull(item.getId(), "the identity id was assigned");
        assertEquals(1, count(name), "the row is committed when the method returns");
        assertTrue(em.contains(item), "the entity stays managed by the request's EntityManager after commit");
        em.clear();
        assertEquals(name, items.find(item.getId()).getName(), "the committed row is read back by its id");
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
        assertEquals(1, count(outer), "the outer call's row is committed");
        assertEquals(1, count(inner), "the joined inner call's row is committed with it");

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

    /**
     * The server's own JTA interceptor is bound to the same annotation and runs first, but it only
     * looks at JTA transactions. A JTA transaction without a resource-local one, and the other way
     * round, show that dblayer's interceptor decides on the EntityManager's transaction.
     */
    @Test
    void dblayerEnforcesMandatoryNeverAndSupportsOnTheEntityManagersTransaction() throws Exception {
        UserTransaction jta = (UserTransaction) new InitialContext().lookup("java:comp/UserTransaction");
        jta.begin();
        try {
            TransactionalException refused = assertThrows(TransactionalException.class, () -> items.mandatory(),
                    "MANDATORY with a JTA transaction but none on the EntityManager is refused");
            assertTrue(refused.getMessage().startsWith("dblayer:"), "dblayer refused it: " + refused.getMessage());
            assertFalse(items.supports(), "SUPPORTS runs without the EntityManager's transaction under a JTA one");
        } finally {
            jta.rollback();
        }
        em.getTransaction().begin();
        try {
            TransactionalException refused = assertThrows(TransactionalException.class, () -> items.never(),
                    "NEVER while the EntityManager has a transaction (and JTA has none) is refused");
            assertTrue(refused.getMessage().startsWith("dblayer:"), "dblayer refused it: " + refused.getMessage());
            assertTrue(items.supports(), "SUPPORTS runs in the EntityManager's transaction");
        } finally {
            em.getTransaction().rollback();
        }
        assertFalse(items.never(), "NEVER runs without a transaction");
        assertThrows(TransactionalException.class, () -> items.mandatory(), "MANDATORY without any transaction");
    }

    @Test
    void requiresNewRunsOnAnEntityManagerOfItsOwnAndTheCallersComesBack() {
        assertEquals("null true caller", items.markSeenAcrossRequiresNew(),
                "inside REQUIRES_NEW the injected EntityManager is a fresh one (no caller's mark) in a transaction;"
                        + " afterwards it is the caller's again");
    }

    @Test
    void requiresNewCommitsOnItsOwnWhileTheCallerRollsBack() throws SQLException {
        String outer = unique("outer");
        String audit = unique("audit");
        assertThrows(IllegalStateException.class, () -> items.writeAuditThenFail(outer, audit),
                "the caller's exception reaches the test");
        assertEquals(0, count(outer), "the caller's row is rolled back");
        assertEquals(1, count(audit), "the REQUIRES_NEW row committed on its own");
        assertEquals(0, activeConnections(), "both units of work returned their connections");
    }

    @Test
    void requiresNewRollsBackOnItsOwnWhileTheCallerCommits() throws SQLException {
        String outer = unique("outer");
        String failing = unique("inner-failing");
        items.writeWhileRequiresNewFails(outer, failing);
        assertEquals(1, count(outer), "the caller's row is committed");
        assertEquals(0, count(failing), "the failed REQUIRES_NEW row is rolled back");
    }

    @Test
    void notSupportedSuspendsTheCallersTransaction() throws SQLException {
        String outer = unique("outer");
        String after = unique("after");
        assertEquals("false 0 true", items.writeAroundNotSupported(outer, after),
                "NOT_SUPPORTED runs without a transaction and does not see the caller's uncommitted row;"
                        + " the caller's transaction is active again afterwards");
        assertEquals(2, count(outer) + count(after), "the caller's transaction committed both rows");
    }

    @Test
    void queriesDoNotFlushPendingChanges() throws SQLException {
        String name = unique("pending");
        assertEquals("0 1", items.countBeforeAndAfterFlush(name),
                "flush mode COMMIT: a query in the transaction neither flushes nor sees the pending insert;"
                        + " after an explicit flush it does");
        assertEquals(1, count(name), "the row is committed");
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

    private int activeConnections() {
        return database.poolStatistics().orElseThrow().active();
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
