package dev.dblayer.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the PostgreSQL server programs without a fixed version in the path. */
class PostgresBinariesTest {

    @TempDir
    Path root;

    private Path binaries(String version, String... programs) throws IOException {
        Path bin = Files.createDirectories(root.resolve(version).resolve("bin"));
        for (String program : programs) {
            Files.createFile(bin.resolve(program), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        return bin;
    }

    @Test
    void choosesTheHighestVersionByNumberNotByName() throws IOException {
        binaries("9.6", "initdb", "pg_ctl");
        Path fifteen = binaries("15", "initdb", "pg_ctl");
        binaries("13", "initdb", "pg_ctl");
        assertEquals(Optional.of(fifteen), PostgresBinaries.highestVersion(root), "15 is higher than 13 and 9.6");
    }

    @Test
    void skipsAVersionWithoutTheServerPrograms() throws IOException {
        Path fourteen = binaries("14", "initdb", "pg_ctl");
        binaries("16", "psql"); // client-only package
        assertEquals(Optional.of(fourteen), PostgresBinaries.highestVersion(root),
                "a version directory without initdb and pg_ctl cannot start a server");
    }

    @Test
    void findsNothingUnderAMissingRoot() {
        assertEquals(Optional.empty(), PostgresBinaries.highestVersion(root.resolve("absent")),
                "no /usr/lib/postgresql means no candidate from it");
    }

    @Test
    void splitsThePathInOrder() {
        assertEquals(List.of(Path.of("/a/bin"), Path.of("/b")), PostgresBinaries.pathDirectories("/a/bin::/b"),
                "PATH entries in order, empty ones dropped");
    }

    @Test
    void findsTheProgramsInstalledOnThisMachine() {
        Path bin = PostgresBinaries.find();
        assertTrue(PostgresBinaries.hasServerPrograms(bin), "initdb and pg_ctl are in " + bin);
    }
}
