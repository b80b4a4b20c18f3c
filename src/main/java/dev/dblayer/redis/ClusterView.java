package dev.dblayer.redis;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;

/**
 * Who serves each hash slot, as every reachable node of a Redis Cluster agrees (from their
 * {@code CLUSTER NODES}). A slot is <em>settled</em> when every node that answered names the same
 * primary for it, none marks that primary as failing ({@code fail} or {@code fail?}) and none has
 * the slot migrating or importing; otherwise it is unsettled (a failover or resharding under way).
 * Immutable.
 */
final class ClusterView {

    static final int SLOTS = 16384;

    /** Slot to the node id of its settled primary, or null when unsettled. */
    private final String[] owners;
    /** Node id to {@code host:port}. */
    private final Map<String, String> addresses;
    /** The ids of the nodes that answered. */
    private final java.util.Set<String> answered;

    private ClusterView(String[] owners, Map<String, String> addresses, java.util.Set<String> answered) {
        this.owners = owners;
        this.addresses = addresses;
        this.answered = answered;
    }

    /** Asks every node the client knows; nodes that do not answer are left out. */
    static ClusterView read(RedisClusterClient client) {
        String[] merged = null;
        boolean[] conflict = new boolean[SLOTS];
        Map<String, String> addresses = new HashMap<>();
        java.util.Set<String> answered = new java.util.HashSet<>();
        for (ConnectionPool pool : client.getClusterNodes().values()) {
            String[] view;
            try (Connection connection = pool.getResource()) {
                Object reply = connection.executeCommand(new redis.clients.jedis.CommandArguments(
                        Protocol.Command.CLUSTER).add("NODES"));
                view = parse(new String((byte[]) reply, java.nio.charset.StandardCharsets.UTF_8), addresses, answered);
            } catch (RuntimeException unreachable) {
                continue; // a dead node has no view; the others say whether its slots moved
            }
            if (merged == null) {
                merged = view;
                continue;
            }
            for (int slot = 0; slot < SLOTS; slot++) {
                if (!Objects.equals(merged[slot], view[slot])) {
                    conflict[slot] = true;
                }
            }
        }
        String[] owners = new String[SLOTS];
        if (merged != null) {
            for (int slot = 0; slot < SLOTS; slot++) {
                owners[slot] = conflict[slot] ? null : merged[slot];
            }
        }
        return new ClusterView(owners, addresses, answered);
    }

    /**
     * One node's {@code CLUSTER NODES}: slot to owner id, null where that node sees the owner failing
     * or the slot migrating. Lines are {@code id ip:port@cport[,hostname] flags master ping pong epoch
     * link slot...}; a slot is {@code n}, {@code a-b}, or {@code [n->-id]} / {@code [n-<-id]} in migration.
     */
    static String[] parse(String nodes, Map<String, String> addresses, java.util.Set<String> answered) {
        String[] owners = new String[SLOTS];
        boolean[] moving = new boolean[SLOTS];
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 8) {
                continue;
            }
            String id = fields[0];
            String address = fields[1].split("@", 2)[0];
            addresses.put(id, address);
            String flags = fields[2];
            if (flags.contains("myself")) {
                answered.add(id);
            }
            boolean servingPrimary = Arrays.asList(flags.split(",")).contains("master")
                    && !flags.contains("fail") && !flags.contains("noaddr");
            for (int i = 8; i < fields.length; i++) {
                String range = fields[i];
                if (range.startsWith("[")) {
                    moving[Integer.parseInt(range.substring(1, range.indexOf('-')))] = true;
                    continue;
                }
                int dash = range.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
                for (int slot = from; slot <= to; slot++) {
                    owners[slot] = servingPrimary ? id : null;
                }
            }
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            if (moving[slot]) {
                owners[slot] = null;
            }
        }
        return owners;
    }

    /** The id of the settled primary of {@code slot}, or null while it is unsettled. */
    String owner(int slot) {
        return owners[slot];
    }

    /** Whether node {@code id} answered this reading (a primary that died since would not). */
    boolean answered(String id) {
        return answered.contains(id);
    }

    /** The {@code host:port} of node {@code id}, as the nodes announce it. */
    String address(String id) {
        return addresses.get(id);
    }
}
