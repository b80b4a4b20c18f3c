package dev.dblayer.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.logging.Logger;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityTransaction;

/**
 * The units of work of one request: the request's own {@link EntityManager}, opened on first use,
 * and above it, while a {@code REQUIRES_NEW} or {@code NOT_SUPPORTED} method runs, a fresh one of
 * that method's own. The injected {@code EntityManager} is a {@link #view()} that always reaches the
 * top one, so the same {@code @Inject EntityManager} follows the methods in and out.
 *
 * <p>One request runs on one thread at a time: not thread-safe, and not meant to be.
 */
class UnitsOfWork {

    private static final Logger LOG = Logger.getLogger(UnitsOfWork.class.getName());

    private final Supplier<EntityManager> opener;
    private final TransactionsInFlight transactions;
    private final Deque<EntityManager> open = new ArrayDeque<>();
    private final EntityManager view;

    /** For CDI's proxy. */
    UnitsOfWork() {
        this.opener = null;
        this.transactions = null;
        this.view = null;
    }

    /** Units that open each EntityManager with {@code opener}, their transactions counted nowhere else. */
    UnitsOfWork(Supplier<EntityManager> opener) {
        this(opener, new TransactionsInFlight());
    }

    /** Units that open each EntityManager with {@code opener} and count their running transactions in {@code transactions}. */
    UnitsOfWork(Supplier<EntityManager> opener, TransactionsInFlight transactions) {
        this.opener = opener;
        this.transactions = transactions;
        this.view = (EntityManager) Proxy.newProxyInstance(EntityManager.class.getClassLoader(),
                new Class<?>[] {EntityManager.class}, new CurrentUnit());
    }

    /** Where the transactions begun on these units are counted while they run. */
    TransactionsInFlight transactions() {
        return transactions;
    }

    /** An EntityManager that forwards every call to the {@link #current()} one. */
    EntityManager view() {
        return view;
    }

    /** The EntityManager of the unit of work now running: the request's own, opened on first use. */
    EntityManager current() {
        EntityManager top = open.peek();
        if (top == null) {
            top = opener.get();
            open.push(top);
        }
        return top;
    }

    /**
     * Runs {@code work} on a fresh EntityManager, which {@link #current()} returns until the work
     * ends; then closes it, rolling back a transaction the work left open.
     */
    <T> T inFreshUnit(Callable<T> work) throws Exception {
        EntityManager fresh = opener.get();
        open.push(fresh);
        try {
            return work.call();
        } finally {
            open.pop();
            close(fresh);
        }
    }

    /** Closes every EntityManager still open; the end of the request. */
    void closeAll() {
        while (!open.isEmpty()) {
            close(open.pop());
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

    /** Forwards to the current EntityManager; a JDK proxy, so that it implements every JPA version's interface. */
    private final class CurrentUnit implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == arguments[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "dblayer's request EntityManager (" + open.size() + " open)";
                };
            }
            try {
                return method.invoke(current(), arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
