package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.dblayer.db.DatabaseType;
import dev.dblayer.server.adopted.AdoptedServlet;
import dev.dblayer.server.fixtures.Item;
import dev.dblayer.testsupport.Deployments;
import dev.dblayer.testsupport.LocalDatabases;

/**
 * An application moved from a container-managed unit as docs/adopting.md says starts without an
 * error in the server's log, serves a {@code @Transactional} write and a read, and dblayer warns,
 * exactly once, about the leftovers it replaces. Open Liberty: the part of messages.log written
 * during the test; Payara Micro: its console, which its Arquillian adapter prints to System.out.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdoptedUnitInServerIT {

    static final String MINIMUM = "adopted-minimum";
    static final String LEFTOVERS = "adopted-leftovers";
    static final String DATABASE = LocalDatabases.ofThisServer("dblayer_adopt");
    static final String WARNING = "dblayer: persistence unit jpa-unit in META-INF/persistence.xml sets";

    /** Open Liberty: "[date] thread logger(60 wide) E ..."; Payara: "[date] [] [SEVERE] ...", colours removed. */
    private static final Pattern ERROR = Pattern.compile(
            "^\\[[^\\]]+\\] \\p{XDigit}{8} .{60} [EF] .*|^\\[[^\\]]+\\] \\[[^\\]]*\\] \\[(SEVERE|ERROR)\\].*");
    private static final Pattern COLOURS = Pattern.compile("\u001B\\[[0-9;]*m");

    @ArquillianResource
    Deployer deployer;

    private static WebArchive war(String name, String persistenceXml) {
        LocalDatabases.ensureDatabase(DatabaseType.POSTGRESQL, DATABASE);
        Map<String, String> settings = new HashMap<>(LocalDatabases.settings(DatabaseType.POSTGRESQL, DATABASE));
        settings.put("redis.host", "127.0.0.1");
        return Deployments.war(name, settings)
                .addPackage(Item.class.getPackage())
                .addClass(AdoptedServlet.class)
                .addAsResource(persistenceXml, "META-INF/persistence.xml");
    }

    @Deployment(name = MINIMUM, managed = false)
    static WebArchive minimum() {
        return war(MINIMUM, "adopted/minimum-persistence.xml");
    }

    @Deployment(name = LEFTOVERS, managed = false)
    static WebArchive leftovers() {
        return war(LEFTOVERS, "adopted/leftovers-persistence.xml");
    }

    @Test
    void theMinimumStartsWithoutErrorOrWarning() throws Exception {
        String log = deployUseAndReadTheLog(MINIMUM);
        assertEquals(List.of(), errors(log), "no ERROR or SEVERE line while " + MINIMUM + " deploys and serves");
        assertFalse(log.contains(WARNING), "nothing to warn about in a unit written for dblayer");
    }

    @Test
    void theLeftoversStartWithoutErrorAndOneWarningNamingThem() throws Exception {
        String log = deployUseAndReadTheLog(LEFTOVERS);
        assertEquals(List.of(), errors(log), "no ERROR or SEVERE line while " + LEFTOVERS + " deploys and serves");
        List<String> warnings = log.lines().filter(line -> line.contains(WARNING)).toList();
        assertEquals(1, warnings.size(), "exactly one warning about the replaced settings: " + warnings);
        for (String named : List.of("transaction-type=\"JTA\"", "eclipselink.target-database",
                "jakarta.persistence.jdbc.url", "jakarta.persistence.jdbc.password")) {
            assertTrue(warnings.get(0).contains(named), "the warning names " + named + ": " + warnings.get(0));
        }
        assertFalse(log.contains(SecretCanaries.PERSISTENCE_XML_PASSWORD),
                "the password property's value appears nowhere in the log");
    }

    /** Deploys {@code name}, writes and reads an item through it, and returns what the server logged meanwhile. */
    private String deployUseAndReadTheLog(String name) throws Exception {
        try (ServerLog log = ServerLog.start()) {
            deployer.deploy(name);
            try {
                String item = "adopted-" + UUID.randomUUID();
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + Deployments.httpPort() + "/" + name + "/adopted?name=" + item)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), "the moved application serves: " + response.body());
                assertEquals("1", response.body(), "the @Transactional write is committed and the query finds it");
                String text = log.text();
                assertTrue(text.contains("dblayer: persistence unit jpa-unit on "),
                        "the log read is this deployment's: it has dblayer's startup line");
                return text;
            } finally {
                deployer.undeploy(name);
            }
        }
    }

    private static List<String> errors(String log) {
        return log.lines().map(line -> COLOURS.matcher(line).replaceAll(""))
                .filter(line -> ERROR.matcher(line).matches()).toList();
    }

    /** What the server under test logs from now on. */
    private abstract static class ServerLog implements AutoCloseable {

        static ServerLog start() throws IOException {
            return "liberty".equals(System.getProperty("dblayer.it.server")) ? new LibertyLog() : new PayaraConsole();
        }

        abstract String text() throws IOException;

        @Override
        public void close() {
        }
    }

    /** The bytes appended to the test server's messages.log since this was created. */
    private static final class LibertyLog extends ServerLog {

        private final Path file = Path.of("target/liberty/wlp/usr/servers",
                System.getProperty("liberty.server.name", "dblayer-it"), "logs/messages.log");
        private final long start;

        LibertyLog() throws IOException {
            start = Files.exists(file) ? Files.size(file) : 0;
        }

        @Override
        String text() throws IOException {
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                byte[] bytes = new byte[(int) Math.max(0, in.length() - start)];
                in.seek(start);
                in.readFully(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
    }

    /** A copy of System.out, where Payara Micro's adapter prints each line of the fresh server's console. */
    private static final class PayaraConsole extends ServerLog {

        private final PrintStream original = System.out;
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        PayaraConsole() {
            OutputStream both = new OutputStream() {
                @Override
                public void write(int b) {
                    original.write(b);
                    synchronized (copy) {
                        copy.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    original.write(b, off, len);
                    synchronized (copy) {
                        copy.write(b, off, len);
                    }
                }
            };
            System.setOut(new PrintStream(both, true, StandardCharsets.UTF_8));
        }

        @Override
        String text() {
            synchronized (copy) {
                return copy.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setOut(original);
        }
    }
}
