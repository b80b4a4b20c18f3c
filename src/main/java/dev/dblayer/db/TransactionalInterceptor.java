package dev.dblayer.db;

import java.lang.reflect.Method;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Runs {@code @jakarta.transaction.Transactional} methods in a transaction of the request's
 * {@link EntityManager} (the original's {@code CurrentSessionTransaction}). The logic lives in
 * {@link TransactionScope}.
 *
 * <p>The servers' own JTA interceptor is bound to the same annotation and runs first (priority
 * {@code PLATFORM_BEFORE + 200}); this one runs inside it, so a commit failure propagates through
 * both and the JTA transaction, which holds no dblayer resource, ends the same way.
 */
@Transactional
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 210)
class TransactionalInterceptor {

    private final EntityManager entityManager;

    @Inject
    TransactionalInterceptor(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @AroundInvoke
    Object inTransaction(InvocationContext context) throws Exception {
        Transactional annotation = binding(context);
        return TransactionScope.execute(entityManager.getTransaction(), annotation.value(),
                TransactionScope.RollbackRule.of(annotation), context::proceed);
    }

    private static Transactional binding(InvocationContext context) {
        // A method's annotation overrides its class's, as in the JTA specification.
        Method method = context.getMethod();
        Transactional annotation = method.getAnnotation(Transactional.class);
        for (Class<?> type = context.getTarget().getClass(); annotation == null && type != null;
                type = type.getSuperclass()) {
            annotation = type.getAnnotation(Transactional.class);
        }
        if (annotation == null) {
            throw new IllegalStateException("dblayer cannot find the @Transactional annotation that bound "
                    + method + "; put it on the method or its class (stereotypes are not supported)");
        }
        return annotation;
    }
}
