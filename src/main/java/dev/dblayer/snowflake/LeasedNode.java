package dev.dblayer.snowflake;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.dblayer.internal.Errors;
import dev.dblayer.internal.SettingsReader;

/**
 * A node id leased from Redis, kept by a heartbeat: the node id to issue under while the lease is
 * surely this node's, and a refusal otherwise.
 *
 * <p>A lease counts as held until the node TTL, less a tenth of it for clock rate and pauses, has
 * passed since the command that won or last renewed it was <em>sent</em>: Redis cannot have let it
 * expire before then. The heartbeat renews it every heartbeat interval; a failed renewal is tried
 * again every second. When the lease has run out, or Redis says it is no longer this node's, ids
 * stop until a lease is won again (any free pair, perhaps the same). Thread-safe.
 */
final class LeasedNode implements Supplier<NodeId>, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Snowflake.class.getName());
    private static final Duration RETRY = Duration.ofSeconds(1);

    private record Held(NodeId node, long sentNanos, long validUntilNanos) {
    }

    private final NodeLease lease;
    private final SnowflakeSettings settings;
    private final long heartbeatNanos;
    private final long validNanos;
    private final ScheduledExecutorService heartbeat;
    private volatile Held held;
    /** Successful renewals since the lease was first won. */
    private final LongAdder renewals = new LongAdder();

    /** Why no lease is held (or the last renewal failed); null while all is well. */
    private volatile String problem;

    LeasedNode(NodeLease lease, SnowflakeSettings settings) {
        this.lease = lease;
        this.settings = settings;
        this.heartbeatNanos = settings.heartbeatInterval().toNanos();
        this.validNanos = settings.nodeTtl().toNanos() - settings.nodeTtl().toNanos() / 10;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dblayer-snowflake-lease");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Wins a lease now and starts the heartbeat. Redis unreachable is logged and tried again every
     * second.
     *
     * @throws IllegalStateException when every one of the 1024 pairs is leased
     */
    void start() {
        try {
            acquire();
        } catch (AllPairsTaken e) {
            heartbeat.shutdownNow();
            throw e;
        } catch (RuntimeException e) {
            trouble("cannot lease a snowflake node id under " + SnowflakeSettings.REDIS_PREFIX + "="
                    + settings.redisPrefix() + " yet: " + Errors.rootMessage(e)
                    + "; no ids until Redis answers (tried again every second)", e);
        }
        long tick = Math.min(RETRY.toNanos(), heartbeatNanos);
        heartbeat.scheduleWithFixedDelay(this::beat, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** The node id to issue under now. */
    @Override
    public NodeId get() {
        Held now = held;
        if (now == null) {
            throw new IllegalStateException("dblayer: no snowflake id: this node holds no node id lease under "
                    + SnowflakeSettings.REDIS_PREFIX + "=" + settings.redisPrefix()
                    + (problem == null ? "" : " (" + problem + ")"));
        }
        if (System.nanoTime() - now.validUntilNanos() >= 0) {
            throw new IllegalStateException("dblayer: no snowflake id: the lease on " + now.node() + " under "
                    + settings.redisPrefix() + " could not be renewed within " + SnowflakeSettings.NODE_TTL + "="
                    + SettingsReader.format(settings.nodeTtl()) + " (" + problem + "); another node may hold it"
                    + " now, so ids resume only once a lease is won again");
        }
        return now.node();
    }

    /** The node id of the lease held now, if any (for logs and tests). */
    Optional<NodeId> current() {
        return Optional.ofNullable(held).map(Held::node);
    }

    private void acquire() {
        Optional<NodeLease.Claim> claim = lease.claimFirstFree();
        if (claim.isEmpty()) {
            throw new AllPairsTaken("dblayer: all 1024 snowflake node ids (datacenter 0-31, worker 0-31) are leased"
                    + " under " + SnowflakeSettings.REDIS_PREFIX + "=" + settings.redisPrefix() + " (keys "
                    + settings.redisPrefix() + ":nodes:*): stop a node, wait for stale leases to expire ("
                    + SnowflakeSettings.NODE_TTL + "=" + SettingsReader.format(settings.nodeTtl())
                    + "), or give this application its own prefix");
        }
        held = held(claim.get());
        problem = null;
        LOG.info(() -> "dblayer: leased snowflake node id " + claim.get().node() + " under " + settings.redisPrefix()
                + " for " + SettingsReader.format(settings.nodeTtl()) + ", renewed every "
                + SettingsReader.format(settings.heartbeatInterval()));
    }

    /** One heartbeat tick: renew when due, or win a lease when none is held. */
    private void beat() {
        try {
            Held now = held;
            if (now == null) {
                acquire();
            } else if (System.nanoTime() - now.sentNanos() >= heartbeatNanos || problem != null) {
                Optional<NodeLease.Claim> renewed = lease.renew(now.node());
                if (renewed.isPresent()) {
                    held = held(renewed.get());
                    renewals.increment();
                    recovered("renewed the snowflake node id lease on " + now.node());
                } else {
                    held = null;
                    trouble("the snowflake node id lease on " + now.node() + " under " + settings.redisPrefix()
                            + " expired or was taken: no ids until a new lease is won", null);
                    acquire();
                }
            }
        } catch (RuntimeException e) {
            trouble("cannot renew or win a snowflake node id lease under " + settings.redisPrefix() + ": "
                    + Errors.rootMessage(e), e);
        }
    }

    private Held held(NodeLease.Claim claim) {
        return new Held(claim.node(), claim.sentNanos(), claim.sentNanos() + validNanos);
    }

    private void trouble(String message, Throwable cause) {
        if (!message.equals(problem)) {
            LOG.log(Level.WARNING, "dblayer: " + message, cause);
        }
        problem = message;
    }

    private void recovered(String message) {
        if (problem != null) {
            LOG.info(() -> "dblayer: " + message);
        } else {
            LOG.fine(() -> "dblayer: " + message);
        }
        problem = null;
    }

    /** Stops the heartbeat and releases the lease (if it is still this node's). */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Held last = held;
        held = null;
        if (last != null) {
            try {
                lease.release(last.node());
                LOG.info(() -> "dblayer: released the snowflake node id lease on " + last.node());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "dblayer: could not release the snowflake node id lease on " + last.node()
                        + "; it expires after " + SettingsReader.format(settings.nodeTtl()), e);
            }
        }
    }

    /** Every pair is leased: a deployment error at startup. */
    static final class AllPairsTaken extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        AllPairsTaken(String message) {
            super(message);
        }
    }

    /** Successful renewals of the lease so far. */
    long renewals() {
        return renewals.sum();
    }
}
