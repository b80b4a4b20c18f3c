package dev.dblayer.bench.jmh;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.dblayer.redis.RedisKeys;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * How much of deleteByPrefix's time is the server's own work: fills {@code p:*}, resets the
 * server's statistics, deletes by each method and prints wall time beside the microseconds Redis
 * spent in SCAN, UNLINK and DEL ({@code INFO commandstats}). No client can go below that work
 * without sending fewer commands' worth of keys. Usage: {@code ServerWork [keys] [rounds]}.
 */
public final class ServerWork {

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        DeleteByPrefixBenchmark fill = new DeleteByPrefixBenchmark();
        fill.keys = keys;
        fill.start();
        try {
            for (int round = 1; round <= rounds; round++) {
                for (String method : List.of("dblayer", "original", "redis-cli")) {
                    fill.fill();
                    RedisClient client = fill.client();
                    client.sendCommand(redis.clients.jedis.Protocol.Command.CONFIG, "RESETSTAT");
                    long start = System.nanoTime();
                    switch (method) {
                        case "dblayer" -> new RedisKeys(client).deleteByPrefix("p", fill.excluded());
                        case "original" -> original(client, fill.excluded());
                        default -> fill.redisCliScanXargsUnlink();
                    }
                    long wallMicros = (System.nanoTime() - start) / 1000;
                    long serverMicros = 0;
                    StringBuilder detail = new StringBuilder();
                    for (String line : client.info("commandstats").split("\r?\n")) {
                        if (line.startsWith("cmdstat_scan:") || line.startsWith("cmdstat_unlink:")
                                || line.startsWith("cmdstat_del:")) {
                            String name = line.substring(8, line.indexOf(':'));
                            String[] fields = line.substring(line.indexOf(':') + 1).split(",");
                            long calls = Long.parseLong(fields[0].split("=")[1]);
                            long usec = Long.parseLong(fields[1].split("=")[1]);
                            serverMicros += usec;
                            detail.append(String.format(" %s: %d calls %d ms;", name, calls, usec / 1000));
                        }
                    }
                    System.out.printf("round %d %-9s wall %5d ms, server busy in scan/unlink/del %5d ms (%.0f%%);%s%n",
                            round, method, wallMicros / 1000, serverMicros / 1000, 100.0 * serverMicros / wallMicros,
                            detail);
                }
            }
        } finally {
            fill.stop();
        }
    }

    private static void original(RedisClient client, String[] excluded) {
        Set<String> keep = new HashSet<>(List.of(excluded));
        ScanParams params = new ScanParams().match("p:*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = client.scan(cursor, params);
            List<String> doomed = new ArrayList<>();
            for (String key : page.getResult()) {
                if (!keep.contains(key)) {
                    doomed.add(key);
                }
            }
            if (!doomed.isEmpty()) {
                client.del(doomed.toArray(String[]::new));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
}
