package dev.dblayer.health;

import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Startup;

import dev.dblayer.db.Database;
import dev.dblayer.db.DatabaseProbes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Startup check {@code database-schema}: UP once the persistence unit is deployed and its schema
 * generated. While it is not (the database was down when the application started), each probe
 * tries to deploy it within {@code database.health.startup-timeout} (default 300 ms; the attempt
 * goes on in the background if it takes longer, and the next probe waits for it); Kubernetes runs
 * no readiness probe before the startup probe has passed.
 */
@Startup
@ApplicationScoped
public class PersistenceUnitStartup extends BoundedCheck {

    /** The deadline of one probe. */
    public static final String TIMEOUT = "database.health.startup-timeout";
    static final String NAME = "database-schema";

    private static final Logger LOG = Logger.getLogger(PersistenceUnitStartup.class.getName());

    private final Database database;
    private final BoundedProbe<Long> probe;

    /** For CDI's proxy. */
    protected PersistenceUnitStartup() {
        this.database = null;
        this.probe = null;
    }

    @Inject
    PersistenceUnitStartup(Database database, Config config) {
        super(NAME, config, TIMEOUT, LOG, "database schema");
        this.database = database;
        this.probe = newProbe("dblayer-health-startup");
    }

    @Override
    HealthCheckResponse answer() {
        HealthCheckResponseBuilder response = response()
                .withData("persistenceUnit", DatabaseProbes.persistenceUnitName(database));
        if (DatabaseProbes.isDeployed(database)) {
            return passed(response);
        }
        return run(response, probe, this::deploy, "deploying: not done within ", "");
    }

    private long deploy() {
        long start = System.nanoTime();
        database.entityManagerFactory();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
