package dev.dblayer.snowflake;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import dev.dblayer.redis.Redis;
import dev.dblayer.redis.Redises;
import dev.dblayer.testsupport.MapConfig;

/**
 * One node of the snowflake tests, in a JVM of its own: the {@code redis.*} and {@code snowflake.*}
 * system properties configure the real {@link Redis} and {@link Snowflake} beans.
 *
 * <p>Arguments: {@code START_AT_EPOCH_MILLIS COUNT FILE [exit|park|hold]}. It waits until the start instant,
 * takes its node id, writes {@code COUNT} ids to {@code FILE} (big-endian longs) and prints
 * {@code NODE D W} and {@code WRITTEN}, then exits; with {@code park} it waits, holding its lease,
 * until it is stopped. With {@code hold} it then makes one id every 20 ms until it is
 * stopped, printing {@code ID-OK ID} for each and {@code ID-FAIL MESSAGE} once each time ids stop. A
 * SIGTERM closes the beans (the lease is released); a SIGKILL does not.
 */
public final class SnowflakeNode {

    public static void main(String[] args) throws IOException, InterruptedException {
        long startAt = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        String then = args.length > 3 ? args[3] : "exit";
        Map<String, String> settings = new HashMap<>();
        System.getProperties().forEach((key, value) -> {
            if (key.toString().startsWith("redis.") || key.toString().startsWith("snowflake.")) {
                settings.put(key.toString(), value.toString());
            }
        });
        MapConfig config = new MapConfig(settings);
        Redis redis = Redises.start(config);
        Snowflake snowflake = new Snowflake(config, redis);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            snowflake.close();
            Redises.close(redis);
        }));
        long wait = startAt - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        long began = System.currentTimeMillis();
        snowflake.start();
        SnowflakeId first = snowflake.parse(snowflake.next());
        System.out.println("BEGAN " + began);
        System.out.println("NODE " + first.datacenterId() + " " + first.workerId());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(args[2])))) {
            out.writeLong(first.toLong());
            for (int i = 1; i < count; i++) {
                out.writeLong(snowflake.next());
            }
        }
        System.out.println("WRITTEN");
        if (then.equals("exit")) {
            System.exit(0); // the shutdown hook releases the lease
        }
        if (then.equals("park")) {
            Thread.sleep(Long.MAX_VALUE); // holds the lease until stopped
        }
        boolean failing = false;
        while (true) {
            try {
                long id = snowflake.next();
                System.out.println("ID-OK " + id);
                failing = false;
            } catch (IllegalStateException e) {
                if (!failing) {
                    System.out.println("ID-FAIL " + e.getMessage());
                }
                failing = true;
            }
            Thread.sleep(20);
        }
    }
}
