package io.litepool.http.figures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A checked list of {@link Figure}s and its renderings: the JSON object (nested by the figures' paths) and its JSON
 * Schema (for a tool's output schema). Because both are rendered from the same list, a figure cannot be in one and
 * missing from the other by mistake. Immutable and thread-safe.
 *
 * <p>The constructor rejects a list that would render wrongly: two figures at one JSON path, or a path that is both
 * a value and an object.
 */
public final class Figures {
    private static final Pattern PATH = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");

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
        for (Figure f : figures) {
            checkPath(f, paths, objects);
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


}
