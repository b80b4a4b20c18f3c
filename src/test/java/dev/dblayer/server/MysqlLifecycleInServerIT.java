package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Inner;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.fixtures.Items;
import dev.dblayer.server.fixtures.ProbeServlet;
import dev.dblayer.server.fixtures.Token;
import dev.dblayer.testsupport.Await;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;

/** On MariaDB too, undeploying the application closes every connection its pool opened. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MysqlLifecycleInServerIT {

    static final String APP = "mysql-lifecycle";
    static final String DATABASE = LocalDatabases.ofThisServer("dblayer_lifecycle");

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = APP, managed = false)
    static WebArchive deployment() {
        LocalDatabases.ensureDatabase(DatabaseType.MYSQL, DATABASE);
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.MYSQL, DATABASE));
        settings.put("database.pool.size", "3");
        return Deployments.war(APP, settings)
                .addClasses(Item.class, Token.class, Items.class, Inner.class, ProbeServlet.class)
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
    }

    @Test
    void undeployClosesEveryMariaDbConnection() throws Exception {
        assertEquals(0, sessions(), "no connection to the test database before deploy");
        deployer.deploy(APP);
        HttpResponse<String> state = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + Deployments.httpPort() + "/" + APP + "/probe/state?name=none")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, state.statusCode(), "the request's EntityManager queries MariaDB: " + state.body());
        assertTrue(sessions() > 0, "the application holds MariaDB connections while deployed");

        deployer.undeploy(APP);
        assertEquals(0, Await.atMost(MysqlLifecycleInServerIT::sessions, 0),
                "undeploy closed every MariaDB connection of the application");
    }

    private static int sessions() {
        return LocalDatabases.sessions(DatabaseType.MYSQL, DATABASE);
    }
}
