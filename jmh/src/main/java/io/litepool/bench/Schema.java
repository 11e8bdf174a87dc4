package io.litepool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark database and every statement the workloads run. Two groups of tables: the original's
 * ({@code test_data}, {@code load_test}, {@code perf_data}, shaped as in ruv-swarm's test/sqlite-pool-ha.test.js)
 * and the load tool's ({@code memory}, a 60-byte JSON value per row like the MCP memory store; {@code writes},
 * empty at the start so that the rows it holds afterwards can be compared with the writes acknowledged; and
 * {@code items}, ~100 bytes a row with a counter the starved-wal workload's updates increment, so that its sum
 * afterwards can be compared with the updates acknowledged).
 */
final class Schema {
    /** The original's point read: 1000-row table, by primary key. */
    static final String ORIGINAL_POINT_READ = "SELECT * FROM test_data WHERE id = ?";
    /** The original's insert burst: an AUTOINCREMENT table. */
    static final String ORIGINAL_INSERT = "INSERT INTO load_test(thread_id, operation_id, value) VALUES (?, ?, ?)";
    /** The original's worker query: a GROUP BY full scan over 5000 rows. */
    static final String ORIGINAL_GROUP_BY =
            "SELECT category, COUNT(*), AVG(value), MAX(value) FROM perf_data GROUP BY category";
    /** The original's sustained-load read. */
    static final String ORIGINAL_COUNT = "SELECT COUNT(*) FROM test_data";

    static final String POINT_READ = "SELECT id, agent, key, value, ts FROM memory WHERE id = ?";
    static final String INSERT = "INSERT INTO writes(client, seq, value, ts) VALUES (?, ?, ?, ?)";
    /** CPU-heavy: a full scan and a GROUP BY with string work over every row of {@code memory}. */
    static final String HEAVY = "SELECT agent, COUNT(*), AVG(LENGTH(value)), SUM(ts % 7), MAX(key) "
            + "FROM memory GROUP BY agent";

    static final String ITEMS_POINT_READ = "SELECT id, grp, n, pad FROM items WHERE id = ?";
    static final String ITEMS_UPDATE = "UPDATE items SET n = n + 1 WHERE id = ?";
    /** A full scan of {@code items}: at 300,000 rows long enough that three in a loop always hold a snapshot. */
    static final String ITEMS_GROUP_BY = "SELECT grp, sum(n), count(*) FROM items GROUP BY grp";

    static final int TEST_DATA_ROWS = 1000;
    static final int PERF_DATA_ROWS = 5000;
    static final int AGENTS = 100;
    static final int ITEM_GROUPS = 100;
    /** The length of {@code items.pad}: with the other columns ~100 bytes a row, ~29 MB at 300,000 rows. */
    static final int ITEM_PAD_CHARS = 80;

    private Schema() {
    }

    /** A ~60-byte JSON value, as the MCP memory store keeps. */
    static String value(long agent, long step) {
        return "{\"agent\":\"agent-" + agent + "\",\"step\":" + step + ",\"note\":\"benchmark payload\"}";
    }

    /** An {@value #ITEM_PAD_CHARS}-character filler that differs from row to row. */
    static String pad(long id) {
        String digits = Long.toString(id);
        return digits + "-".repeat(ITEM_PAD_CHARS - 2 * digits.length()) + digits;
    }

    /** Creates a fresh database at {@code database} (deleting an old one) with {@code memoryRows} rows in memory. */
    static void create(Path database, int memoryRows) {
        create(database, memoryRows, 0);
    }

    /**
     * Creates a fresh database at {@code database} (deleting an old one) with {@code memoryRows} rows in memory and
     * {@code itemRows} in items, every counter {@code n} at 0.
     */
    static void create(Path database, int memoryRows, int itemRows) {
        try {
            Files.deleteIfExists(database);
            Files.deleteIfExists(Path.of(database + "-wal"));
            Files.deleteIfExists(Path.of(database + "-shm"));
            Files.createDirectories(database.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + database + ": " + e, e);
        }
        try (Connection c = Jdbc.open(database, Jdbc.writerConfig(EngineKind.Durability.NORMAL))) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE test_data(id INTEGER PRIMARY KEY, name TEXT, value INTEGER,"
                        + " created_at TEXT DEFAULT CURRENT_TIMESTAMP)");
                s.execute("CREATE TABLE load_test(id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER,"
                        + " operation_id INTEGER, value TEXT, created_at TEXT DEFAULT CURRENT_TIMESTAMP)");
                s.execute("CREATE TABLE perf_data(id INTEGER PRIMARY KEY, category TEXT, value REAL)");
                s.execute("CREATE TABLE memory(id INTEGER PRIMARY KEY, agent TEXT NOT NULL, key TEXT NOT NULL,"
                        + " value TEXT, ts INTEGER)");
                s.execute("CREATE TABLE writes(id INTEGER PRIMARY KEY, client INTEGER NOT NULL,"
                        + " seq INTEGER NOT NULL, value TEXT, ts INTEGER)");
                s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, n INTEGER NOT NULL,"
                        + " pad TEXT NOT NULL)");
            }
            c.setAutoCommit(false);
            fill(c, "INSERT INTO test_data(id, name, value) VALUES (?, ?, ?)", TEST_DATA_ROWS,
                    (p, i) -> {
                        p.setLong(1, i);
                        p.setString(2, "name-" + i);
                        p.setLong(3, i * 7L);
                    });
            fill(c, "INSERT INTO perf_data(id, category, value) VALUES (?, ?, ?)", PERF_DATA_ROWS,
                    (p, i) -> {
                        p.setLong(1, i);
                        p.setString(2, "category-" + (i % 10));
                        p.setDouble(3, (i * 37 % 1000) / 10.0);
                    });
            fill(c, "INSERT INTO memory(id, agent, key, value, ts) VALUES (?, ?, ?, ?, ?)", memoryRows,
                    (p, i) -> {
                        p.setLong(1, i);
                        p.setString(2, "agent-" + (i % AGENTS));
                        p.setString(3, "key-" + i);
                        p.setString(4, value(i % AGENTS, i));
                        p.setLong(5, 1_700_000_000_000L + i);
                    });
            fill(c, "INSERT INTO items(id, grp, n, pad) VALUES (?, ?, 0, ?)", itemRows,
                    (p, i) -> {
                        p.setLong(1, i);
                        p.setLong(2, i % ITEM_GROUPS);
                        p.setString(3, pad(i));
                    });
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the benchmark database " + database + ": " + e, e);
        }
    }

    /** The one value {@code sql} returns now (0 for NULL), read on a connection of its own. */
    static long single(Path database, String sql) {
        try (Connection c = Jdbc.open(database, Jdbc.readerConfig());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql + " on " + database + ": " + e, e);
        }
    }

    /** The size of the database's WAL file now, 0 when there is none. */
    static long walSize(Path database) {
        try {
            return Files.size(wal(database));
        } catch (IOException e) {
            return 0; // none yet, or just truncated and removed
        }
    }

    private static Path wal(Path database) {
        return Path.of(database.toAbsolutePath() + "-wal");
    }

    /** Deletes the database and its WAL and shared-memory files. */
    static void delete(Path database) {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(Path.of(database + suffix));
            } catch (IOException ignored) {
                // a temporary file; leaving it behind is harmless
            }
        }
    }

    private interface RowBinder {
        void bind(PreparedStatement p, int i) throws SQLException;
    }

    private static void fill(Connection c, String sql, int rows, RowBinder binder) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 1; i <= rows; i++) {
                binder.bind(p, i);
                p.addBatch();
                if (i % 1000 == 0) {
                    p.executeBatch();
                }
            }
            p.executeBatch();
        }
    }
}
