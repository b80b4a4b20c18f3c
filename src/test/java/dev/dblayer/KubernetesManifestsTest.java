package dev.dblayer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import dev.dblayer.db.DatabaseSettings;
import dev.dblayer.health.DatabaseReadiness;
import dev.dblayer.health.PersistenceUnitStartup;
import dev.dblayer.health.RedisReadiness;
import dev.dblayer.internal.SettingsReader;
import dev.dblayer.migration.MigrationSettings;
import dev.dblayer.redis.RedisSettings;

/**
 * Checks the manifests of server-config/kubernetes against the module itself: the settings they
 * pass exist, passwords stay in the Secret, ports and probes agree with the Liberty server and
 * the health checks' deadlines, and the rolling update, preStop, grace period and disruption budget
 * agree with the shutdown (docs/scale-out.md).
 */
class KubernetesManifestsTest {

    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final Path KUBERNETES = BASE.resolve("server-config/kubernetes");
    private static final Path LIBERTY_SERVER_XML = BASE.resolve("server-config/liberty/server.xml");
    private static final List<Class<?>> SETTINGS_CLASSES = List.of(
            DatabaseSettings.class, RedisSettings.class, DatabaseReadiness.class, RedisReadiness.class,
            PersistenceUnitStartup.class, MigrationSettings.class);
    /** Package-private classes that declare a key of their own (read by reflection). */
    private static final List<String> INTERNAL_SETTINGS_CLASSES = List.of("dev.dblayer.health.ShutdownDrain");
    private static final String SHUTDOWN_DRAIN = "dev.dblayer.health.ShutdownDrain";
    /**
     * Open Liberty 26's longest wait after SIGTERM for requests in flight, before the application
     * hears of the stop ("CWWKE1100I: Waiting for up to 30 seconds for the server to quiesce").
     */
    private static final long LIBERTY_QUIESCE_SECONDS = 30;
    /** The rest of a stop after dblayer's wait (closing the pools, the JVM's exit): measured under 2 s. */
    private static final long STOP_MARGIN_SECONDS = 5;

    private static Map<String, Object> deployment;
    private static Map<String, Object> service;
    private static Map<String, Object> configMap;
    private static Map<String, Object> secret;
    private static Map<String, Object> disruptionBudget;
    private static Map<String, Object> serviceMonitor;
    private static Map<String, Object> migrateJob;
    /** Environment variable name → the module key it sets. */
    private static Map<String, String> moduleVariables;

    @BeforeAll
    static void load() throws IOException {
        deployment = manifest("deployment.yaml", "Deployment");
        service = manifest("service.yaml", "Service");
        configMap = manifest("configmap.yaml", "ConfigMap");
        secret = manifest("secret.yaml", "Secret");
        disruptionBudget = manifest("poddisruptionbudget.yaml", "PodDisruptionBudget");
        serviceMonitor = manifest("servicemonitor.yaml", "ServiceMonitor");
        migrateJob = manifest("migrate-job.yaml", "Job");
        moduleVariables = moduleVariables();
    }

    @Test
    void configMapAndSecretSetOnlyRealModuleSettings() {
        assertTrue(moduleVariables.containsKey("DATABASE_HOST") && moduleVariables.containsKey("REDIS_HOST"),
                "the key constants found by reflection include database.host and redis.host, but were "
                        + moduleVariables.values());
        for (Map.Entry<String, Map<String, Object>> source : Map.of(
                "configmap.yaml data", entries(configMap, "data"),
                "secret.yaml stringData and data", secretEntries()).entrySet()) {
            assertFalse(source.getValue().isEmpty(), source.getKey() + " should set at least one variable");
            for (String variable : source.getValue().keySet()) {
                assertTrue(moduleVariables.containsKey(variable), source.getKey() + " sets " + variable
                        + ", which is no dblayer setting; the settings are " + new TreeSet<>(moduleVariables.keySet()));
            }
        }
    }

    @Test
    void passwordsAreInTheSecretAndNeverInTheConfigMap() {
        Set<String> passwordVariables = new TreeSet<>();
        moduleVariables.forEach((variable, key) -> {
            if (key.contains("password")) {
                passwordVariables.add(variable);
            }
        });
        assertTrue(passwordVariables.containsAll(List.of("DATABASE_PASSWORD", "REDIS_PASSWORD")),
                "the module's password settings include database.password and redis.password, but were "
                        + passwordVariables);

        Map<String, Object> configData = entries(configMap, "data");
        for (String variable : passwordVariables) {
            assertFalse(configData.containsKey(variable), "configmap.yaml must not hold the password " + variable
                    + "; put it in secret.yaml");
        }
        for (String urlVariable : List.of("DATABASE_URL", "REDIS_URL")) {
            Object url = configData.get(urlVariable);
            if (url != null) {
                String value = url.toString().toLowerCase(Locale.ROOT);
                assertFalse(value.contains("@") || value.contains("password="), "configmap.yaml's " + urlVariable
                        + " must carry no credentials (user info or password=); give the password separately in the Secret");
            }
        }
        Map<String, Object> secretData = secretEntries();
        for (String variable : List.of("DATABASE_PASSWORD", "REDIS_PASSWORD")) {
            assertTrue(secretData.containsKey(variable), "secret.yaml should hold " + variable);
        }
    }

    @Test
    void deploymentTakesItsSettingsFromTheConfigMapAndTheSecret() {
        Set<String> configMapRefs = new TreeSet<>();
        Set<String> secretRefs = new TreeSet<>();
        for (Object source : list(container(), "envFrom")) {
            Map<String, Object> from = map(source, "an envFrom entry");
            if (from.containsKey("configMapRef")) {
                configMapRefs.add(string(from, "configMapRef", "name"));
            }
            if (from.containsKey("secretRef")) {
                secretRefs.add(string(from, "secretRef", "name"));
            }
        }
        assertEquals(Set.of(string(configMap, "metadata", "name")), configMapRefs,
                "the container should take envFrom the ConfigMap of configmap.yaml");
        assertEquals(Set.of(string(secret, "metadata", "name")), secretRefs,
                "the container should take envFrom the Secret of secret.yaml");
    }

    @Test
    void probesCallTheHealthEndpointsOnTheContainerPort() {
        Map<String, Object> container = container();
        int containerPort = containerPort();
        Map<String, String> expected = Map.of(
                "readinessProbe", "/health/ready",
                "livenessProbe", "/health/live",
                "startupProbe", "/health/started");
        expected.forEach((probe, path) -> {
            assertEquals(path, string(container, probe, "httpGet", "path"), probe + " should GET " + path);
            assertEquals(containerPort, integer(container, probe, "httpGet", "port"),
                    probe + " should call the container port");
        });
    }

    @Test
    void containerPortIsLibertysDefaultHttpPortAndTheServiceTarget() throws Exception {
        int libertyPort = libertyDefaultHttpPort();
        assertEquals(libertyPort, containerPort(),
                "the container port should be the default http.port of server-config/liberty/server.xml");
        List<Object> ports = list(map(service.get("spec"), "service.yaml spec"), "ports");
        assertEquals(1, ports.size(), "service.yaml should expose one port");
        Map<String, Object> port = map(ports.get(0), "service.yaml's port");
        assertEquals(80, integer(port, "port"), "the Service should listen on port 80");
        assertEquals(libertyPort, integer(port, "targetPort"),
                "the Service's targetPort should be the container port " + libertyPort);
    }

    @Test
    void serviceSelectsTheDeploymentsPods() {
        Map<String, Object> podLabels = entries(deployment, "spec", "template", "metadata", "labels");
        Map<String, Object> selector = entries(service, "spec", "selector");
        assertFalse(selector.isEmpty(), "service.yaml should have a selector");
        selector.forEach((label, value) -> assertEquals(value, podLabels.get(label),
                "the Service selects " + label + "=" + value + ", which the Deployment's pods should carry"));
        assertEquals(podLabels, entries(deployment, "spec", "selector", "matchLabels"),
                "the Deployment's selector should match its pod template's labels");
    }

    @Test
    void readinessTimeoutOutlastsBothHealthCheckDeadlines() throws ReflectiveOperationException {
        long deadlines = defaultTimeout(DatabaseReadiness.class).toMillis() + defaultTimeout(RedisReadiness.class).toMillis();
        long probeTimeoutMillis = integer(container(), "readinessProbe", "timeoutSeconds") * 1000L;
        assertTrue(probeTimeoutMillis > deadlines, "the readiness probe's timeout (" + probeTimeoutMillis
                + " ms) should exceed the health checks' default deadlines together (" + deadlines + " ms)");
    }

    @Test
    void rollingUpdateStartsTheNewPodBeforeItStopsAnOldOne() {
        assertTrue(integer(deployment, "spec", "replicas") >= 2, "at least two replicas, so that one serves while"
                + " another stops");
        assertEquals("RollingUpdate", string(deployment, "spec", "strategy", "type"), "the update strategy");
        assertEquals(0, integer(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"),
                "maxUnavailable 0: an old pod stops only once its replacement is ready");
        assertEquals(1, integer(deployment, "spec", "strategy", "rollingUpdate", "maxSurge"),
                "maxSurge 1: one new pod at a time");
    }

    @Test
    void gracePeriodOutlastsPreStopQuiesceAndTheShutdownWait() throws ReflectiveOperationException {
        long preStop = preStopSleepSeconds();
        assertTrue(preStop > 0, "preStop sleeps, so that the pod serves while its endpoint is removed");
        Duration wait = shutdownTimeout();
        long needed = preStop + LIBERTY_QUIESCE_SECONDS + (long) Math.ceil(wait.toMillis() / 1000.0) + STOP_MARGIN_SECONDS;
        long grace = integer(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds");
        assertTrue(grace >= needed, "terminationGracePeriodSeconds (" + grace + ") should cover preStop (" + preStop
                + " s), Liberty's quiesce (" + LIBERTY_QUIESCE_SECONDS + " s), database.shutdown.timeout ("
                + wait.toSeconds() + " s) and " + STOP_MARGIN_SECONDS + " s more: at least " + needed);
    }

    @Test
    void disruptionBudgetCoversTheDeploymentsPodsAndLetsOneGo() {
        Map<String, Object> podLabels = entries(deployment, "spec", "template", "metadata", "labels");
        Map<String, Object> selector = entries(disruptionBudget, "spec", "selector", "matchLabels");
        assertFalse(selector.isEmpty(), "poddisruptionbudget.yaml should select pods");
        selector.forEach((label, value) -> assertEquals(value, podLabels.get(label),
                "the PodDisruptionBudget selects " + label + "=" + value + ", which the Deployment's pods should carry"));
        int minAvailable = integer(disruptionBudget, "spec", "minAvailable");
        int replicas = integer(deployment, "spec", "replicas");
        assertTrue(minAvailable >= 1, "the budget keeps at least one pod serving");
        assertTrue(minAvailable < replicas, "minAvailable (" + minAvailable + ") below replicas (" + replicas
                + "), or a node drain could never evict a pod");
    }

    @Test
    void podTemplateAsksPrometheusToScrapeMetricsOnTheContainerPort() {
        Map<String, Object> annotations = entries(deployment, "spec", "template", "metadata", "annotations");
        Map<String, String> expected = Map.of(
                "prometheus.io/scrape", "true",
                "prometheus.io/path", "/metrics",
                "prometheus.io/port", Integer.toString(containerPort()));
        expected.forEach((annotation, value) -> {
            Object actual = annotations.get(annotation);
            // Kubernetes refuses an annotation that is not a string (true, 9080 unquoted)
            assertInstanceOf(String.class, actual, "the pod template's annotation " + annotation
                    + " should be the string \"" + value + "\" but was " + actual);
            assertEquals(value, actual, "the pod template's annotation " + annotation);
        });
    }

    @Test
    void serviceMonitorScrapesMetricsOnANamedPortOfTheService() {
        assertEquals("monitoring.coreos.com/v1", serviceMonitor.get("apiVersion"), "the ServiceMonitor's apiVersion");
        Map<String, Object> serviceLabels = entries(service, "metadata", "labels");
        Map<String, Object> selector = entries(serviceMonitor, "spec", "selector", "matchLabels");
        assertFalse(selector.isEmpty(), "servicemonitor.yaml should select the Service by its labels");
        selector.forEach((label, value) -> assertEquals(value, serviceLabels.get(label),
                "the ServiceMonitor selects Services labelled " + label + "=" + value
                        + ", which service.yaml's metadata.labels should carry"));

        Map<String, Integer> targetPorts = new TreeMap<>();
        for (Object port : list(map(service.get("spec"), "service.yaml spec"), "ports")) {
            Map<String, Object> servicePort = map(port, "service.yaml's port");
            Object name = servicePort.get("name");
            if (name != null) {
                targetPorts.put(name.toString(), integer(servicePort, "targetPort"));
            }
        }
        List<Object> endpoints = list(entries(serviceMonitor, "spec"), "endpoints");
        assertFalse(endpoints.isEmpty(), "the ServiceMonitor should have an endpoint");
        for (Object item : endpoints) {
            Map<String, Object> endpoint = map(item, "the ServiceMonitor's endpoint");
            String port = string(endpoint, "port");
            assertTrue(targetPorts.containsKey(port), "the ServiceMonitor's endpoint port " + port
                    + " should be a port name of service.yaml: " + targetPorts.keySet());
            assertEquals(containerPort(), targetPorts.get(port),
                    "the Service port " + port + " should lead to the container port");
            assertEquals("/metrics", string(endpoint, "path"), "the ServiceMonitor should scrape /metrics");
        }
    }

    @Test
    void migrationJobRunsDblayersCommandOnTheReleasesWarWithThePodsSettings() throws Exception {
        Map<String, Object> pod = entries(migrateJob, "spec", "template", "spec");
        assertEquals("Never", pod.get("restartPolicy"), "a Job's pod is not restarted in place");
        assertEquals(0, integer(migrateJob, "spec", "backoffLimit"),
                "a failed migration is not retried blindly (on MySQL it may have left DDL behind)");
        List<Object> init = list(pod, "initContainers");
        assertEquals(1, init.size(), "one init container copies the WAR out of the application's image");
        assertEquals(container().get("image"), map(init.get(0), "the init container").get("image"),
                "the Job takes the scripts from the same image as the Deployment");
        List<Object> containers = list(pod, "containers");
        assertEquals(1, containers.size(), "the Job runs one container");
        Map<String, Object> migrate = map(containers.get(0), "the Job's container");
        String command = String.join(" ", list(migrate, "command").stream().map(Object::toString).toList());
        Matcher main = Pattern.compile("java -cp '([^']+)' ([\\w.]+) (\\w+)").matcher(command);
        assertTrue(main.find(), "the Job runs java with a class path, a main class and a command: " + command);
        assertEquals("WEB-INF/classes:WEB-INF/lib/*", main.group(1), "the unpacked WAR's class path");
        Class<?> type = Class.forName(main.group(2));
        assertNotNull(type.getMethod("main", String[].class), main.group(2) + " has a main method");
        assertEquals("migrate", main.group(3));
        assertEquals(list(container(), "envFrom"), list(migrate, "envFrom"),
                "the Job takes its settings from the same ConfigMap and Secret as the pods");
    }

    @Test
    void theStartupProbeWaitsLongerThanAPodWaitsForAnotherPodsMigration() throws ReflectiveOperationException {
        // liveness starts only once the startup probe has passed, so a long migration never gets a pod
        // killed while the startup probe's budget lasts: at least the schema lock's timeout, which is
        // how long a pod waits for another pod's migration before its attempt fails
        Map<String, Object> startup = entries(container(), "startupProbe");
        long budget = (long) integer(startup, "periodSeconds") * integer(startup, "failureThreshold");
        Object configured = entries(configMap, "data").get("DATABASE_SCHEMA_GENERATION_LOCK_TIMEOUT");
        Map<String, String> values = new TreeMap<>();
        if (configured != null) {
            values.put(DatabaseSettings.SCHEMA_GENERATION_LOCK_TIMEOUT, configured.toString());
        }
        Method read = DatabaseSettings.class.getDeclaredMethod("read", SettingsReader.class);
        read.setAccessible(true);
        Duration lockTimeout = ((DatabaseSettings) read.invoke(null, SettingsReader.of(values))).schemaLockTimeout();
        assertTrue(budget >= lockTimeout.toSeconds(), "the startup probe allows " + budget + " s, less than "
                + DatabaseSettings.SCHEMA_GENERATION_LOCK_TIMEOUT + "=" + lockTimeout);
    }


    /** The seconds of the container's preStop sleep: {@code exec: sleep N} or Kubernetes' {@code sleep: {seconds: N}}. */
    private static long preStopSleepSeconds() {
        Map<String, Object> preStop = entries(container(), "lifecycle", "preStop");
        if (preStop.containsKey("sleep")) {
            return integer(preStop, "sleep", "seconds");
        }
        List<Object> command = list(entries(preStop, "exec"), "command");
        assertEquals(2, command.size(), "preStop exec should be [sleep, N]: " + command);
        assertEquals("sleep", command.get(0), "preStop exec should run sleep: " + command);
        return Long.parseLong(command.get(1).toString());
    }

    /** database.shutdown.timeout as the pods get it: the ConfigMap's value, read and checked as dblayer does, or the default. */
    private static Duration shutdownTimeout() throws ReflectiveOperationException {
        Map<String, String> values = new TreeMap<>();
        Object configured = entries(configMap, "data").get("DATABASE_SHUTDOWN_TIMEOUT");
        if (configured != null) {
            values.put("database.shutdown.timeout", configured.toString());
        }
        Method read = Class.forName(SHUTDOWN_DRAIN).getDeclaredMethod("readTimeout", SettingsReader.class);
        read.setAccessible(true);
        return (Duration) read.invoke(null, SettingsReader.of(values));
    }

    // --- the module's keys -------------------------------------------------------------------

    private static Map<String, String> moduleVariables() {
        Map<String, String> variables = new TreeMap<>();
        for (Class<?> type : SETTINGS_CLASSES) {
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (field.getType() == String.class && Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers)
                        && Modifier.isFinal(modifiers)) {
                    String key;
                    try {
                        key = (String) field.get(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot read " + type.getName() + "." + field.getName(), e);
                    }
                    if (key.startsWith("database.") || key.startsWith("redis.")) {
                        variables.put(environmentName(key), key);
                    }
                }
            }
        }
        for (String name : INTERNAL_SETTINGS_CLASSES) {
            Class<?> type;
            try {
                type = Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("no class " + name, e);
            }
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (field.getType() == String.class && Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)) {
                    field.setAccessible(true);
                    try {
                        String key = (String) field.get(null);
                        if (key.startsWith("database.") || key.startsWith("redis.")) {
                            variables.put(environmentName(key), key);
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot read " + name + "." + field.getName(), e);
                    }
                }
            }
        }
        return variables;
    }

    /** MicroProfile Config's environment form: every non-alphanumeric character to "_", upper case. */
    private static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The check's default deadline, which its shared superclass declares. */
    private static Duration defaultTimeout(Class<?> check) throws ReflectiveOperationException {
        for (Class<?> type = check; type != null; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (field.getName().equals("DEFAULT_DEADLINE")) {
                    field.setAccessible(true);
                    return (Duration) field.get(null);
                }
            }
        }
        throw new NoSuchFieldException("DEFAULT_DEADLINE in " + check + " or its superclasses");
    }

    // --- the Liberty server ------------------------------------------------------------------

    private static int libertyDefaultHttpPort() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(LIBERTY_SERVER_XML.toFile());

        Element endpoint = only(document.getElementsByTagName("httpEndpoint"), "httpEndpoint");
        assertEquals("${http.port}", endpoint.getAttribute("httpPort"),
                "server.xml's httpEndpoint should listen on ${http.port}");
        NodeList variables = document.getElementsByTagName("variable");
        for (int i = 0; i < variables.getLength(); i++) {
            Element variable = (Element) variables.item(i);
            if (variable.getAttribute("name").equals("http.port")) {
                return Integer.parseInt(variable.getAttribute("defaultValue"));
            }
        }
        return fail("server.xml should declare <variable name=\"http.port\" defaultValue=\"...\"/>");
    }

    private static Element only(NodeList nodes, String name) {
        assertEquals(1, nodes.getLength(), "server.xml should have exactly one <" + name + ">");
        return (Element) nodes.item(0);
    }

    // --- the manifests -----------------------------------------------------------------------

    private static Map<String, Object> manifest(String file, String kind) throws IOException {
        List<Object> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(KUBERNETES.resolve(file))) {
            new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader).forEach(documents::add);
        }
        assertEquals(1, documents.size(), file + " should hold exactly one manifest");
        Map<String, Object> manifest = map(documents.get(0), file);
        assertEquals(kind, manifest.get("kind"), file + " should be a " + kind);
        return manifest;
    }

    private static Map<String, Object> container() {
        List<Object> containers = list(entries(deployment, "spec", "template", "spec"), "containers");
        assertEquals(1, containers.size(), "the Deployment should run one container");
        return map(containers.get(0), "the Deployment's container");
    }

    private static int containerPort() {
        List<Object> ports = list(container(), "ports");
        assertEquals(1, ports.size(), "the container should declare one port");
        return integer(map(ports.get(0), "the container's port"), "containerPort");
    }

    private static Map<String, Object> secretEntries() {
        Map<String, Object> all = new TreeMap<>();
        for (String field : List.of("stringData", "data")) {
            Object values = secret.get(field);
            if (values != null) {
                all.putAll(map(values, "secret.yaml " + field));
            }
        }
        return all;
    }

    private static Object at(Map<String, Object> node, String... path) {
        Object current = node;
        for (String name : path) {
            Object value = map(current, "the parent of " + name).get(name);
            assertNotNull(value, "missing " + String.join(".", path) + " (at " + name + ")");
            current = value;
        }
        return current;
    }

    private static Map<String, Object> entries(Map<String, Object> node, String... path) {
        return map(at(node, path), String.join(".", path));
    }

    private static String string(Map<String, Object> node, String... path) {
        return at(node, path).toString();
    }

    private static int integer(Map<String, Object> node, String... path) {
        Object value = at(node, path);
        assertInstanceOf(Integer.class, value, String.join(".", path) + " should be a number but was " + value);
        return (Integer) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> node, String name) {
        Object value = at(node, name);
        assertInstanceOf(List.class, value, name + " should be a list");
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        assertInstanceOf(Map.class, value, what + " should be a mapping");
        return (Map<String, Object>) value;
    }
}
