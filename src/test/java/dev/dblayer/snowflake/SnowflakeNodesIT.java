package dev.dblayer.snowflake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.dblayer.redis.Redis;
import dev.dblayer.redis.Redises;
import dev.dblayer.testsupport.JavaProcess;
import dev.dblayer.testsupport.MapConfig;
import dev.dblayer.testsupport.RedisServerProcess;
import dev.dblayer.testsupport.TcpProxy;
import redis.clients.jedis.RedisClient;

/**
 * Snowflake nodes as users meet them: separate JVMs ({@link SnowflakeNode}) leasing node ids from a
 * private {@code redis-server}, started together, killed with SIGKILL, and cut off from Redis.
 */
class SnowflakeNodesIT {

    private static final Pattern NODE = Pattern.compile("NODE (\\d+) (\\d+)");
    private static final Pattern BEGAN = Pattern.compile("BEGAN (\\d+)");
    private static final Duration START = Duration.ofSeconds(60);

    private RedisServerProcess server;
    private RedisClient redis;
    private final List<JavaProcess> nodes = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        server = RedisServerProcess.start();
        redis = RedisClient.create("127.0.0.1", server.port());
    }

    @AfterEach
    void stopAll() throws IOException {
        nodes.forEach(JavaProcess::close);
        redis.close();
        server.close();
        for (Path file : files) {
            Files.deleteIfExists(file);
        }
    }

    private JavaProcess node(int redisPort, long startAt, int count, Path out, String then, String... settings) {
        Map<String, String> properties = new HashMap<>(Map.of("redis.host", "127.0.0.1",
                "redis.port", Integer.toString(redisPort), "redis.timeout", "1s"));
        for (int i = 0; i < settings.length; i += 2) {
            properties.put(settings[i], settings[i + 1]);
        }
        JavaProcess node = JavaProcess.start(SnowflakeNode.class, properties,
                Long.toString(startAt), Integer.toString(count), out.toString(), then);
        nodes.add(node);
        return node;
    }

    private Path file() throws IOException {
        Path file = Files.createTempFile("snowflake-ids-", ".bin");
        files.add(file);
        return file;
    }

    private static NodeId nodeOf(JavaProcess node) {
        node.awaitOutput("NODE ", START);
        Matcher matcher = NODE.matcher(node.output());
        assertTrue(matcher.find(), "the node printed its node id:\n" + node.output());
        return new NodeId(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    private static long[] read(Path file) throws IOException {
        long[] ids = new long[(int) (Files.size(file) / Long.BYTES)];
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = in.readLong();
            }
            assertThrows(EOFException.class, in::readLong, "the file holds whole ids only");
        }
        return ids;
    }

    private static void assertIncreasing(long[] ids, String node) {
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] <= ids[i - 1]) {
                throw new AssertionError(node + ": id " + i + " (" + ids[i] + ") is not above the one before ("
                        + ids[i - 1] + ")");
            }
        }
    }

    @Test
    void threeNodesStartedTogetherHoldThreePairsAndAMillionIdsHaveNoDuplicate() throws Exception {
        // late enough that three JVMs started on a loaded machine are all waiting for it
        long startAt = System.currentTimeMillis() + 15_000;
        List<Path> outputs = new ArrayList<>();
        List<JavaProcess> first = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path out = file();
            outputs.add(out);
            first.add(node(server.port(), startAt, 300_000, out, "park"));
        }
        List<NodeId> pairs = new ArrayList<>();
        List<Long> began = new ArrayList<>();
        for (JavaProcess node : first) {
            pairs.add(nodeOf(node));
            node.awaitOutput("WRITTEN", START);
            Matcher matcher = BEGAN.matcher(node.output());
            assertTrue(matcher.find(), "the node printed when it began");
            began.add(Long.parseLong(matcher.group(1)));
        }
        long spread = began.stream().mapToLong(Long::longValue).max().getAsLong()
                - began.stream().mapToLong(Long::longValue).min().getAsLong();
        assertTrue(spread < 100, "the three nodes took their leases within 100 ms of each other: " + began);
        assertEquals(3, pairs.stream().distinct().count(), "three nodes hold three different pairs: " + pairs);
        for (JavaProcess node : first) {
            node.terminate(); // SIGTERM, as Kubernetes stops a pod
            assertFalse(node.isAlive(), "the node stopped on SIGTERM");
        }
        for (NodeId pair : pairs) {
            assertFalse(redis.exists(new SnowflakeSettings(java.util.OptionalInt.empty(), java.util.OptionalInt.empty(),
                    SnowflakeSettings.DEFAULT_REDIS_PREFIX, SnowflakeSettings.DEFAULT_NODE_TTL,
                    SnowflakeSettings.DEFAULT_HEARTBEAT_INTERVAL).leaseKey(pair.datacenterId(), pair.workerId())),
                    "a node that stopped released its lease on " + pair);
        }

        // one node restarts and goes on issuing
        Path restarted = file();
        outputs.add(restarted);
        JavaProcess again = node(server.port(), 0, 100_000, restarted, "exit");
        NodeId pairAgain = nodeOf(again);
        assertEquals(0, again.awaitExit(START), "the restarted node ends cleanly:\n" + again.output());

        long[][] perNode = new long[outputs.size()][];
        int total = 0;
        for (int i = 0; i < outputs.size(); i++) {
            perNode[i] = read(outputs.get(i));
            assertIncreasing(perNode[i], "node " + i);
            total += perNode[i].length;
        }
        assertEquals(1_000_000, total, "every id was written");
        long[] all = new long[total];
        int at = 0;
        for (long[] ids : perNode) {
            System.arraycopy(ids, 0, all, at, ids.length);
            at += ids.length;
        }
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
            if (all[i] == all[i - 1]) {
                throw new AssertionError("id " + all[i] + " was issued twice (" + SnowflakeId.parse(all[i]) + ")");
            }
        }
        assertTrue(pairs.contains(pairAgain), "the restarted node took a released pair again: " + pairAgain);
        for (int i = 0; i < outputs.size(); i++) {
            NodeId expected = i < 3 ? pairs.get(i) : pairAgain;
            SnowflakeId sample = SnowflakeId.parse(perNode[i][perNode[i].length / 2]);
            assertEquals(expected, new NodeId(sample.datacenterId(), sample.workerId()),
                    "node " + i + "'s ids carry its node id");
        }
    }

    @Test
    void aKilledNodesPairIsFreeAfterTheTtlAndAnotherTakesIt() throws Exception {
        String[] shortLease = {SnowflakeSettings.NODE_TTL, "3s", SnowflakeSettings.HEARTBEAT_INTERVAL, "500ms"};
        JavaProcess killed = node(server.port(), 0, 10, file(), "hold", shortLease);
        NodeId pair = nodeOf(killed);
        killed.kill();
        String key = SnowflakeSettings.DEFAULT_REDIS_PREFIX + ":nodes:" + pair.datacenterId() + ":" + pair.workerId();
        assertTrue(redis.pttl(key) > 0, "a SIGKILL leaves the lease in place until its TTL");

        JavaProcess meanwhile = node(server.port(), 0, 10, file(), "hold", shortLease);
        assertNotEquals(pair, nodeOf(meanwhile), "while the lease lasts, another node takes another pair");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (redis.exists(key)) {
            assertTrue(System.nanoTime() < deadline, "the killed node's lease expires within its TTL");
            Thread.sleep(100);
        }
        JavaProcess successor = node(server.port(), 0, 10, file(), "hold", shortLease);
        assertEquals(pair, nodeOf(successor), "after the TTL the killed node's pair is free and taken again");
    }

    @Test
    void aNodeCutOffFromRedisForLongerThanTheTtlStopsIssuingIds() throws Exception {
        String[] shortLease = {SnowflakeSettings.NODE_TTL, "3s", SnowflakeSettings.HEARTBEAT_INTERVAL, "500ms"};
        try (TcpProxy proxy = TcpProxy.to(server.port()).mode(TcpProxy.Mode.FORWARD)) {
            JavaProcess cut = node(proxy.port(), 0, 10, file(), "hold", shortLease);
            NodeId pair = nodeOf(cut);
            cut.awaitOutput("ID-OK ", START);
            proxy.mode(TcpProxy.Mode.CLOSED);
            long cutAt = System.currentTimeMillis();

            // the lease expires in Redis; a node that can reach Redis takes the same pair
            String key = SnowflakeSettings.DEFAULT_REDIS_PREFIX + ":nodes:" + pair.datacenterId() + ":"
                    + pair.workerId();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (redis.exists(key)) {
                assertTrue(System.nanoTime() < deadline, "the cut-off node's lease expires");
                Thread.sleep(50);
            }
            JavaProcess successor = node(server.port(), 0, 10, file(), "hold", shortLease);
            assertEquals(pair, nodeOf(successor), "the successor holds the cut-off node's pair");
            successor.awaitOutput("WRITTEN", START);
            long successorFrom = SnowflakeId.parse(read(files.get(files.size() - 1))[0]).time().toEpochMilli();

            cut.awaitOutput("ID-FAIL ", Duration.ofSeconds(10));
            String output = cut.output();
            assertTrue(output.contains("could not be renewed"), "the cut-off node says why it stopped:\n" + output);
            Matcher ok = Pattern.compile("ID-OK (\\d+)").matcher(output);
            long lastIssued = 0;
            while (ok.find()) {
                lastIssued = Math.max(lastIssued, SnowflakeId.parse(Long.parseLong(ok.group(1))).time().toEpochMilli());
            }
            assertTrue(lastIssued > cutAt, "the cut-off node went on issuing while its lease surely held");
            assertTrue(lastIssued < successorFrom, "no id of the cut-off node is as late as the successor's first ("
                    + lastIssued + " >= " + successorFrom + "): ids under the same pair never overlap in time");

            // Redis back: the cut-off node wins a lease again (another pair) and issues again
            int printed = output.length();
            proxy.mode(TcpProxy.Mode.FORWARD);
            deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!cut.output().substring(printed).contains("ID-OK ")) {
                assertTrue(System.nanoTime() < deadline, "the node issues ids again once Redis is back:\n"
                        + cut.output().substring(printed));
                Thread.sleep(100);
            }
            Matcher resumed = Pattern.compile("ID-OK (\\d+)").matcher(cut.output().substring(printed));
            assertTrue(resumed.find(), "an id after the outage");
            SnowflakeId after = SnowflakeId.parse(Long.parseLong(resumed.group(1)));
            assertNotEquals(pair, new NodeId(after.datacenterId(), after.workerId()),
                    "it resumes under a pair of its own, not the successor's");
        }
    }

    @Test
    void allPairsTakenIsAStartupErrorNamingThePrefix() {
        for (int index = 0; index < NodeId.PAIRS; index++) {
            NodeId pair = NodeId.ofIndex(index);
            redis.set("full:nodes:" + pair.datacenterId() + ":" + pair.workerId(), "someone");
        }
        MapConfig config = new MapConfig(Map.of("redis.host", "127.0.0.1", "redis.port",
                Integer.toString(server.port()), SnowflakeSettings.REDIS_PREFIX, "full"));
        Redis bean = Redises.start(config);
        try {
            Snowflake snowflake = new Snowflake(config, bean);
            IllegalStateException refused = assertThrows(IllegalStateException.class, snowflake::start,
                    "no free pair is an error at startup");
            assertTrue(refused.getMessage().contains("all 1024") && refused.getMessage().contains("prefix=full"),
                    "the message says all are taken and names the prefix: " + refused.getMessage());
        } finally {
            Redises.close(bean);
        }
    }
}
