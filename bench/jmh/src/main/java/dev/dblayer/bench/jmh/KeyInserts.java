package dev.dblayer.bench.jmh;

import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.dblayer.db.BenchDatabases;
import dev.dblayer.db.Database;
import dev.dblayer.snowflake.Snowflake;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

/**
 * Inserting rows with snowflake ids against identity ids, through dblayer's own path: its
 * {@link Database} (settings, HikariCP pool, the unit deployed with dblayer's session setup, so
 * {@code database.pk-mode} decides the ids), an EntityManager per transaction of {@code chunk} rows,
 * as an import job would do it. On PostgreSQL and MariaDB, with EclipseLink's JDBC batch writing off
 * and on (the unit's own persistence.xml property, which dblayer passes through), and on MariaDB also
 * with Connector/J's {@code rewriteBatchedStatements=true} (in {@code database.url}).
 *
 * <p>Each setup starts a Database of its own (the table dropped and created), inserts {@code warmup}
 * rows untimed, then {@code rows} rows timed, checks the count and closes it; rounds run the setups
 * in turn, so that each snowflake figure has its identity baseline next to it in time. Before the
 * rounds, one pass of {@code countRows} rows per setup goes through {@link RoundTrips} to count the
 * round trips to the database. Writes one JSON object a line to {@code out}.
 *
 * <pre>KeyInserts OUT ROWS ROUNDS CHUNK WARMUP COUNT_ROWS</pre>
 */
public final class KeyInserts {

    static final String SCHEMA = "dblayer_bench_keys";

    /** One way of inserting: database, unit (batch writing off or on), driver rewrite, id mode. */
    record Setup(String database, String batch, String mode) {

        String unit() {
            return batch.equals("off") ? "keys" : "keys-batch";
        }

        int port() {
            return database.equals("postgresql") ? 5432 : 3306;
        }

        Map<String, String> settings(int port) {
            Map<String, String> values = new HashMap<>();
            values.put("database.type", database);
            if (batch.equals("jdbc-rewrite")) {
                values.put("database.url", "jdbc:mysql://127.0.0.1:" + port + "/" + SCHEMA
                        + "?characterEncoding=UTF-8&rewriteBatchedStatements=true");
            } else {
                values.put("database.host", "127.0.0.1");
                values.put("database.port", Integer.toString(port));
                values.put("database.schema", SCHEMA);
            }
            values.put("database.persistence-unit", unit());
            values.put("database.pk-mode", mode);
            values.put("database.schema-generation", "drop-and-create");
            values.put("database.schema-generation.allow-drop", "true");
            values.put("database.pool.size", "2");
            return values;
        }
    }

    private KeyInserts() {
    }

    public static void main(String[] args) throws Exception {
        String out = args[0];
        int rows = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int chunk = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int countRows = Integer.parseInt(args[5]);
        createDatabases();
        List<Setup> setups = new ArrayList<>();
        for (String database : List.of("postgresql", "mysql")) {
            List<String> batches = database.equals("mysql") ? List.of("off", "jdbc", "jdbc-rewrite") : List.of("off", "jdbc");
            for (String batch : batches) {
                for (String mode : List.of("autoincrement", "snowflake")) {
                    setups.add(new Setup(database, batch, mode));
                }
            }
        }
        Snowflake snowflake = Snowflake.withFixedNode(30, 30);
        try (PrintWriter results = new PrintWriter(new FileWriter(out, true), true)) {
            for (Setup setup : setups) {
                try (RoundTrips relay = new RoundTrips(setup.port())) {
                    Database database = BenchDatabases.start(new MapConfig(setup.settings(relay.port())), snowflake);
                    try {
                        EntityManagerFactory factory = database.entityManagerFactory();
                        insert(factory, chunk, chunk, 0); // the first transaction's one-off work, uncounted
                        long before = relay.count();
                        insert(factory, countRows, chunk, chunk);
                        long trips = relay.count() - before;
                        results.println(String.format("{\"kind\": \"roundtrips\", %s, \"rows\": %d, \"chunk\": %d,"
                                + " \"trips\": %d}", json(setup), countRows, chunk, trips));
                        System.out.printf("round trips %-10s %-12s %-13s %d for %d rows (%.2f a row)%n",
                                setup.database(), setup.batch(), setup.mode(), trips, countRows,
                                trips / (double) countRows);
                    } finally {
                        BenchDatabases.close(database);
                    }
                }
            }
            for (int round = 1; round <= rounds; round++) {
                for (Setup setup : setups) {
                    Database database = BenchDatabases.start(new MapConfig(setup.settings(setup.port())), snowflake);
                    try {
                        EntityManagerFactory factory = database.entityManagerFactory();
                        insert(factory, warmup, chunk, 0);
                        long start = System.nanoTime();
                        insert(factory, rows, chunk, warmup);
                        double ms = (System.nanoTime() - start) / 1e6;
                        requireCount(database, warmup + rows);
                        results.println(String.format("{\"kind\": \"insert\", %s, \"round\": %d, \"rows\": %d,"
                                + " \"chunk\": %d, \"ms\": %.3f}", json(setup), round, rows, chunk, ms));
                        System.out.printf("round %d %-10s %-12s %-13s %8.1f ms for %d rows%n", round,
                                setup.database(), setup.batch(), setup.mode(), ms, rows);
                    } finally {
                        BenchDatabases.close(database);
                    }
                }
            }
        }
    }

    /** {@code rows} new rows in transactions of {@code chunk}, each on an EntityManager of its own. */
    private static void insert(EntityManagerFactory factory, int rows, int chunk, long firstNumber) {
        for (int done = 0; done < rows; done += chunk) {
            try (EntityManager em = factory.createEntityManager()) {
                em.getTransaction().begin();
                for (int i = done; i < Math.min(rows, done + chunk); i++) {
                    em.persist(new KeyRow("row " + (firstNumber + i), firstNumber + i));
                }
                em.getTransaction().commit();
            }
        }
    }

    private static void requireCount(Database database, long expected) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("SELECT count(*) FROM bench_key_row")) {
            count.next();
            if (count.getLong(1) != expected) {
                throw new IllegalStateException("bench_key_row holds " + count.getLong(1) + " rows, not " + expected);
            }
        }
    }

    private static String json(Setup setup) {
        return String.format("\"database\": \"%s\", \"batch\": \"%s\", \"mode\": \"%s\"", setup.database(),
                setup.batch(), setup.mode());
    }

    /** The bench's own database on each server (a URL setting cannot ask dblayer to create it). */
    private static void createDatabases() throws SQLException {
        try (Connection pg = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                Statement statement = pg.createStatement();
                ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + SCHEMA + "'")) {
            if (!exists.next()) {
                statement.execute("CREATE DATABASE " + SCHEMA);
            }
        }
        try (Connection my = DriverManager.getConnection("jdbc:mysql://127.0.0.1:3306/", "root", "");
                Statement statement = my.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS " + SCHEMA);
        }
    }
}
