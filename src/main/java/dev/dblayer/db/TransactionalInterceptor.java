package dev.dblayer.db;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;

/**
 * Runs {@code @jakarta.transaction.Transactional} methods in a transaction of the request's
 * {@code EntityManager} (the original's {@code CurrentSessionTransaction}), or of a unit of work of
 * their own for {@code REQUIRES_NEW} and {@code NOT_SUPPORTED}. The logic lives in
 * {@link TransactionDemarcation}.
 *
 * <p>{@code @Transactional}'s {@code value} is a binding member: an interceptor bound with
 * {@code @Transactional} alone intercepts only {@code REQUIRED} methods. So there is one subclass per
 * {@link TxType}, each bound with its own value; the servers' JTA interceptors are built the same
 * way. Those run first (priority {@code PLATFORM_BEFORE + 200}) and these inside them, so a commit
 * failure propagates through both and the JTA transaction, which holds no dblayer resource, ends
 * the same way.
 */
abstract class TransactionalInterceptor {

    static final int PRIORITY = Interceptor.Priority.PLATFORM_BEFORE + 210;

    private final UnitsOfWork units;

    TransactionalInterceptor(UnitsOfWork units) {
        this.units = units;
    }

    /** What each intercepted method's annotation says, resolved once per target class and method. */
    private static final ClassValue<Map<Method, Resolved>> RESOLVED = new ClassValue<>() {
        @Override
        protected Map<Method, Resolved> computeValue(Class<?> targetClass) {
            return new ConcurrentHashMap<>();
        }
    };

    /** A method's transaction type and rollback rule. */
    private record Resolved(TxType type, TransactionDemarcation.RollbackRule rollback) {
    }

    @AroundInvoke
    Object inTransaction(InvocationContext context) throws Exception {
        Class<?> targetClass = context.getTarget().getClass();
        Resolved resolved = RESOLVED.get(targetClass)
                .computeIfAbsent(context.getMethod(), method -> resolve(method, targetClass));
        return TransactionDemarcation.execute(units, resolved.type(), resolved.rollback(), context::proceed);
    }

    private static Resolved resolve(Method method, Class<?> targetClass) {
        // A method's annotation overrides its class's, as in the JTA specification.
        Transactional annotation = method.getAnnotation(Transactional.class);
        for (Class<?> type = targetClass; annotation == null && type != null; type = type.getSuperclass()) {
            annotation = type.getAnnotation(Transactional.class);
        }
        if (annotation == null) {
            throw new IllegalStateException("dblayer cannot find the @Transactional annotation that bound "
                    + method + "; put it on the method or its class (stereotypes are not supported)");
        }
        return new Resolved(annotation.value(), TransactionDemarcation.RollbackRule.of(annotation));
    }

    @Transactional(TxType.REQUIRED)
    @Interceptor
    @Priority(PRIORITY)
    static class Required extends TransactionalInterceptor {
        @Inject
        Required(UnitsOfWork units) {
            super(units);
        }
    }

    @Transactional(TxType.REQUIRES_NEW)
    @Interceptor
    @Priority(PRIORITY)
    static class RequiresNew extends TransactionalInterceptor {
        @Inject
        RequiresNew(UnitsOfWork units) {
            super(units);
        }
    }

    @Transactional(TxType.MANDATORY)
    @Interceptor
    @Priority(PRIORITY)
    static class Mandatory extends TransactionalInterceptor {
        @Inject
        Mandatory(UnitsOfWork units) {
            super(units);
        }
    }

    @Transactional(TxType.SUPPORTS)
    @Interceptor
    @Priority(PRIORITY)
    static class Supports extends TransactionalInterceptor {
        @Inject
        Supports(UnitsOfWork units) {
            super(units);
        }
    }

    @Transactional(TxType.NOT_SUPPORTED)
    @Interceptor
    @Priority(PRIORITY)
    static class NotSupported extends TransactionalInterceptor {
        @Inject
        NotSupported(UnitsOfWork units) {
            super(units);
        }
    }

    @Transactional(TxType.NEVER)
    @Interceptor
    @Priority(PRIORITY)
    static class Never extends TransactionalInterceptor {
        @Inject
        Never(UnitsOfWork units) {
            super(units);
        }
    }
}
