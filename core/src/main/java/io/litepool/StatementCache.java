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
 * <p>A statement is <em>checked out</em> while it runs: {@link #take} removes it from the cache and {@link #giveBack}
 * returns it. So a statement is never handed out twice at once: a callback that ran the same SQL again from inside
 * its row mapper used to get the very statement being read, which reset it and cut the outer result short. The
 * nested use prepares a second statement; whichever comes back last stays cached, the other is closed. Every
 * statement that is not cached is closed when it comes back or fails, so nothing leaks when the cache is full or
 * has no room at all ({@code statementCacheSize(0)} leaked one native statement per write).
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

    /** A statement for {@code sql}, checked out: the cached one if it is free, else a freshly prepared one. */
    PreparedStatement take(String sql) throws SQLException {
        PreparedStatement statement = statements.remove(sql);
        return statement != null ? statement : connection.prepareStatement(sql);
    }

    /** Returns a statement that ran: it is cached (replacing a twin returned earlier), or closed if there is no room. */
    void giveBack(String sql, PreparedStatement statement) {
        if (capacity == 0) {
            closeQuietly(statement);
            return;
        }
        PreparedStatement twin = statements.put(sql, statement);
        if (twin != null && twin != statement) {
            closeQuietly(twin);
        }
    }

    /** Closes a statement that failed, so that the next use of its SQL prepares it afresh. */
    void discard(PreparedStatement statement) {
        closeQuietly(statement);
    }

    /** Closes every cached statement (VACUUM needs none open; closing the connection needs none left). */
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
