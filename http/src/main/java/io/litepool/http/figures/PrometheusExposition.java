package io.litepool.http.figures;

import java.util.Locale;
import java.util.Map;

/**
 * Writes metrics in the Prometheus text exposition format, version 0.0.4: for each family a {@code # HELP} and a
 * {@code # TYPE} line, then its samples. Label values are escaped as the format requires. Not thread-safe; one per
 * scrape.
 */
public final class PrometheusExposition {

    /** The {@code Content-Type} of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);
    private final String constantLabels;

    /** @param constantLabels labels every sample carries, e.g. {@code pool="litepool"} */
    public PrometheusExposition(Map<String, String> constantLabels) {
        this.constantLabels = labels(constantLabels);
    }

    /** Starts a family. */
    public PrometheusExposition family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ')
                .append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A one-sample counter family. */
    public PrometheusExposition counter(String name, String help, double value) {
        return family(name, "counter", help).sample(name, Map.of(), value);
    }

    /** A one-sample gauge family. */
    public PrometheusExposition gauge(String name, String help, double value) {
        return family(name, "gauge", help).sample(name, Map.of(), value);
    }

    /** One sample of the current family; {@code labels} come after the constant ones, in iteration order. */
    public PrometheusExposition sample(String name, Map<String, String> labels, double value) {
        out.append(name);
        String extra = labels(labels);
        if (!constantLabels.isEmpty() || !extra.isEmpty()) {
            out.append('{').append(constantLabels);
            if (!constantLabels.isEmpty() && !extra.isEmpty()) {
                out.append(',');
            }
            out.append(extra).append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    public String text() {
        return out.toString();
    }

    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    private static String labels(Map<String, String> labels) {
        StringBuilder b = new StringBuilder();
        labels.forEach((k, v) -> {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(k).append("=\"")
                    .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        });
        return b.toString();
    }
}
