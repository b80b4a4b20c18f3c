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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No password the in-server suites configured ({@link SecretCanaries}), on failed deployments and
 * rejected logins included, appears in any server's logs. Runs in a failsafe execution of its own
 * ({@code server-logs} in the pom), after every row of the matrix: each Open Liberty server's log
 * directory; Payara Micro's console, which the row's failsafe output files carry.
 */
class SecretsInServerLogsIT {

    @ParameterizedTest
    @MethodSource("rows")
    void noConfiguredPasswordAppearsInAnyServerLog(String row) throws IOException {
        List<Path> logs = logs(row);
        assertFalse(logs.isEmpty(), "there are server logs to scan for the row " + row);
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

    /** The rows of the matrix that ran: all four in the pom, fewer with {@code -Dit.rows=liberty,payara}. */
    static List<String> rows() {
        return List.of(System.getProperty("dblayer.it.rows").split(","));
    }

    /** The logs of the matrix's row {@code row}, which the failsafe execution of that name wrote. */
    private static List<Path> logs(String row) throws IOException {
        Path dir = row.startsWith("liberty")
                ? Path.of("target/liberty/wlp/usr/servers", System.getProperty(row + ".server.name"), "logs")
                : Path.of("target/failsafe-reports", row);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(path -> path.toString().endsWith(".log") || path.toString().endsWith("-output.txt"))
                    .filter(path -> !path.getFileName().toString().startsWith(SecretsInServerLogsIT.class.getName()))
                    .toList();
        }
    }
}
