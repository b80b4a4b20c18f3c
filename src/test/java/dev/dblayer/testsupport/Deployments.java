package dev.dblayer.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.EmptyAsset;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * Builds the WARs the in-server tests deploy: the module as {@code WEB-INF/lib/dblayer.jar}
 * (from {@code target/classes}, exactly what the jar holds), the libraries the module brings,
 * both JDBC drivers, and the test's own classes and settings.
 */
public final class Deployments {

    /** The jars a user's WAR carries besides dblayer, by artifact name. */
    private static final List<String> LIBRARIES = List.of(
            "HikariCP", "slf4j-api", "slf4j-jdk14", "postgresql", "mysql-connector-j",
            "jedis", "redis-authx-core", "commons-pool2", "json", "gson");

    private Deployments() {
    }

    /** A WAR named {@code name} with the module, its libraries and {@code settings} as its MicroProfile Config. */
    public static WebArchive war(String name, Map<String, String> settings) {
        awaitPayaraPortFree();
        String properties = settings.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibrary(module())
                .addAsLibraries(libraries())
                .addAsResource(new StringAsset(properties), "META-INF/microprofile-config.properties")
                .addAsWebInfResource(EmptyAsset.INSTANCE, "beans.xml")
                .addClass(Deployments.class);
    }

    /** The Flyway jars an application that migrates adds (docs/migrations.md), by artifact name. */
    private static final List<String> FLYWAY = List.of(
            "flyway-core", "flyway-database-postgresql", "flyway-database-cockroachdb", "flyway-mysql");

    /** {@code war} with Flyway and its PostgreSQL and MySQL modules in {@code WEB-INF/lib}. */
    public static WebArchive withFlyway(WebArchive war) {
        return war.addAsLibraries(jars(FLYWAY));
    }

    /** The HTTP port of the server under test, which the failsafe execution names. */
    public static int httpPort() {
        String server = System.getProperty("dblayer.it.server");
        return Integer.getInteger("liberty".equals(server) ? "liberty.http.port" : "payara.http.port");
    }

    /**
     * On Payara Micro, where every deployment boots a server of its own on the same port: waits until
     * the previous one has let go of it. Payara Micro takes the next port when its own is still held,
     * and a test that calls the fixed port would then find nothing there.
     */
    private static void awaitPayaraPortFree() {
        if (!"payara".equals(System.getProperty("dblayer.it.server"))) {
            return;
        }
        int port = httpPort();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            } catch (IOException refused) {
                return; // nothing listens: free
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("port " + port + " is still held by an earlier Payara Micro after 60 s");
    }

    /** The module jar, built from the compiled main classes. */
    public static JavaArchive module() {
        return ShrinkWrap.create(ExplodedImporter.class, "dblayer.jar")
                .importDirectory(new File("target/classes"))
                .as(JavaArchive.class);
    }

    private static File[] libraries() {
        return jars(LIBRARIES);
    }

    /** The jars of {@code artifacts} on the test class path, one each. */
    private static File[] jars(List<String> artifacts) {
        List<File> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File file = new File(entry);
            String fileName = file.getName();
            for (String artifact : artifacts) {
                if (fileName.matches(java.util.regex.Pattern.quote(artifact) + "-\\d.*\\.jar")) {
                    found.add(file);
                }
            }
        }
        if (found.size() != artifacts.size()) {
            throw new IllegalStateException("expected the jars " + artifacts + " on the test class path, found " + found);
        }
        return found.toArray(File[]::new);
    }

    /**
     * Deploys {@code app}, which must fail to deploy, and answers what the server logged meanwhile:
     * Open Liberty's {@code messages.log} (its adapter throws, after appDeployTimeout), or Payara
     * Micro's console (its adapter logs the failure and returns, copying the console onto
     * {@code System.out}, of which this keeps a copy).
     */
    public static String deployFailing(org.jboss.arquillian.container.test.api.Deployer deployer, String app)
            throws IOException {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                console.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                console.write(bytes, offset, length);
            }
        }, true));
        try {
            deployer.deploy(app);
        } catch (Exception expectedOnLiberty) {
            // the deployment failed, as it must
        } finally {
            System.setOut(original);
        }
        return serverLog() + console.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Open Liberty's messages.log so far; empty on Payara Micro, whose console {@link #deployFailing} copies. */
    public static String serverLog() throws IOException {
        java.nio.file.Path log = java.nio.file.Path.of("target/liberty/wlp/usr/servers",
                System.getProperty("liberty.server.name", "dblayer-it"), "logs/messages.log");
        return "liberty".equals(System.getProperty("dblayer.it.server"))
                ? java.nio.file.Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
    }
}
