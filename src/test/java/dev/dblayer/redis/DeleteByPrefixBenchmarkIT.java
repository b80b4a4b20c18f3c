package dev.dblayer.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dblayer.testsupport.RedisServerProcess;
import redis.clients.jedis.RedisClient;

/**
 * Times deleteByPrefix on a million keys against {@code redis-cli --scan | xargs redis-cli unlink},
 * on a private redis-server, and prints both times and their ratio. The test suite runs it as a
 * smoke test on 20,000 keys (it checks results, never timings); {@code -Dbenchmark.redis.keys=1000000}
 * runs the real benchmark.
 */
class DeleteByPrefixBenchmarkIT {

    private static final int KEYS = Integer.getInteger("benchmark.redis.keys", 20_000);

    @Test
    void deleteByPrefixOnAMillionKeysIsMeasuredAgainstRedisCli(@TempDir Path dir) throws Exception {
        Path commands = writeSetCommands(dir.resolve("set.resp"));
        try (RedisServerProcess server = RedisServerProcess.start();
                RedisClient client = RedisClient.create("127.0.0.1", server.port())) {
            String cli = "redis-cli -h 127.0.0.1 -p " + server.port();

            fill(cli, commands, client);
            long start = System.nanoTime();
            shell(cli + " --scan --pattern 'p:*' | xargs " + cli + " unlink > /dev/null");
            long baselineNanos = System.nanoTime() - start;
            assertEquals(0, client.dbSize(), "redis-cli deleted every key");

            RedisKeys keys = new RedisKeys(client);
            fill(cli, commands, client);
            // Warm-up, so the JIT has compiled the loop as it would have in a running application.
            for (int i = 0; i < 20_000; i++) {
                client.set("w:" + i, "v");
            }
            keys.deleteByPrefix("w");
            start = System.nanoTime();
            long deleted = keys.deleteByPrefix("p");
            long ownNanos = System.nanoTime() - start;
            assertEquals(KEYS, deleted, "deleteByPrefix deleted every key");
            assertEquals(0, client.dbSize(), "no key left");

            System.out.printf("deleteByPrefix on %,d keys: %d ms; redis-cli --scan | xargs redis-cli unlink:"
                    + " %d ms; ratio %.3f%n", KEYS, ownNanos / 1_000_000, baselineNanos / 1_000_000,
                    (double) ownNanos / baselineNanos);
        }
    }

    private static void fill(String cli, Path commands, RedisClient client) throws Exception {
        shell(cli + " --pipe < " + commands + " > /dev/null");
        assertEquals(KEYS, client.dbSize(), "redis-cli --pipe wrote every key");
    }

    private static Path writeSetCommands(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < KEYS; i++) {
                String key = "p:" + i;
                out.write(("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$1\r\nv\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        return file;
    }

    private static void shell(String command) throws Exception {
        Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(command + " failed:\n" + output);
        }
    }
}
