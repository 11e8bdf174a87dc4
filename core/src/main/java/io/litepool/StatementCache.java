package io.litepool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU of prepared statements for one connection. The driver has none of its own, and preparing is a JNI
 * round trip plus SQLite's parser, so reuse matters for the short statements a pool mostly runs.
 *
 * <p>Not thread-safe: it belongs to the one platform thread that owns its connection.
 */
final class StatementCache {
    private final Connection connection;
    private final int capacity;
    private final LinkedHashMap<String, PreparedStatement> statements;

    StatementCache(Connection connection, int capacity) {
        this.connection = connection;
        this.capacity = capacity;
        this.statements = new LinkedHashMap<>(Math.max(16, capacity * 4 / 3 + 1), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() > StatementCache.this.capacity) {
                    closeQuietly(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    /** A prepared statement for {@code sql}, cached unless the cache has no room at all. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            if (capacity > 0) {
                statements.put(sql, statement);
            }
        }
        return statement;
    }

    /** Gives a statement back: one that is not cached is closed. */
    void release(String sql, PreparedStatement statement) {
        if (statements.get(sql) != statement) {
            closeQuietly(statement);
        }
    }

    /** Drops a statement that failed, so that the next use prepares it afresh. */
    void evict(String sql) {
        PreparedStatement statement = statements.remove(sql);
        if (statement != null) {
            closeQuietly(statement);
        }
    }

    int size() {
        return statements.size();
    }

    void clear() {
        statements.values().forEach(StatementCache::closeQuietly);
        statements.clear();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException ignored) {
            // closing a statement of a connection that is going away; nothing to do
        }
    }
}
