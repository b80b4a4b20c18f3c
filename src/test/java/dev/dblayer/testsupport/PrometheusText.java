package dev.dblayer.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus (or OpenMetrics) text exposition, as {@code /metrics} answers it:
 * {@code name{label="value",...} number}. Comments ({@code # TYPE}, {@code # HELP}) are skipped.
 */
public final class PrometheusText {

    /** One sample: its metric name, labels and value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+).*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line.trim());
            if (!sample.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            double value;
            try {
                value = Double.parseDouble(sample.group(4));
            } catch (NumberFormatException e) {
                continue;
            }
            samples.add(new Sample(sample.group(1), labels, value));
        }
        return new PrometheusText(samples);
    }

    /** Every sample. */
    public List<Sample> samples() {
        return samples;
    }

    /** The value of the sample named {@code name} whose labels include {@code labels} (pairs), if there is one. */
    public Optional<Double> value(String name, String... labels) {
        return samples.stream()
                .filter(sample -> sample.name().equals(name))
                .filter(sample -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                            return false;
                        }
                    }
                    return true;
                })
                .map(Sample::value)
                .findFirst();
    }

    /** The metric names, in order of first appearance. */
    public List<String> names() {
        return samples.stream().map(Sample::name).distinct().toList();
    }
}
