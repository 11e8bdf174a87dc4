package io.litepool.reliability;

import io.litepool.LitePool;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What the reliability tests share: a content fingerprint and a look at the JVM's threads ({@link
 * io.litepool.TestDatabase} makes their pools).
 */
final class Reliability {
    private Reliability() {
    }

    /**
     * Everything a test could have changed, as text: the schema and every row of every table, in a fixed order.
     * Read through the pool, so it sees exactly what callers see.
     */
    static String fingerprint(LitePool pool) {
        StringBuilder sb = new StringBuilder();
        // sqlite_stat* tables are SQLite's own: PRAGMA optimize (run when a pool closes) creates and fills them
        String user = "name NOT LIKE 'sqlite_stat%'";
        List<String> tables = pool.read("SELECT name FROM sqlite_schema WHERE type = 'table' AND " + user
                + " ORDER BY name", rs -> rs.getString(1));
        pool.read("SELECT type, name, sql FROM sqlite_schema WHERE " + user + " ORDER BY type, name")
                .forEach(r -> sb.append(r).append('\n'));
        for (String table : tables) {
            pool.read("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\" ORDER BY rowid")
                    .forEach(r -> sb.append(table).append(' ').append(r).append('\n'));
        }
        return sb.toString();
    }

    /** Names of the live threads that start with {@code prefix} (a pool's threads start with its name). */
    static Set<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith(prefix))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@code PRAGMA integrity_check}'s answer: "ok", or the problems it found. */
    static String integrityCheck(LitePool pool) {
        return String.join("; ", pool.read("PRAGMA integrity_check", rs -> rs.getString(1)));
    }
}
