package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Items;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;
import jakarta.inject.Inject;

/**
 * dblayer's unit declared in Persistence 3.2's namespace ({@code persistence_3_2.xsd}, version 3.2)
 * deploys and works on every row of the matrix, the Jakarta EE 10 servers included.
 */
@ExtendWith(ArquillianExtension.class)
class Persistence32InServerIT {

    @Inject
    Items items;

    @Deployment
    static WebArchive deployment() {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, PostgresInServerIT.DATABASE);
        return Deployments.war("persistence-32",
                        LocalDatabases.settings(DatabaseType.POSTGRESQL, PostgresInServerIT.DATABASE))
                .addPackage(Item.class.getPackage())
                .addClasses(Persistence32InServerIT.class, PostgresInServerIT.class, LocalDatabases.class)
                .addAsResource("fixtures/persistence-3.2.xml", "META-INF/persistence.xml");
    }

    @Test
    void aUnitInThe32NamespaceCommitsAndReadsBack() {
        String name = "persistence-32-" + UUID.randomUUID();
        items.create(name);
        assertEquals(1, items.count(name), "the row written through the unit of the 3.2 persistence.xml is read back");
    }
}
