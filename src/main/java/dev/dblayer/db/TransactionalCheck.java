package dev.dblayer.db;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.interceptor.Interceptor;
import jakarta.transaction.Transactional;

/**
 * Fails the deployment when a bean uses a {@code @Transactional} type that dblayer cannot honour
 * (REQUIRES_NEW, NOT_SUPPORTED), rather than letting it misbehave at run time.
 */
public class TransactionalCheck implements Extension {

    private final List<String> problems = new ArrayList<>();

    <T> void inspect(@Observes @WithAnnotations(Transactional.class) ProcessAnnotatedType<T> event) {
        AnnotatedType<T> type = event.getAnnotatedType();
        if (type.isAnnotationPresent(Interceptor.class)) {
            return; // the servers' own JTA interceptors carry the annotation too
        }
        check(type.getAnnotation(Transactional.class), type.getJavaClass().getName());
        for (AnnotatedMethod<? super T> method : type.getMethods()) {
            check(method.getAnnotation(Transactional.class),
                    type.getJavaClass().getName() + "." + method.getJavaMember().getName() + "()");
        }
    }

    void report(@Observes AfterBeanDiscovery event) {
        problems.forEach(problem -> event.addDefinitionError(new DeploymentException(problem)));
        problems.clear();
    }

    private void check(Transactional annotation, String where) {
        if (annotation == null) {
            return;
        }
        try {
            TransactionScope.checkSupported(annotation.value(), where);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }
}
