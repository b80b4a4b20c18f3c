package dev.dblayer.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.dblayer.db.PoolStatistics;
import dev.dblayer.health.DatabaseReadiness.Route;

/** How the database check chooses its probe from the pool's counts. */
class DatabaseReadinessRouteTest {

    private static final Duration WINDOW = Duration.ofMillis(300);

    private static PoolStatistics pool(int active, int idle, int waiting, long sinceLastReturnedMillis) {
        return new PoolStatistics(active, idle, waiting, 4, 100, 96, 0, Duration.ofMillis(sinceLastReturnedMillis));
    }

    @Test
    void borrowsWhenAConnectionIsIdle() {
        assertEquals(Route.BORROW, DatabaseReadiness.route(pool(1, 3, 0, 5000), true, WINDOW),
                "an idle connection is borrowed and validated");
    }

    @Test
    void borrowsWhenThePoolCanStillOpenAConnection() {
        assertEquals(Route.BORROW, DatabaseReadiness.route(pool(2, 0, 0, 5000), true, WINDOW),
                "below max with nobody waiting, the pool opens a connection for the probe");
    }

    @Test
    void borrowsWithTheServersDataSource() {
        assertEquals(Route.BORROW, DatabaseReadiness.route(null, true, WINDOW), "no pool counts: borrow");
    }

    @Test
    void borrowsBeforeTheUnitIsDeployedEvenWhenSaturated() {
        assertEquals(Route.BORROW, DatabaseReadiness.route(pool(4, 0, 3, 5000), false, WINDOW),
                "the borrowing probe deploys the persistence unit");
    }

    @Test
    void acceptsRecentProgressOfASaturatedPool() {
        assertEquals(Route.PROGRESS, DatabaseReadiness.route(pool(4, 0, 3, 20), true, WINDOW),
                "a connection came back 20 ms ago: the database answers");
        assertEquals(Route.PROGRESS, DatabaseReadiness.route(pool(4, 0, 3, 300), true, WINDOW),
                "the window includes its end");
    }

    @Test
    void checksOnItsOwnConnectionWhenASaturatedPoolShowsNoProgress() {
        assertEquals(Route.OWN_CONNECTION, DatabaseReadiness.route(pool(4, 0, 3, 301), true, WINDOW),
                "nothing came back within the window: long queries or a dead database");
    }

    @Test
    void checksOnItsOwnConnectionWhenEveryConnectionIsHeldAndNobodyWaits() {
        assertEquals(Route.OWN_CONNECTION, DatabaseReadiness.route(pool(4, 0, 0, 5000), true, WINDOW),
                "a borrow would only queue behind the held connections");
        assertEquals(Route.PROGRESS, DatabaseReadiness.route(pool(4, 0, 0, 10), true, WINDOW),
                "unless connections are coming back");
    }
}
