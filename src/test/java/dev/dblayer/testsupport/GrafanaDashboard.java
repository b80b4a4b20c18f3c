package dev.dblayer.testsupport;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * What a Grafana dashboard (server-config/grafana/dblayer.json) asks Prometheus for: its panels'
 * queries, its template variables' queries and the metric names in them, so that tests can hold
 * them against the names dblayer publishes (and, in a server, against a real {@code /metrics}
 * scrape).
 *
 * <p>The names are read from PromQL by a small tokenizer, not a full parser: strings, comments,
 * label matchers ({@code {...}}), ranges and subqueries ({@code [...]}), numbers and durations, and
 * Grafana's variables ({@code $pool}, {@code ${pool}}) are skipped; an identifier followed by
 * {@code (} is a function or an aggregation, one followed by {@code by} or {@code without} an
 * aggregation, the identifiers in the parentheses of {@code by}, {@code without}, {@code on},
 * {@code ignoring}, {@code group_left} and {@code group_right} are labels, and PromQL's keywords
 * ({@code and}, {@code or}, {@code unless}, {@code bool}, {@code offset}, ...) are no names. Every
 * other identifier is a metric name, and so is the value of a {@code __name__="..."} matcher.
 * Grafana's templating functions are understood: {@code label_values(EXPR, label)} names the
 * metrics of EXPR (the one-argument {@code label_values(label)} none), {@code query_result(EXPR)}
 * those of EXPR, {@code label_names()} and {@code metrics(regex)} none.
 */
public final class GrafanaDashboard {

    /** Binary operators, modifiers and literals spelled as identifiers, in lower case (PromQL ignores their case). */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "atan2", "bool", "offset", "by",
            "without", "on", "ignoring", "group_left", "group_right", "inf", "nan");
    /** Keywords whose parenthesised list holds label names. */
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Pattern TEMPLATING_FUNCTION = Pattern.compile(
            "^\\s*(label_values|query_result|label_names|metrics)\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);
    /** {@code __name__="x"} (equality only: a regex or a negation names no one metric). */
    private static final Pattern NAME_MATCHER = Pattern.compile(
            "(?<![A-Za-z0-9_])__name__\\s*=(?![=~])\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** Prometheus 3's quoted metric name in braces: {@code {"name", label="x"}}. */
    private static final Pattern QUOTED_NAME = Pattern.compile("^\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)");

    private GrafanaDashboard() {
    }

    /** Every metric name queried by the dashboard at {@code dashboardJson}: panels, template variables, annotations. */
    public static Set<String> metricNames(Path dashboardJson) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String query : queries(read(dashboardJson))) {
            names.addAll(metricNames(query));
        }
        return Collections.unmodifiableSet(names);
    }

    /** The metric names in one PromQL expression or Grafana templating query. */
    public static Set<String> metricNames(String query) {
        Set<String> names = new TreeSet<>();
        Matcher templating = TEMPLATING_FUNCTION.matcher(query);
        if (templating.matches()) {
            String function = templating.group(1);
            List<String> arguments = arguments(templating.group(2));
            switch (function) {
                case "label_values" -> {
                    if (arguments.size() == 2) {
                        names.addAll(metricNames(arguments.get(0)));
                    }
                }
                case "query_result" -> names.addAll(metricNames(templating.group(2)));
                default -> {
                    // label_names(), metrics(regex): no metric name
                }
            }
            return names;
        }
        List<Token> tokens = tokens(query, names);
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.kind != Kind.IDENTIFIER) {
                continue;
            }
            String lower = token.text.toLowerCase(Locale.ROOT);
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (LABEL_LISTS.contains(lower) && next != null && next.kind == Kind.OPEN) {
                i = closing(tokens, i + 1);
                continue;
            }
            if (KEYWORDS.contains(lower)) {
                continue;
            }
            if (next != null && (next.kind == Kind.OPEN || next.kind == Kind.IDENTIFIER
                    && (next.text.equalsIgnoreCase("by") || next.text.equalsIgnoreCase("without")))) {
                continue;
            }
            names.add(token.text);
        }
        return names;
    }

    /** The dashboard's JSON. */
    public static JsonObject read(Path dashboardJson) throws IOException {
        try (Reader reader = Files.newBufferedReader(dashboardJson); JsonReader json = Json.createReader(reader)) {
            return json.readObject();
        }
    }

    /** Every panel, those nested in (collapsed) rows included, and the rows themselves. */
    public static List<JsonObject> panels(JsonObject dashboard) {
        List<JsonObject> panels = new ArrayList<>();
        collectPanels(dashboard.getJsonArray("panels"), panels);
        return panels;
    }

    /** Every query the dashboard sends: its panels' targets' {@code expr}, its query variables' and its annotations' queries. */
    public static List<String> queries(JsonObject dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonObject panel : panels(dashboard)) {
            for (JsonObject target : objects(panel.getJsonArray("targets"))) {
                addString(queries, target.get("expr"));
            }
        }
        queries.addAll(variableQueries(dashboard));
        JsonObject annotations = dashboard.getJsonObject("annotations");
        if (annotations != null) {
            for (JsonObject annotation : objects(annotations.getJsonArray("list"))) {
                addString(queries, annotation.get("expr"));
            }
        }
        return queries;
    }

    /**
     * The queries of the dashboard's query variables: {@code query} (a string, or an object with
     * a {@code query} string, as Grafana 10's Prometheus variable editor saves it) and {@code
     * definition}. Other variables (datasource, interval, custom, constant) query no metric.
     */
    public static List<String> variableQueries(JsonObject dashboard) {
        List<String> queries = new ArrayList<>();
        JsonObject templating = dashboard.getJsonObject("templating");
        if (templating == null) {
            return queries;
        }
        for (JsonObject variable : objects(templating.getJsonArray("list"))) {
            if (!"query".equals(variable.getString("type", ""))) {
                continue;
            }
            JsonValue query = variable.get("query");
            if (query instanceof JsonObject object) {
                addString(queries, object.get("query"));
            } else {
                addString(queries, query);
            }
            addString(queries, variable.get("definition"));
        }
        return queries;
    }

    private static void collectPanels(JsonArray array, List<JsonObject> into) {
        for (JsonObject panel : objects(array)) {
            into.add(panel);
            collectPanels(panel.getJsonArray("panels"), into);
        }
    }

    private static List<JsonObject> objects(JsonArray array) {
        List<JsonObject> objects = new ArrayList<>();
        if (array != null) {
            for (JsonValue value : array) {
                if (value instanceof JsonObject object) {
                    objects.add(object);
                }
            }
        }
        return objects;
    }

    private static void addString(List<String> into, JsonValue value) {
        if (value instanceof JsonString string && !string.getString().isBlank()) {
            into.add(string.getString());
        }
    }

    // --- PromQL ------------------------------------------------------------------------------

    private enum Kind { IDENTIFIER, OPEN, CLOSE, OTHER }

    private record Token(Kind kind, String text) {
    }

    /** The index of the parenthesis that closes the one at {@code open}, or the last token's. */
    private static int closing(List<Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Kind kind = tokens.get(i).kind;
            if (kind == Kind.OPEN) {
                depth++;
            } else if (kind == Kind.CLOSE && --depth == 0) {
                return i;
            }
        }
        return tokens.size() - 1;
    }

    /**
     * The tokens that matter for names: identifiers and parentheses; everything else is one
     * {@link Kind#OTHER} token or nothing. Names given by {@code __name__="..."} (or Prometheus 3's
     * quoted name) in label matchers go straight to {@code names}.
     */
    private static List<Token> tokens(String query, Set<String> names) {
        List<Token> tokens = new ArrayList<>();
        int length = query.length();
        int i = 0;
        while (i < length) {
            char c = query.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'' || c == '`') {
                i = skipString(query, i);
                tokens.add(new Token(Kind.OTHER, "string"));
            } else if (c == '#') {
                while (i < length && query.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '{' || c == '[') {
                int end = skipGroup(query, i);
                if (c == '{') {
                    String matchers = query.substring(i + 1, Math.max(i + 1, end - 1));
                    Matcher name = NAME_MATCHER.matcher(matchers);
                    while (name.find()) {
                        names.add(name.group(1));
                    }
                    Matcher quoted = QUOTED_NAME.matcher(matchers);
                    if (quoted.find()) {
                        names.add(quoted.group(1));
                    }
                }
                tokens.add(new Token(Kind.OTHER, String.valueOf(c)));
                i = end;
            } else if (c == '$') {
                i++;
                if (i < length && query.charAt(i) == '{') {
                    while (i < length && query.charAt(i) != '}') {
                        i++;
                    }
                    i++;
                } else {
                    while (i < length && (Character.isLetterOrDigit(query.charAt(i)) || query.charAt(i) == '_')) {
                        i++;
                    }
                }
                tokens.add(new Token(Kind.OTHER, "variable"));
            } else if (Character.isDigit(c) || c == '.' && i + 1 < length && Character.isDigit(query.charAt(i + 1))) {
                // numbers, durations (5m, 1h30m), hex, exponents: nothing in them is a name
                while (i < length && (Character.isLetterOrDigit(query.charAt(i)) || query.charAt(i) == '.'
                        || query.charAt(i) == '_')) {
                    i++;
                }
                tokens.add(new Token(Kind.OTHER, "number"));
            } else if (isIdentifierStart(c)) {
                int start = i;
                while (i < length && isIdentifierPart(query.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENTIFIER, query.substring(start, i)));
            } else if (c == '(') {
                tokens.add(new Token(Kind.OPEN, "("));
                i++;
            } else if (c == ')') {
                tokens.add(new Token(Kind.CLOSE, ")"));
                i++;
            } else {
                tokens.add(new Token(Kind.OTHER, String.valueOf(c)));
                i++;
            }
        }
        return tokens;
    }

    /** The index after the string that starts at {@code start} (double, single or back quotes). */
    private static int skipString(String query, int start) {
        char quote = query.charAt(start);
        int i = start + 1;
        while (i < query.length()) {
            char c = query.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return query.length();
    }

    /** The index after the brace or bracket group that starts at {@code start}, nested groups and strings inside it skipped. */
    private static int skipGroup(String query, int start) {
        int depth = 0;
        int i = start;
        while (i < query.length()) {
            char c = query.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(query, i);
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return query.length();
    }

    /** The top-level comma-separated arguments of a call's parentheses' content. */
    private static List<String> arguments(String content) {
        List<String> arguments = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(content, i) - 1;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                arguments.add(content.substring(start, i).trim());
                start = i + 1;
            }
        }
        String last = content.substring(start).trim();
        if (!last.isEmpty() || !arguments.isEmpty()) {
            arguments.add(last);
        }
        return arguments;
    }

    private static boolean isIdentifierStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':';
    }

    private static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || c >= '0' && c <= '9';
    }
}
