package dev.dblayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The demo in a Payara Server domain (src/test/payara-server/domain.sh), which DemoIT also runs
 * against: its settings came from the environment the domain was started with, as in a pod.
 */
class PayaraServerIT {

    private static final String BASE = System.getProperty("demo.url");
    /** The database DATABASE_SCHEMA names in the pom's start-payara-server execution. */
    private static final String DATABASE = "demo_payara_server";

    @Test
    void aUserCreatedThroughTheApiIsInTheDatabaseTheEnvironmentNames() throws Exception {
        String name = "payara-server-" + UUID.randomUUID();
        HttpResponse<String> created = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(BASE + "/api/users")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + name + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), "user created on Payara Server: " + created.body());

        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                        "postgres", "");
                PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM demo_user WHERE username = ?")) {
            count.setString(1, name);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                assertEquals(1, result.getLong(1), "the row is in " + DATABASE + ", which only DATABASE_SCHEMA names");
            }
        }
    }
}
