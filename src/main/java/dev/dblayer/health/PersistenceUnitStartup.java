package dev.dblayer.health;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

import dev.dblayer.config.Errors;
import dev.dblayer.db.Database;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Startup check {@code database-schema}: UP once the persistence unit is deployed and its schema
 * generated. While it is not (the database was down when the application started), each probe
 * tries to deploy it, bounded like the readiness check; Kubernetes runs no readiness probe before
 * the startup probe has passed.
 */
@Startup
@ApplicationScoped
public class PersistenceUnitStartup implements HealthCheck {

    static final String NAME = "database-schema";
    private static final Duration DEADLINE = DatabaseReadiness.DEFAULT_TIMEOUT;

    private final Database database;
    private final BoundedProbe<Boolean> probe = new BoundedProbe<>("dblayer-health-startup");

    /** For CDI's proxy. */
    protected PersistenceUnitStartup() {
        this.database = null;
    }

    @Inject
    PersistenceUnitStartup(Database database) {
        this.database = database;
    }

    @Override
    public HealthCheckResponse call() {
        if (!database.isDeployed()) {
            try {
                probe.run(() -> database.entityManagerFactory() != null, DEADLINE);
            } catch (TimeoutException | ExecutionException e) {
                return HealthCheckResponse.named(NAME).withData("persistenceUnit", database.persistenceUnitName())
                        .withData("reason", e instanceof TimeoutException ? "deploying"
                                : Errors.rootMessage(e.getCause()))
                        .down().build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HealthCheckResponse.down(NAME);
            }
        }
        return HealthCheckResponse.named(NAME).withData("persistenceUnit", database.persistenceUnitName()).up().build();
    }

    @PreDestroy
    void close() {
        probe.close();
    }
}
