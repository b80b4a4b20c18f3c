package dev.dblayer.db;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.zaxxer.hikari.HikariDataSource;

import dev.dblayer.internal.SettingsReader;
import dev.dblayer.testsupport.PostgresServerProcess;
import dev.dblayer.testsupport.SelfSignedCertificate;

/**
 * The module's pool on a private PostgreSQL that accepts only TLS over TCP, with a self-signed
 * certificate made by the test: reached with full certificate verification through
 * {@code database.url} ({@code sslmode=verify-full}, {@code sslrootcert}); refused in plaintext and
 * with a certificate it does not trust.
 */
class PostgresTlsIT {

    @TempDir
    static Path dir;
    static SelfSignedCertificate certificate;
    static PostgresServerProcess postgres;

    @BeforeAll
    static void startTlsOnlyPostgres() {
        certificate = SelfSignedCertificate.create(dir);
        postgres = PostgresServerProcess.startWithTls(certificate.certificate(), certificate.key());
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static HikariDataSource pool(String url) {
        return ConnectionPool.create(DatabaseSettings.read(SettingsReader.of(Map.of(
                "database.type", "postgresql", "database.url", url, "database.pool.size", "1",
                "database.pool.timeout", "2s"))));
    }

    private static String url(String host, String parameters) {
        return "jdbc:postgresql://" + host + ":" + postgres.port() + "/postgres?" + parameters;
    }

    @Test
    void connectsWithVerifyFullAgainstTheServersOwnCertificate() throws SQLException {
        try (HikariDataSource pool = pool(url("localhost",
                "sslmode=verify-full&sslrootcert=" + certificate.certificate()));
                Connection connection = pool.getConnection();
                Statement query = connection.createStatement();
                ResultSet result = query.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertTrue(result.next(), "the server reports on this session's TLS");
            assertTrue(result.getBoolean(1), "the session is encrypted");
        }
    }

    @Test
    void connectsWithVerifyCaByIpAddress() throws SQLException {
        try (HikariDataSource pool = pool(url("127.0.0.1", "sslmode=verify-ca&sslrootcert=" + certificate.certificate()));
                Connection connection = pool.getConnection()) {
            assertTrue(connection.isValid(2), "verify-ca accepts the certificate signed by the given root");
        }
    }

    @Test
    void refusesPlaintextWhereTheServerRequiresTls() {
        try (HikariDataSource pool = pool(url("127.0.0.1", "sslmode=disable"))) {
            SQLException error = assertThrows(SQLException.class, pool::getConnection,
                    "a plaintext connection is refused by a server that requires TLS");
            String message = rootMessage(error);
            assertTrue(message.contains("no encryption") || message.contains("pg_hba.conf"),
                    "the refusal says encryption is required: " + message);
        }
    }

    @Test
    void refusesAServerWhoseCertificateIsNotTrusted(@TempDir Path other) {
        SelfSignedCertificate stranger = SelfSignedCertificate.create(other);
        try (HikariDataSource pool = pool(url("localhost", "sslmode=verify-full&sslrootcert=" + stranger.certificate()))) {
            SQLException error = assertThrows(SQLException.class, pool::getConnection,
                    "verify-full refuses a server certificate not signed by the given root");
            String message = rootMessage(error);
            assertTrue(message.toLowerCase().contains("certif") || message.contains("SSL"),
                    "the refusal names the certificate check: " + message);
        }
    }

    private static String rootMessage(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            all.append(cause.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
