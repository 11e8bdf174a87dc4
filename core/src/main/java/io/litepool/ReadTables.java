package io.litepool;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tables a query reads, as SQLite's own program for it says: the b-trees its {@code EXPLAIN} opens, mapped to
 * their tables through {@code sqlite_schema}. No SQL is parsed here, so views, subqueries, CTEs, triggers' targets
 * and indexes (an index-only scan names the index's table) all come out as SQLite compiled them.
 *
 * <p>A query cannot be cached (its tables are {@link #UNKNOWN}) when its program opens anything but the main
 * database's b-trees for reading: a virtual table ({@code VOpen}: FTS5, json_each over a column, ...), the temp
 * database or an attached one, or a b-tree for writing; and when it reads no table at all ({@code SELECT
 * datetime('now')}, {@code SELECT random()}): nothing would ever tell such a result is old.
 *
 * <p>Runs on the connection's thread, inside the read transaction of the query it describes, so the schema it maps
 * through is the one the query runs against. What it found is kept per SQL and schema version (a schema change
 * makes every plan be found again); {@value #PLANS} plans at most.
 */
final class ReadTables {
    /** The tables of a query that cannot be cached. */
    static final Set<String> UNKNOWN = Set.of();
    /** SQL texts whose tables are kept; beyond this, the least used are found again when next asked. */
    static final int PLANS = 1024;

    private static final String SCHEMA_VERSION = "PRAGMA schema_version";
    private static final String ROOT_PAGES = "SELECT rootpage, tbl_name FROM sqlite_schema WHERE rootpage > 0";
    /** The root page of {@code sqlite_schema} itself, which it does not list. */
    private static final long SCHEMA_ROOT = 1;

    private record Plan(long schemaVersion, Set<String> tables) {
    }

    private final Cache<String, Plan> plans = Caffeine.newBuilder().maximumSize(PLANS).build();

    /**
     * The tables {@code sql} reads, or {@link #UNKNOWN}; on {@code c}'s thread, inside the read transaction the
     * query then runs in.
     */
    Set<String> of(PooledConnection c, String sql, Object[] params) throws SQLException {
        long schema = c.singleLong(SCHEMA_VERSION);
        Plan plan = plans.getIfPresent(sql);
        if (plan != null && plan.schemaVersion == schema) {
            return plan.tables;
        }
        Set<String> tables = explain(c, sql, params);
        plans.put(sql, new Plan(schema, tables));
        return tables;
    }

    private static Set<String> explain(PooledConnection c, String sql, Object[] params) throws SQLException {
        List<Row> program = c.explain(sql, params); // prepared afresh: a cached EXPLAIN outlives schema changes
        Map<Long, String> roots = null;
        Set<String> tables = new TreeSet<>();
        for (Row op : program) {
            String opcode = op.getString("opcode");
            switch (opcode) {
                case "OpenRead", "ReopenIdx" -> {
                    if (op.getLong("p3") != 0) {
                        return UNKNOWN; // the temp database or an attached one
                    }
                    if (roots == null) {
                        roots = rootPages(c);
                    }
                    String table = roots.get(op.getLong("p2"));
                    if (table == null) {
                        return UNKNOWN; // a b-tree the schema does not list: do not guess
                    }
                    tables.add(table);
                }
                case "OpenWrite", "VOpen" -> {
                    return UNKNOWN;
                }
                default -> {
                }
            }
        }
        return tables.isEmpty() ? UNKNOWN : Set.copyOf(tables);
    }

    private static Map<Long, String> rootPages(PooledConnection c) throws SQLException {
        Map<Long, String> roots = new HashMap<>();
        roots.put(SCHEMA_ROOT, "sqlite_schema");
        for (Row r : c.query(ROOT_PAGES, new Object[0], PooledConnection.ROW)) {
            roots.put(r.getLong("rootpage"), r.getString("tbl_name"));
        }
        return roots;
    }
}
