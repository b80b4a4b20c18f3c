package dev.dblayer.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Issue 16: the README's "migrations" variant of the demo. Open Liberty runs the demo WAR with
 * {@code DATABASE_SCHEMA_GENERATION=migrate} on a new database: its {@code db/migration} scripts
 * make the schema ({@code V1} the tables and a welcome note, {@code V2} a column added to that table
 * with its row, and filled), the history table records both, and the API works on that schema.
 */
class DemoMigrationsIT {

    private static final Path TARGET = Paths.get(System.getProperty("rolling.target", "target")).toAbsolutePath();
    private static final String DATABASE = "demo_migrations_it";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theDemosScriptsMakeItsSchemaAndTheHistoryRecordsThem() throws Exception {
        execute("postgres", "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        Path wlp = Paths.get(System.getProperty("liberty.wlp", TARGET.resolve("liberty/wlp").toString()));
        Path war = Paths.get(System.getProperty("demo.war", TARGET.resolve("dblayer-demo.war").toString()));
        int port = FreePorts.take();
        ServerProcess server = ServerProcess.liberty(wlp, "migrations-" + port, port, war, Map.of(
                "DATABASE_SCHEMA", DATABASE, "DATABASE_SCHEMA_GENERATION", "migrate"));
        try {
            server.awaitReady(Duration.ofSeconds(120));
            String messages = RollingRestartIT.read(wlp.resolve("usr/servers/migrations-" + port + "/logs/messages.log"));
            assertTrue(messages.contains("dblayer: applied 2 migrations"), "the demo applied V1 and V2:\n" + messages);
            assertEquals(List.of("1 create demo true", "2 add note text length true"), rows(
                    "SELECT version, description, CASE WHEN success THEN 'true' ELSE 'false' END"
                            + " FROM flyway_schema_history ORDER BY installed_rank"));
            assertEquals(List.of("welcome 20"), rows("SELECT u.username, n.text_length FROM demo_note n"
                    + " JOIN demo_user u ON u.id = n.owner_id"), "V2 filled the new column of V1's row");

            HttpResponse<String> user = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/users")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"migrated\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, user.statusCode(), "a user is created on the migrated schema: " + user.body());
            assertEquals(List.of("2"), rows("SELECT COUNT(*) FROM demo_user"));
        } finally {
            server.stop();
            execute("postgres", "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    private static List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = connect(DATABASE); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(result.getString(i));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }

    private static void execute(String database, String sql) throws SQLException {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
    }
}
