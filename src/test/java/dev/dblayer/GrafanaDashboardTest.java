package dev.dblayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.dblayer.testsupport.GrafanaDashboard;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * server-config/grafana/dblayer.json: valid JSON, every panel with a query, and every metric it
 * queries one that dblayer publishes through MicroProfile Metrics (as Prometheus names them). The
 * names against a real {@code /metrics} scrape are checked in a server, with the same
 * {@link GrafanaDashboard#metricNames(Path)}.
 */
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of(System.getProperty("basedir", "."))
            .resolve("server-config/grafana/dblayer.json");

    /**
     * Every name dblayer's pools and readiness checks publish on {@code /metrics} (see
     * dev.dblayer.metrics.MetricNames and MicroProfileMetrics), as Prometheus spells them: dots to
     * underscores, counters with {@code _total}, timers in seconds as {@code _seconds_count},
     * {@code _seconds_sum} and {@code _seconds_max}.
     */
    private static final Set<String> PUBLISHED = Set.of(
            "db_client_connection_count",
            "db_client_connection_max",
            "db_client_connection_idle_min",
            "db_client_connection_pending_requests",
            "db_client_connection_timeouts_total",
            "db_client_connection_wait_time_seconds_count",
            "db_client_connection_wait_time_seconds_sum",
            "db_client_connection_wait_time_seconds_max",
            "db_client_connection_use_time_seconds_count",
            "db_client_connection_use_time_seconds_sum",
            "db_client_connection_use_time_seconds_max",
            "db_client_connection_create_time_seconds_count",
            "db_client_connection_create_time_seconds_sum",
            "db_client_connection_create_time_seconds_max",
            "dblayer_pool_connections",
            "dblayer_health_check_status",
            "dblayer_health_check_duration_seconds_count",
            "dblayer_health_check_duration_seconds_sum",
            "dblayer_health_check_duration_seconds_max");

    /** What the dashboard queries: all of the above but the maxima of use and create time. */
    private static final Set<String> QUERIED = Set.of(
            "db_client_connection_count",
            "db_client_connection_max",
            "db_client_connection_idle_min",
            "db_client_connection_pending_requests",
            "db_client_connection_timeouts_total",
            "db_client_connection_wait_time_seconds_count",
            "db_client_connection_wait_time_seconds_sum",
            "db_client_connection_wait_time_seconds_max",
            "db_client_connection_use_time_seconds_count",
            "db_client_connection_use_time_seconds_sum",
            "db_client_connection_create_time_seconds_count",
            "db_client_connection_create_time_seconds_sum",
            "dblayer_pool_connections",
            "dblayer_health_check_status",
            "dblayer_health_check_duration_seconds_count",
            "dblayer_health_check_duration_seconds_sum",
            "dblayer_health_check_duration_seconds_max");

    /** PromQL's functions and aggregation operators, and Grafana's templating functions: never metric names. */
    private static final Set<String> FUNCTIONS = Set.of(
            "abs", "absent", "absent_over_time", "avg", "avg_over_time", "bottomk", "ceil", "changes", "clamp",
            "clamp_max", "clamp_min", "count", "count_over_time", "count_values", "day_of_month", "day_of_week",
            "days_in_month", "delta", "deriv", "exp", "floor", "group", "histogram_quantile", "holt_winters",
            "hour", "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time", "ln", "log2",
            "log10", "max", "max_over_time", "min", "min_over_time", "minute", "month", "predict_linear",
            "quantile", "quantile_over_time", "rate", "resets", "round", "scalar", "sgn", "sort", "sort_desc",
            "sqrt", "stddev", "stdvar", "sum", "sum_over_time", "time", "timestamp", "topk", "vector", "year",
            "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool",
            "offset", "label_values", "label_names", "query_result", "metrics");

    private static JsonObject dashboard;

    @BeforeAll
    static void load() throws IOException {
        dashboard = GrafanaDashboard.read(DASHBOARD);
    }

    @Test
    void theDashboardIsJsonWithATitleAUidAndARecentSchema() {
        assertEquals("dblayer", dashboard.getString("title"), "the dashboard's title");
        assertFalse(dashboard.getString("uid", "").isBlank(), "a fixed uid, so that re-imports replace it");
        int schema = dashboard.getInt("schemaVersion");
        assertTrue(schema >= 36 && schema <= 41, "schemaVersion around 39 (Grafana 10/11), was " + schema);
        assertFalse(GrafanaDashboard.panels(dashboard).isEmpty(), "the dashboard has panels");
    }

    @Test
    void theVariablesChooseThePrometheusSourceThePoolsAndTheInstances() {
        Map<String, JsonObject> variables = variables();
        assertEquals(Set.of("datasource", "pool", "instance"), variables.keySet(), "the template variables");
        JsonObject datasource = variables.get("datasource");
        assertEquals("datasource", datasource.getString("type"));
        assertEquals("prometheus", datasource.getString("query"), "the datasource variable lists Prometheus sources");
        assertEquals("label_values(db_client_connection_max, pool_name)", variables.get("pool").getString("query"));
        assertEquals("label_values(db_client_connection_max, instance)", variables.get("instance").getString("query"));
        for (String name : List.of("pool", "instance")) {
            JsonObject variable = variables.get(name);
            assertEquals("query", variable.getString("type"), name);
            assertEquals("${datasource}", variable.getJsonObject("datasource").getString("uid"),
                    name + " queries the chosen data source");
            assertTrue(variable.getBoolean("multi") && variable.getBoolean("includeAll"),
                    name + " takes several values and All");
        }
    }

    @Test
    void everyPanelQueriesTheChosenDataSourceWithAtLeastOneExpression() {
        Set<Integer> ids = new HashSet<>();
        int queried = 0;
        for (JsonObject panel : GrafanaDashboard.panels(dashboard)) {
            String title = panel.getString("title", "(untitled)");
            assertTrue(ids.add(panel.getInt("id")), "panel ids are unique: " + title);
            assertNotNull(panel.getJsonObject("gridPos"), title + " has a position");
            if (panel.getString("type").equals("row")) {
                continue;
            }
            assertEquals("${datasource}", panel.getJsonObject("datasource").getString("uid"),
                    title + " queries the chosen data source");
            List<JsonObject> targets = panel.containsKey("targets")
                    ? panel.getJsonArray("targets").getValuesAs(JsonObject.class) : List.of();
            assertFalse(targets.isEmpty(), title + " has at least one target");
            Set<String> refIds = new HashSet<>();
            for (JsonObject target : targets) {
                assertFalse(target.getString("expr", "").isBlank(), title + " target " + target + " has an expr");
                assertTrue(refIds.add(target.getString("refId")), title + ": refIds are unique");
            }
            queried++;
        }
        assertTrue(queried >= 12, "at least the twelve panels of pools, timings and readiness, were " + queried);
    }

    @Test
    void everyExpressionFiltersOnTheVariablesAndRatesItsCounters() {
        // counters and the timers' sums and counts (db_client_connection_count is a gauge)
        Pattern cumulative = Pattern.compile("[a-z_]+(_total|_seconds_sum|_seconds_count)\\b");
        for (JsonObject panel : GrafanaDashboard.panels(dashboard)) {
            if (!panel.containsKey("targets")) {
                continue;
            }
            for (JsonObject target : panel.getJsonArray("targets").getValuesAs(JsonObject.class)) {
                String expr = target.getString("expr");
                String title = panel.getString("title");
                assertTrue(expr.contains("instance=~\"$instance\""), title + " filters on $instance: " + expr);
                if (expr.contains("db_client_connection_") || expr.contains("dblayer_pool_")) {
                    assertTrue(expr.contains("pool_name=~\"$pool\""), title + " filters on $pool: " + expr);
                }
                Matcher counter = cumulative.matcher(expr);
                while (counter.find()) {
                    assertTrue(expr.contains("rate(" + counter.group() + "{"),
                            title + " graphs " + counter.group() + " as a rate: " + expr);
                }
            }
        }
    }

    @Test
    void metricNamesAreExactlyThoseTheDashboardQueries() throws IOException {
        Set<String> names = GrafanaDashboard.metricNames(DASHBOARD);
        assertTrue(names.containsAll(Set.of("db_client_connection_count", "db_client_connection_timeouts_total",
                "db_client_connection_wait_time_seconds_sum", "dblayer_pool_connections",
                "dblayer_health_check_status")), "some of the names the dashboard queries: " + names);
        assertEquals(new TreeSet<>(QUERIED), names, "the metric names in the dashboard's queries");
        Set<String> functions = new TreeSet<>(names);
        functions.retainAll(FUNCTIONS);
        assertEquals(Set.of(), functions, "function names, keywords and labels are no metric names");
        for (String name : names) {
            assertTrue(name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*"), "a Prometheus metric name: " + name);
        }
    }

    @Test
    void everyNameTheDashboardQueriesIsOneDblayerPublishes() throws IOException {
        Set<String> unknown = new TreeSet<>(GrafanaDashboard.metricNames(DASHBOARD));
        unknown.removeAll(PUBLISHED);
        assertEquals(Set.of(), unknown, "names the dashboard queries that dblayer does not publish");
    }

    @Test
    void theTemplatingQueriesNameTheirMetricButNotTheirLabel() {
        List<String> queries = GrafanaDashboard.variableQueries(dashboard);
        assertFalse(queries.isEmpty(), "the query variables' queries");
        for (String query : queries) {
            assertEquals(Set.of("db_client_connection_max"), GrafanaDashboard.metricNames(query), query);
        }
    }

    // --- the parser on its own ---------------------------------------------------------------

    @Test
    void theParserSkipsFunctionsAggregationsAndTheirLabelLists() {
        assertNames("sum by (pool_name, state) (rate(a_total{pool_name=~\"$pool\"}[5m]))", "a_total");
        assertNames("sum(rate(a_total[5m])) by (pool_name)", "a_total");
        assertNames("sum without (instance) (a)", "a");
        assertNames("SUM BY (le) (b)", "b");
        assertNames("histogram_quantile(0.99, sum by (le) (rate(c_bucket{job=\"x\"}[$__rate_interval])))", "c_bucket");
        assertNames("topk(5, max_over_time(d[1h:5m]))", "d");
        assertNames("max (e) / on (pool_name) group_left (state) f", "e", "f");
        assertNames("g * ignoring(state) group_right h", "g", "h");
        assertNames("rate (i_sum[5m]) / rate (i_count[5m])", "i_count", "i_sum");
        assertNames("label_replace(j, \"dst\", \"$1\", \"src\", \"(.*)\")", "j");
        assertNames("count_values(\"value\", k)", "k");
    }

    @Test
    void theParserSkipsKeywordsNumbersStringsCommentsAndVariables() {
        assertNames("a > bool 1 and b or c unless d", "a", "b", "c", "d");
        assertNames("e offset 5m", "e");
        assertNames("f @ start() + 1e3 - 0x1F * .5 + Inf - NaN", "f");
        assertNames("g{label=\"not_a_metric{with} braces\", other='x(y)'}", "g");
        assertNames("h # a comment with words_in_it\n+ i", "h", "i");
        assertNames("j / $__interval_ms + ${pool:regex} + [[legacy]]", "j");
        assertNames("atan2 atan2 k", "k");
        assertNames("recording:rule:name", "recording:rule:name");
        assertNames("{__name__=\"l\", job=\"x\"} + {__name__=~\"regex.*\"}", "l");
        assertNames("{\"m.quoted\", job=\"x\"}", "m.quoted");
        assertNames("vector(1) + time()");
    }

    @Test
    void theParserUnderstandsGrafanasTemplatingFunctions() {
        assertNames("label_values(db_client_connection_max, pool_name)", "db_client_connection_max");
        assertNames("label_values(db_client_connection_max{pool_name=~\"$pool\"}, instance)",
                "db_client_connection_max");
        assertNames("label_values(pool_name)");
        assertNames("label_names()");
        assertNames("metrics(db_client_.*)");
        assertNames("query_result(topk(3, sum by (pool_name) (n)))", "n");
    }

    private static void assertNames(String query, String... expected) {
        assertEquals(new TreeSet<>(List.of(expected)), GrafanaDashboard.metricNames(query), query);
    }

    private static Map<String, JsonObject> variables() {
        Map<String, JsonObject> variables = new LinkedHashMap<>();
        for (JsonValue value : dashboard.getJsonObject("templating").getJsonArray("list")) {
            JsonObject variable = value.asJsonObject();
            assertTrue(variable.get("name") instanceof JsonString, "a variable has a name: " + variable);
            String name = variable.getString("name");
            assertNull(variables.put(name, variable), "variable names are unique: " + name);
        }
        return variables;
    }
}
