package dev.dblayer.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import dev.dblayer.testsupport.MapConfig;

class ReadinessAtShutdownTest {

    @Test
    void readinessChecksAnswerDownShuttingDownOnceTheApplicationStops() {
        // Neither dependency is given: once stopping, a check must answer without touching it.
        DatabaseReadiness database = new DatabaseReadiness(null, new MapConfig(Map.of()));
        RedisReadiness redis = new RedisReadiness(null, new MapConfig(Map.of()));
        try {
            for (BoundedCheck check : new BoundedCheck[] {database, redis}) {
                check.onStopping(null);
                HealthCheckResponse response = check.call();
                assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus(), "DOWN while the application stops");
                assertEquals("shutting down", response.getData().orElseThrow().get("reason"),
                        "the reason says why");
            }
        } finally {
            database.close();
            redis.close();
        }
    }
}
