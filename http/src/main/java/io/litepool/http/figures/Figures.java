package io.litepool.http.figures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A checked list of {@link Figure}s and its renderings: the JSON object (nested by the figures' paths), its JSON
 * Schema (for a tool's output schema), the Prometheus text (one {@code # HELP}/{@code # TYPE} per family, families
 * in the order they first appear, each followed by all its samples), and the docs' table of those families.
 * Because every output is rendered from the same list, a figure cannot be in one and missing from another by
 * mistake. Immutable and thread-safe.
 *
 * <p>The constructor rejects a list that would render wrongly: two figures at one JSON path, a path that is both a
 * value and an object, a family whose figures disagree on type or help, a counter not named {@code ..._total}, a
 * quantile without a {@code quantile} label, or two samples of one series.
 */
public final class Figures {
    private static final Pattern PATH = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    private static final Pattern FAMILY = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private final List<Figure> figures;

    public Figures(List<Figure> figures) {
        this.figures = List.copyOf(figures);
        check(this.figures);
    }

    public List<Figure> list() {
        return figures;
    }

    /** Every figure with a JSON path, as one object nested by the paths, in the list's order. */
    public ObjectNode json(PoolFigures.Snapshot snapshot) {
        ObjectNode root = Json.object();
        for (Figure f : figures) {
            if (f.path() == null) {
                continue;
            }
            double v = f.value().applyAsDouble(snapshot);
            ObjectNode parent = parentOf(root, f.path());
            String key = leaf(f.path());
            if (f.whole()) {
                parent.put(key, Math.round(v));
            } else {
                parent.put(key, round(v));
            }
        }
        return root;
    }

    /**
     * The JSON Schema of {@link #json}: an object per path segment with every key required, {@code integer} or
     * {@code number} leaves described by the figure's help and unit.
     */
    public ObjectNode jsonSchema() {
        ObjectNode root = schemaObject();
        for (Figure f : figures) {
            if (f.path() == null) {
                continue;
            }
            ObjectNode parent = root;
            String[] segments = f.path().split("\\.");
            for (int i = 0; i < segments.length - 1; i++) {
                ObjectNode properties = (ObjectNode) parent.get("properties");
                if (!properties.has(segments[i])) {
                    properties.set(segments[i], schemaObject());
                    ((ArrayNode) parent.get("required")).add(segments[i]);
                }
                parent = (ObjectNode) properties.get(segments[i]);
            }
            String description = f.unit().described() == null ? f.help() : f.help() + " (" + f.unit().described() + ")";
            ((ObjectNode) parent.get("properties")).putObject(segments[segments.length - 1])
                    .put("type", f.whole() ? "integer" : "number").put("description", description);
            ((ArrayNode) parent.get("required")).add(segments[segments.length - 1]);
        }
        return root;
    }

    /** Every figure with a Prometheus family, grouped by family, values in base units. */
    public void prometheus(PoolFigures.Snapshot snapshot, PrometheusExposition out) {
        families().forEach((family, members) -> {
            Figure first = members.getFirst();
            out.family(family, first.type().prometheus(), first.help());
            for (Figure f : members) {
                out.sample(f.sampleName(), f.labels(), f.value().applyAsDouble(snapshot) * f.unit().toBase());
            }
        });
    }

    /**
     * The Prometheus families as the Markdown table docs/http.md holds (a test compares the two, so the docs change
     * with the list): name, type, each label with its values, help.
     */
    public String markdownTable() {
        StringBuilder b = new StringBuilder("""
                | metric | type | labels | meaning |
                |---|---|---|---|
                """);
        families().forEach((family, members) -> {
            Figure first = members.getFirst();
            Map<String, Set<String>> labels = new LinkedHashMap<>();
            members.forEach(f -> f.labels().forEach((k, v) -> labels.computeIfAbsent(k, x -> new LinkedHashSet<>())
                    .add(v)));
            b.append("| `").append(family).append('`')
                    .append(first.type().prometheus().equals("summary") ? " + `_sum`, `_count`" : "")
                    .append(" | ").append(first.type().prometheus()).append(" | ")
                    .append(labels.entrySet().stream()
                            .map(e -> "`" + e.getKey() + "`: " + String.join(", ", e.getValue()))
                            .collect(Collectors.joining("; ")))
                    .append(" | ").append(first.help()).append(" |\n");
        });
        return b.toString();
    }

    private Map<String, List<Figure>> families() {
        Map<String, List<Figure>> families = new LinkedHashMap<>();
        for (Figure f : figures) {
            if (f.family() != null) {
                families.computeIfAbsent(f.family(), k -> new ArrayList<>()).add(f);
            }
        }
        return families;
    }

    /** Microsecond precision for millisecond figures (and three decimals for means): more digits would be noise. */
    static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static ObjectNode parentOf(ObjectNode root, String path) {
        ObjectNode parent = root;
        String[] segments = path.split("\\.");
        for (int i = 0; i < segments.length - 1; i++) {
            JsonNode child = parent.get(segments[i]);
            parent = child instanceof ObjectNode o ? o : parent.putObject(segments[i]);
        }
        return parent;
    }

    private static String leaf(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static ObjectNode schemaObject() {
        ObjectNode o = Json.object().put("type", "object");
        o.putObject("properties");
        o.putArray("required");
        return o;
    }

    private static void check(List<Figure> figures) {
        Set<String> paths = new HashSet<>();
        Set<String> objects = new HashSet<>();
        Map<String, Figure> familyFirst = new HashMap<>();
        Set<String> series = new HashSet<>();
        for (Figure f : figures) {
            if (f.path() != null) {
                checkPath(f, paths, objects);
            }
            if (f.family() != null) {
                checkSample(f, familyFirst, series);
            }
        }
    }

    private static void checkPath(Figure f, Set<String> paths, Set<String> objects) {
        if (!PATH.matcher(f.path()).matches()) {
            throw new IllegalArgumentException(f + ": a JSON path is dotted snake_case keys such as 'wal.size_bytes', "
                    + "got '" + f.path() + "'");
        }
        if (!paths.add(f.path())) {
            throw new IllegalArgumentException(f + ": JSON path '" + f.path() + "' is declared twice");
        }
        if (objects.contains(f.path())) {
            throw new IllegalArgumentException(f + ": JSON path '" + f.path() + "' is already an object of figures");
        }
        for (int dot = f.path().indexOf('.'); dot >= 0; dot = f.path().indexOf('.', dot + 1)) {
            String prefix = f.path().substring(0, dot);
            if (paths.contains(prefix)) {
                throw new IllegalArgumentException(f + ": JSON path '" + prefix + "' is already a value, so it cannot "
                        + "hold '" + f.path() + "'");
            }
            objects.add(prefix);
        }
    }

    private static void checkSample(Figure f, Map<String, Figure> familyFirst, Set<String> series) {
        if (!FAMILY.matcher(f.family()).matches()) {
            throw new IllegalArgumentException(f + ": a Prometheus metric name matches " + FAMILY + ", got '"
                    + f.family() + "'");
        }
        if (f.type() == Figure.Type.COUNTER && !f.family().endsWith("_total")) {
            throw new IllegalArgumentException(f + ": a counter's name ends in _total, got '" + f.family() + "'");
        }
        if (f.type() == Figure.Type.SUMMARY_QUANTILE && !"quantile".equals(f.labels().lastEntry() == null ? null
                : f.labels().lastEntry().getKey())) {
            throw new IllegalArgumentException(f + ": a summary's quantile sample has a last label 'quantile', got "
                    + f.labels());
        }
        Figure first = familyFirst.putIfAbsent(f.family(), f);
        if (first != null && !first.type().prometheus().equals(f.type().prometheus())) {
            throw new IllegalArgumentException(f + ": family " + f.family() + " is a " + first.type().prometheus()
                    + " (" + first + "), got a " + f.type().prometheus());
        }
        if (first != null && !first.help().equals(f.help())) {
            throw new IllegalArgumentException(f + ": family " + f.family() + " has the help '" + first.help()
                    + "' (" + first + "), got '" + f.help() + "'");
        }
        if (!series.add(f.sampleName() + f.labels())) {
            throw new IllegalArgumentException(f + ": series " + f.sampleName() + f.labels() + " is declared twice");
        }
    }
}
