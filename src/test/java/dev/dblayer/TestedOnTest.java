package dev.dblayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * README.md's "Tested on" table is what the build runs: each row is made here from the pom's failsafe
 * executions (the in-server suite) and the demo's (example/pom.xml), with the server versions, the
 * Java each runs on and the features of the Liberty test server, and must be in the README as it is.
 * When a version or a row changes in a pom, this test fails and prints the table to paste.
 */
class TestedOnTest {

    private static final String START = "<!-- tested-on:start -->";
    private static final String END = "<!-- tested-on:end -->";
    private static final String NEWEST_JDK = "the newest JDK (21 or later)";
    private static final String BOTH_DATABASES = "PostgreSQL, MySQL (MariaDB)";

    @Test
    void theReadmeTableIsTheMatrixThePomsRun() throws Exception {
        Document pom = parse(Path.of("pom.xml"));
        Document demo = parse(Path.of("example/pom.xml"));
        String java = property(pom, "maven.compiler.release");
        String libertyEe = libertyEeLevel(Files.readString(Path.of("src/test/liberty/config/server.xml")));

        List<String> rows = new ArrayList<>();
        for (String row : List.of("liberty", "liberty-newest-jdk", "payara", "payara7")) {
            Element execution = failsafeExecution(pom, row);
            boolean liberty = "liberty".equals(systemProperty(execution, "arquillian.launch"));
            boolean newest = !text(execution, "jvm").isEmpty();
            String version = liberty ? property(pom, "liberty.runtime.version") : payaraVersion(pom, execution);
            rows.add(row(liberty ? "Open Liberty" : "Payara Micro", version,
                    liberty ? libertyEe : payaraEeLevel(version), newest ? NEWEST_JDK : java, BOTH_DATABASES,
                    "the in-server suite (failsafe execution `" + row + "`)"));
        }
        rows.add(row("Open Liberty", libertyRuntime(demo), libertyEe, java, "PostgreSQL",
                "the demo end to end: DemoIT, DemoMigrationsIT, RollingRestartIT (`example/`)"));
        String payaraServer = property(demo, "payara-server.version");
        rows.add(row("Payara Server", payaraServer, payaraEeLevel(payaraServer), java, "PostgreSQL",
                "the demo deployed with asadmin: DemoIT, PayaraServerIT (`example/`, execution `payara-server`)"));
        String demoMicro = dependencyCopyVersion(demo, "payara-micro");
        rows.add(row("Payara Micro", demoMicro, payaraEeLevel(demoMicro), java, "PostgreSQL",
                "a rolling restart beside Open Liberty: RollingRestartIT (`example/`)"));

        String table = "| Server | Version | Jakarta EE | Java | Databases | What runs there |\n"
                + "|---|---|---|---|---|---|\n" + String.join("\n", rows) + "\n";
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        assertTrue(start >= 0 && end > start, "README.md has the table between " + START + " and " + END);
        assertEquals(table, readme.substring(start + START.length(), end).strip() + "\n",
                "README.md's Tested on table, against the matrix the poms run; paste:\n" + table);
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |";
    }

    /** Jakarta EE 10 for Persistence 3.1, 11 for 3.2, as the Liberty test server's features say. */
    private static String libertyEeLevel(String serverXml) {
        Matcher persistence = Pattern.compile("<feature>persistence-(3\\.[0-9])</feature>").matcher(serverXml);
        assertTrue(persistence.find(), "the Liberty test server has a persistence feature");
        return switch (persistence.group(1)) {
            case "3.1" -> "10";
            case "3.2" -> "11";
            default -> throw new AssertionError("persistence-" + persistence.group(1) + " is no Jakarta EE 10 or 11");
        };
    }

    /** Payara's major version is its Jakarta EE level's: 6 is EE 10, 7 is EE 11. */
    private static String payaraEeLevel(String version) {
        return switch (version.substring(0, version.indexOf('.'))) {
            case "6" -> "10";
            case "7" -> "11";
            default -> throw new AssertionError("Payara " + version + " is neither 6 (EE 10) nor 7 (EE 11)");
        };
    }

    /** The version of the Payara Micro jar the execution's {@code payara.microJar} names, from its copy. */
    private static String payaraVersion(Document pom, Element execution) {
        String jar = systemProperty(execution, "payara.microJar");
        String directory = jar.substring(0, jar.lastIndexOf('/'));
        NodeList outputs = pom.getElementsByTagName("outputDirectory");
        for (int i = 0; i < outputs.getLength(); i++) {
            Element output = (Element) outputs.item(i);
            if (output.getTextContent().trim().equals(directory)) {
                Element configuration = (Element) output.getParentNode();
                return resolve(pom, text(configuration, "version"));
            }
        }
        throw new AssertionError("no dependency copy into " + directory);
    }

    private static String dependencyCopyVersion(Document pom, String artifactId) {
        NodeList artifacts = pom.getElementsByTagName("artifactItem");
        for (int i = 0; i < artifacts.getLength(); i++) {
            Element artifact = (Element) artifacts.item(i);
            if (artifactId.equals(text(artifact, "artifactId"))) {
                return resolve(pom, text(artifact, "version"));
            }
        }
        throw new AssertionError("no artifactItem " + artifactId);
    }

    private static String libertyRuntime(Document pom) {
        Element runtime = (Element) pom.getElementsByTagName("runtimeArtifact").item(0);
        return resolve(pom, text(runtime, "version"));
    }

    private static Element failsafeExecution(Document pom, String id) {
        NodeList executions = pom.getElementsByTagName("execution");
        for (int i = 0; i < executions.getLength(); i++) {
            Element execution = (Element) executions.item(i);
            if (id.equals(text(execution, "id")) && !text(execution, "reportsDirectory").isEmpty()) {
                return execution;
            }
        }
        throw new AssertionError("pom.xml has no failsafe execution " + id);
    }

    private static String systemProperty(Element execution, String name) {
        return text(execution, name);
    }

    /** The text of the first element named {@code name} under {@code parent}, or "". */
    private static String text(Element parent, String name) {
        NodeList found = parent.getElementsByTagName(name);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().trim();
    }

    private static String property(Document pom, String name) {
        Element properties = (Element) pom.getDocumentElement().getElementsByTagName("properties").item(0);
        String value = text(properties, name);
        assertTrue(!value.isEmpty(), "the pom's property " + name);
        return resolve(pom, value);
    }

    /** {@code value} with a whole-value {@code ${property}} reference resolved. */
    private static String resolve(Document pom, String value) {
        Matcher reference = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
        return reference.matches() ? property(pom, reference.group(1)) : value;
    }

    private static Document parse(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }
}
