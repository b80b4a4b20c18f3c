package dev.dblayer.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs last in each server's execution (classes run in name order, see the pom): no password the
 * in-server suite configured ({@link SecretCanaries}), on failed deployments and rejected logins
 * included, appears in the server's logs. Open Liberty: its log directory; Payara Micro: the
 * failsafe output files, which carry its console.
 */
class ZzSecretsInServerIT {

    @Test
    void noConfiguredPasswordAppearsInAnyServerLog() throws IOException {
        List<Path> logs = logs();
        assertFalse(logs.isEmpty(), "there are server logs to scan for " + System.getProperty("dblayer.it.server"));
        List<String> found = new ArrayList<>();
        long bytes = 0;
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            bytes += text.length();
            for (String canary : SecretCanaries.ALL) {
                if (text.contains(canary)) {
                    found.add(canary + " in " + log);
                }
            }
        }
        System.out.printf("scanned %d log files, %d bytes, for %d canaries%n", logs.size(), bytes,
                SecretCanaries.ALL.size());
        assertEquals(List.of(), found, "no configured password appears in a server log");
    }

    private static List<Path> logs() throws IOException {
        Path dir = "liberty".equals(System.getProperty("dblayer.it.server"))
                ? Path.of("target/liberty/wlp/usr/servers", System.getProperty("liberty.server.name", "dblayer-it"), "logs")
                : Path.of("target/failsafe-reports/payara");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(path -> path.toString().endsWith(".log") || path.toString().endsWith("-output.txt"))
                    .filter(path -> !path.getFileName().toString().startsWith(ZzSecretsInServerIT.class.getName()))
                    .toList();
        }
    }
}
