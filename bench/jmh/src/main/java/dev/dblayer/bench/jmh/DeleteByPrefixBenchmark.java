package dev.dblayer.bench.jmh;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.dblayer.redis.RedisKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Case c: deleting {@code p:*} ({@link #keys} keys, the first {@link #EXCLUDED} excluded where the
 * method can exclude) three ways: dblayer's deleteByPrefix; {@code redis-cli --scan | xargs redis-cli
 * unlink}; and the original module's algorithm written plainly (SCAN COUNT 1000, then DEL of that
 * page, one after the other). Each invocation starts from a freshly filled database; filling is not
 * timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DeleteByPrefixBenchmark {

    static final int EXCLUDED = 1000;

    @Param("1000000")
    public int keys;

    private PrivateRedis redis;
    private RedisClient client;
    private Path fill;
    private String[] excluded;

    @Setup(Level.Trial)
    public void start() throws Exception {
        redis = PrivateRedis.start();
        client = RedisClient.create("127.0.0.1", redis.port);
        fill = Files.createTempFile("bench-fill", ".resp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(fill), 1 << 16)) {
            for (int i = 0; i < keys; i++) {
                String key = "p:" + i;
                out.write(("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$1\r\nv\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
        excluded = new String[Math.min(EXCLUDED, keys / 2)];
        for (int i = 0; i < excluded.length; i++) {
            excluded[i] = "p:" + i;
        }
    }

    @Setup(Level.Invocation)
    public void fill() throws Exception {
        client.flushDB();
        PrivateRedis.shell(redis.cli() + " --pipe < " + fill + " > /dev/null");
        if (client.dbSize() != keys) {
            throw new IllegalStateException("filled " + client.dbSize() + " keys, wanted " + keys);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        client.close();
        redis.close();
        Files.deleteIfExists(fill);
    }

    @Benchmark
    public long dblayerDeleteByPrefix() {
        long deleted = new RedisKeys(client).deleteByPrefix("p", excluded);
        return check(deleted, keys - excluded.length);
    }

    @Benchmark
    public long redisCliScanXargsUnlink() throws Exception {
        PrivateRedis.shell(redis.cli() + " --scan --pattern 'p:*' | xargs " + redis.cli() + " unlink > /dev/null");
        return check(keys - client.dbSize(), keys);
    }

    /** The original module's loop: SCAN a page of about 1000, DEL it, and again, never overlapping. */
    @Benchmark
    public long originalScanThenDel() {
        Set<String> keep = new HashSet<>(List.of(excluded));
        ScanParams params = new ScanParams().match("p:*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        long deleted = 0;
        do {
            ScanResult<String> page = client.scan(cursor, params);
            List<String> doomed = new ArrayList<>(page.getResult().size());
            for (String key : page.getResult()) {
                if (!keep.contains(key)) {
                    doomed.add(key);
                }
            }
            if (!doomed.isEmpty()) {
                deleted += client.del(doomed.toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return check(deleted, keys - excluded.length);
    }

    RedisClient client() {
        return client;
    }

    String[] excluded() {
        return excluded;
    }

    private static long check(long deleted, long wanted) {
        if (deleted != wanted) {
            throw new IllegalStateException("deleted " + deleted + " keys, wanted " + wanted);
        }
        return deleted;
    }
}
