package dev.dblayer.db;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;

import jakarta.persistence.EntityManager;

/**
 * The replica's EntityManager: every JPA method that writes, or that begins the transaction a
 * write needs, throws {@link IllegalStateException} saying so, before anything reaches the
 * database. Bulk and native updates need a transaction, which cannot be had here, and the replica's
 * connections are read-only besides, so nothing writes through it by accident.
 */
final class ReadOnlyEntityManager implements InvocationHandler {

    /** EntityManager methods that write, lock for a write, or begin a transaction. */
    private static final Set<String> REFUSED = Set.of("persist", "merge", "remove", "flush", "lock",
            "joinTransaction", "getTransaction");

    private final EntityManager delegate;

    private ReadOnlyEntityManager(EntityManager delegate) {
        this.delegate = delegate;
    }

    /** {@code delegate}, refusing writes. */
    static EntityManager of(EntityManager delegate) {
        return (EntityManager) Proxy.newProxyInstance(EntityManager.class.getClassLoader(),
                new Class<?>[] {EntityManager.class}, new ReadOnlyEntityManager(delegate));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == arguments[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "dblayer's read-only replica EntityManager";
            };
        }
        if (REFUSED.contains(method.getName())) {
            throw new IllegalStateException("dblayer: " + method.getName() + " on the replica's EntityManager"
                    + " (@Replica), which is read-only: write through the unqualified EntityManager, which is"
                    + " the primary's");
        }
        try {
            return method.invoke(delegate, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
