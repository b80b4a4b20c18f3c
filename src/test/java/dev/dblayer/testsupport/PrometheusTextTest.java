package dev.dblayer.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The scrape parser the metrics tests rely on: samples, labels with escapes, comments skipped. */
class PrometheusTextTest {

    private static final String SCRAPE = """
            # HELP db_client_connection_count Connections by state (used, idle)
            # TYPE db_client_connection_count gauge
            db_client_connection_count{mp_scope="application",pool_name="dblayer",state="used",} 3.0
            db_client_connection_count{mp_scope="application",pool_name="dblayer",state="idle",} 7.0
            db_client_connection_timeouts_total{pool_name="a \\"quoted\\" pool"} 2
            process_uptime_seconds 12.5 1700000000000
            """;

    @Test
    void readsSamplesByNameAndLabels() {
        PrometheusText text = PrometheusText.parse(SCRAPE);
        assertEquals(Optional.of(3.0), text.value("db_client_connection_count", "pool_name", "dblayer", "state", "used"));
        assertEquals(Optional.of(7.0), text.value("db_client_connection_count", "state", "idle"));
        assertEquals(Optional.of(2.0), text.value("db_client_connection_timeouts_total", "pool_name", "a \\\"quoted\\\" pool"));
        assertEquals(Optional.of(12.5), text.value("process_uptime_seconds"), "a timestamp after the value is ignored");
        assertEquals(Optional.empty(), text.value("db_client_connection_count", "state", "overflow"));
        assertEquals(List.of("db_client_connection_count", "db_client_connection_timeouts_total", "process_uptime_seconds"),
                text.names(), "comments are not samples");
    }
}
