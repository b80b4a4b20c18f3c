package dev.dblayer.server;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.testsupport.LocalDatabases;

/** The persistence layer in the server under test, on PostgreSQL. */
@ExtendWith(ArquillianExtension.class)
class PostgresInServerIT extends PersistenceInServer {

    static final String DATABASE = LocalDatabases.ofThisServer("dblayer_it");

    @Deployment
    static WebArchive deployment() {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        return war("postgres-it", LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE), PostgresInServerIT.class)
                .addClass(LocalDatabases.class);
    }
}
