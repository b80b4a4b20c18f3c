package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.server.rejected.NewTransactionAudit;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;

/** A TxType dblayer cannot honour fails the deployment instead of misbehaving at run time. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RejectedTransactionTypeInServerIT {

    static final String APP = "rejected-tx";

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = APP, managed = false)
    static WebArchive deployment() {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, PostgresInServerIT.DATABASE);
        return Deployments.war(APP, LocalDatabases.settings(DatabaseType.POSTGRESQL, PostgresInServerIT.DATABASE))
                .addPackage(Item.class.getPackage())
                .addClass(NewTransactionAudit.class)
                .addAsResource("fixtures/persistence.xml", "META-INF/persistence.xml");
    }

    @Test
    void requiresNewFailsTheDeployment() throws Exception {
        // Open Liberty's adapter reports the failed deployment; Payara Micro's logs it and serves nothing.
        boolean reported;
        try {
            deployer.deploy(APP);
            reported = false;
        } catch (Exception refused) {
            reported = true;
        }
        int status;
        try {
            status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + Deployments.httpPort() + "/" + APP + "/probe/entity-manager")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } finally {
            if (!reported) {
                deployer.undeploy(APP);
            }
        }
        assertNotEquals(200, status, "the application with @Transactional(REQUIRES_NEW) is not serving"
                + " (deployment failure reported to Arquillian: " + reported + ")");
    }
}
