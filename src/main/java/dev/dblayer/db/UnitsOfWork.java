package dev.dblayer.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

import dev.dblayer.internal.Tracing;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityTransaction;
import jakarta.persistence.RollbackException;

/**
 * The units of work of one request: the request's own, and above it, while a {@code REQUIRES_NEW}
 * or {@code NOT_SUPPORTED} method runs, a fresh one of that method's own. A unit of work holds one
 * {@link EntityManager} per database it used (the main one, a named source), each opened on first
 * use. The injected {@code EntityManager}s are {@link #view views} that always reach the top unit's,
 * so the same {@code @Inject EntityManager} follows the methods in and out.
 *
 * <p>A transaction of a unit of work spans every database it uses: an EntityManager opened while
 * it runs begins its own transaction at once, and the commit flushes every one before it commits
 * any, then commits them in the order the transaction first used them. There is no two-phase
 * commit: when a later commit fails after an earlier one succeeded, the rest are rolled back and
 * {@link PartialCommitException} says which committed (docs/databases.md).
 *
 * <p>The replica's EntityManager ({@code @Replica}) is outside the units of work: one per request,
 * never in a transaction, read-only ({@link ReadOnlyEntityManager}).
 *
 * <p>One request runs on one thread at a time: not thread-safe, and not meant to be.
 */
class UnitsOfWork {

    private static final Logger LOG = Logger.getLogger(UnitsOfWork.class.getName());
    /** The main database's key among the sources. */
    static final String MAIN = "";

    private final Function<String, EntityManager> opener;
    private final Supplier<EntityManager> replicaOpener;
    private final TransactionsInFlight transactions;
    private final Supplier<Tracing> tracing;
    private final Deque<Unit> units = new ArrayDeque<>();
    private EntityManager replica;

    /** One unit of work: its EntityManagers by source, in the order of first use, and its transaction's state. */
    private static final class Unit {
        final Map<String, EntityManager> open = new LinkedHashMap<>();
        boolean inTransaction;
        boolean rollbackOnly;
    }

    /** For CDI's proxy. */
    UnitsOfWork() {
        this.opener = null;
        this.replicaOpener = null;
        this.transactions = null;
        this.tracing = null;
    }

    /** Units of the main database alone, opening each EntityManager with {@code opener}. */
    UnitsOfWork(Supplier<EntityManager> opener) {
        this(source -> opener.get(), opener, new TransactionsInFlight());
    }

    /** Units of the main database alone, their running transactions counted in {@code transactions}. */
    UnitsOfWork(Supplier<EntityManager> opener, TransactionsInFlight transactions) {
        this(source -> opener.get(), opener, transactions);
    }

    /**
     * @param opener        a new EntityManager of a source ({@link #MAIN} for the main database)
     * @param replicaOpener a new EntityManager of the replica (of the main database without one)
     * @param transactions  where the running transactions are counted
     */
    UnitsOfWork(Function<String, EntityManager> opener, Supplier<EntityManager> replicaOpener,
            TransactionsInFlight transactions) {
        this(opener, replicaOpener, transactions, () -> Tracing.NONE);
    }

    /** As above, with the spans of the transactions sent to {@code tracing}'s. */
    UnitsOfWork(Function<String, EntityManager> opener, Supplier<EntityManager> replicaOpener,
            TransactionsInFlight transactions, Supplier<Tracing> tracing) {
        this.opener = opener;
        this.replicaOpener = replicaOpener;
        this.transactions = transactions;
        this.tracing = tracing;
    }

    /** Where the spans of these units' transactions go. */
    Tracing tracing() {
        return tracing.get();
    }

    /** The databases the current unit of work has used, in order ({@code main} for the main database). */
    List<String> databasesUsed() {
        return named(new ArrayList<>(top().open.keySet()));
    }

    /** Where the transactions begun on these units are counted while they run. */
    TransactionsInFlight transactions() {
        return transactions;
    }

    /** What the main database's views call themselves. */
    static final String VIEW = "dblayer's request EntityManager";

    /** An EntityManager that forwards every call to the main database's of the {@link #current()} unit. */
    EntityManager view() {
        return forwarding(this::current, VIEW);
    }

    /** A view that forwards to the EntityManager {@code current} gives at each call. */
    static EntityManager forwarding(Supplier<EntityManager> current, String description) {
        return (EntityManager) Proxy.newProxyInstance(EntityManager.class.getClassLoader(),
                new Class<?>[] {EntityManager.class}, new Forwarding(current, description));
    }

    /** The request's replica EntityManager, read-only, opened on first use. */
    EntityManager replica() {
        if (replica == null) {
            replica = ReadOnlyEntityManager.of(replicaOpener.get());
        }
        return replica;
    }

    /** The main database's EntityManager of the unit of work now running: the request's own, opened on first use. */
    EntityManager current() {
        return current(MAIN);
    }

    /**
     * {@code source}'s EntityManager of the unit of work now running, opened on first use; one
     * opened while the unit's transaction runs begins its own transaction in it.
     */
    EntityManager current(String source) {
        Unit unit = top();
        EntityManager entityManager = unit.open.get(source);
        if (entityManager == null) {
            entityManager = opener.apply(source);
            unit.open.put(source, entityManager);
            if (unit.inTransaction) {
                entityManager.getTransaction().begin();
                if (unit.rollbackOnly) {
                    entityManager.getTransaction().setRollbackOnly();
                }
            }
        }
        return entityManager;
    }

    private Unit top() {
        Unit unit = units.peek();
        if (unit == null) {
            unit = new Unit();
            units.push(unit);
        }
        return unit;
    }

    /** Whether the current unit of work has a transaction: begun here, or on one of its EntityManagers. */
    boolean inTransaction() {
        Unit unit = top();
        return unit.inTransaction || unit.open.values().stream().anyMatch(em -> em.getTransaction().isActive());
    }

    /** Begins the current unit's transaction, on every EntityManager it has open and on those it opens later. */
    void begin() {
        Unit unit = top();
        unit.inTransaction = true;
        unit.rollbackOnly = false;
        for (EntityManager entityManager : unit.open.values()) {
            if (!entityManager.getTransaction().isActive()) {
                entityManager.getTransaction().begin();
            }
        }
    }

    /** Marks the current unit's transaction so that it can only roll back (a joined call failed). */
    void setRollbackOnly() {
        Unit unit = top();
        unit.rollbackOnly = true;
        for (EntityManager entityManager : unit.open.values()) {
            if (entityManager.getTransaction().isActive()) {
                entityManager.getTransaction().setRollbackOnly();
            }
        }
    }

    /**
     * Commits the current unit's transaction on every database it used: flushes each (when there
     * are several), then commits them in the order of first use. A failure before the first commit
     * rolls back all and is thrown as is; a failure after one is {@link PartialCommitException}.
     *
     * @throws RollbackException if the transaction was marked rollback-only (it is rolled back)
     */
    void commit() {
        Unit unit = top();
        unit.inTransaction = false;
        Map<String, EntityTransaction> active = new LinkedHashMap<>();
        unit.open.forEach((source, entityManager) -> {
            if (entityManager.getTransaction().isActive()) {
                active.put(source, entityManager.getTransaction());
            }
        });
        boolean rollbackOnly = unit.rollbackOnly || active.values().stream().anyMatch(EntityTransaction::getRollbackOnly);
        unit.rollbackOnly = false;
        if (rollbackOnly) {
            rollBack(active.values(), null);
            throw new RollbackException("The transaction was marked rollback-only (a joined call failed)"
                    + " and has been rolled back");
        }
        if (active.size() > 1) {
            try {
                // All SQL runs before anything commits: a constraint violated at flush commits nothing.
                active.keySet().forEach(source -> unit.open.get(source).flush());
            } catch (RuntimeException e) {
                rollBack(active.values(), e);
                throw e;
            }
        }
        List<String> committed = new ArrayList<>();
        List<String> sources = new ArrayList<>(active.keySet());
        for (int i = 0; i < sources.size(); i++) {
            try {
                // A failed commit (a constraint violated at flush) throws here, before the response is written.
                active.get(sources.get(i)).commit();
                committed.add(sources.get(i));
            } catch (RuntimeException e) {
                List<String> rest = sources.subList(i + 1, sources.size());
                rollBack(rest.stream().map(active::get).toList(), e);
                if (committed.isEmpty()) {
                    throw e;
                }
                throw new PartialCommitException(named(committed), named(List.of(sources.get(i))).get(0),
                        named(rest), e);
            }
        }
    }

    /** Rolls back the current unit's transaction on every database it used; failures are added to {@code cause}. */
    void rollBack(Throwable cause) {
        Unit unit = top();
        unit.inTransaction = false;
        unit.rollbackOnly = false;
        rollBack(unit.open.values().stream().map(EntityManager::getTransaction).toList(), cause);
    }

    private static void rollBack(Collection<EntityTransaction> transactions, Throwable cause) {
        for (EntityTransaction transaction : transactions) {
            try {
                if (transaction.isActive()) {
                    transaction.rollback();
                }
            } catch (RuntimeException e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                }
            }
        }
    }

    /** How messages name sources: the main database as {@code main}. */
    private static List<String> named(List<String> sources) {
        return sources.stream().map(source -> source.isEmpty() ? "main" : source).toList();
    }

    /**
     * Runs {@code work} on a fresh unit of work, which {@link #current(String)} reaches until the work
     * ends; then closes its EntityManagers, rolling back a transaction the work left open.
     */
    <T> T inFreshUnit(Callable<T> work) throws Exception {
        Unit fresh = new Unit();
        top();
        units.push(fresh);
        try {
            return work.call();
        } finally {
            units.pop();
            fresh.open.values().forEach(UnitsOfWork::close);
        }
    }

    /** Closes every EntityManager still open; the end of the request. */
    void closeAll() {
        while (!units.isEmpty()) {
            units.pop().open.values().forEach(UnitsOfWork::close);
        }
        if (replica != null) {
            EntityManager open = replica;
            replica = null;
            if (open.isOpen()) {
                open.close();
            }
        }
    }

    private static void close(EntityManager entityManager) {
        if (!entityManager.isOpen()) {
            return;
        }
        try {
            EntityTransaction transaction = entityManager.getTransaction();
            if (transaction.isActive()) {
                // Work that nobody committed is not kept: roll back, never commit.
                LOG.warning("dblayer: a transaction was still open at the end of its unit of work; rolled back."
                        + " Commit it, or use @Transactional");
                transaction.rollback();
            }
        } finally {
            entityManager.close();
        }
    }

    /** Forwards to the EntityManager of the moment; a JDK proxy, so that it implements every JPA version's interface. */
    private static final class Forwarding implements InvocationHandler {

        private final Supplier<EntityManager> current;
        private final String description;

        Forwarding(Supplier<EntityManager> current, String description) {
            this.current = current;
            this.description = description;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == arguments[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> description;
                };
            }
            try {
                return method.invoke(current.get(), arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
