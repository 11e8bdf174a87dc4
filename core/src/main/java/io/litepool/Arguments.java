package io.litepool;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a caller's SQL and parameters on the caller's thread, before anything is queued, so that bad input fails
 * with a precise message and never reaches a connection.
 *
 * <p>The SQL must hold exactly one statement. sqlite-jdbc compiles only the first statement of a string and drops
 * the rest without a word ({@code "INSERT ...; DROP TABLE t"} ran the INSERT and reported success), and a string with
 * no statement at all ({@code ";"}, a lone comment) left the driver's statement set in a state where the next such
 * string threw {@code IllegalStateException} and closing the connection failed. {@link #statementCount} finds both
 * with one pass of {@link SqlScanner} over the text, skipping literals, quoted identifiers and comments.
 *
 * <p>The statement must not take over what the pool owns (see refusal()): its transactions ({@code write("BEGIN")}
 * left the writer inside a transaction that was never committed, so later writes were acknowledged and lost at
 * close; {@code tx.write("COMMIT")} committed a callback's writes although the callback then failed), its
 * connections' attached databases, and the pragmas that set a connection's guarantees ({@code PRAGMA query_only=1}
 * failed every later write while health said healthy; {@code PRAGMA synchronous=OFF} dropped durability without a
 * word). Only the first few tokens of the statement are looked at again, so the check stays one pass for an INSERT.
 * {@link #checkSql} is the SQL half, which the JDBC callbacks' connections ({@link LentConnection}) apply too; through
 * them sqlite-jdbc's own BACKUP and RESTORE commands would be reachable, so those are refused here as well.
 */
final class Arguments {
    /** SQLite's default SQLITE_MAX_SQL_LENGTH; longer text cannot be a statement. */
    static final int MAX_SQL_LENGTH = 1_000_000_000;

    private Arguments() {
    }

    static void check(String sql, Object[] params) {
        checkSql(sql);
        Objects.requireNonNull(params, "params must not be null (pass no parameters instead)");
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (!(p == null || p instanceof String || p instanceof Long || p instanceof Integer
                    || p instanceof Double || p instanceof Float || p instanceof Short || p instanceof Byte
                    || p instanceof Boolean || p instanceof byte[] || p instanceof BigDecimal)) {
                throw new IllegalArgumentException("parameter " + (i + 1) + " is a " + p.getClass().getName()
                        + "; expected null, String, a number (Long, Integer, Double, ...), Boolean or byte[]");
            }
        }
    }

    /**
     * The SQL half of {@link #check}: one statement, and not one the pool refuses. {@link LentConnection} runs it on
     * every statement a JDBC callback prepares or executes, so the same rules hold there.
     */
    static void checkSql(String sql) {
        Objects.requireNonNull(sql, "sql must not be null");
        if (sql.isBlank()) {
            throw new IllegalArgumentException("sql must not be blank");
        }
        if (sql.length() > MAX_SQL_LENGTH) {
            throw new IllegalArgumentException("sql is " + sql.length() + " characters; SQLite accepts at most "
                    + MAX_SQL_LENGTH);
        }
        SqlScanner tokens = new SqlScanner(sql);
        int statements = statementCount(tokens);
        if (statements == 0) {
            throw new IllegalArgumentException("sql holds no statement, only comments or semicolons: '"
                    + PoolErrors.abbreviate(sql) + "'");
        }
        if (statements > 1) {
            throw new IllegalArgumentException("sql holds " + statements + " statements; one call runs exactly one "
                    + "(use transaction() for several): '" + PoolErrors.abbreviate(sql) + "'");
        }
        tokens.rewind();
        String refusal = refusal(tokens);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal + ": '" + PoolErrors.abbreviate(sql) + "'");
        }
    }

    /**
     * How many statements {@code sql} holds: runs of tokens that semicolons separate, except inside the body of a
     * {@code CREATE TRIGGER}, whose own statements end in semicolons. That body ends at the first {@code END} that
     * directly follows a semicolon, and the trigger at the next semicolon after it. This is the rule of SQLite's own
     * {@code sqlite3_complete()}, and it is exact: in a body, a semicolon is followed only by the next statement
     * (which never starts with END) or by the body's END. Counting {@code CASE ... END} pairs instead would take a
     * column named {@code end} (SQLite lets BEGIN and END be identifiers) for the body's end.
     */
    static int statementCount(String sql) {
        return statementCount(new SqlScanner(sql));
    }

    /** {@link #statementCount(String)} of the text {@code tokens} reads, from where it stands. */
    private static int statementCount(SqlScanner tokens) {
        int count = 0;
        Place place = Place.BETWEEN;
        for (SqlScanner.Kind kind = tokens.next(); kind != SqlScanner.Kind.END; kind = tokens.next()) {
            if (tokens.is(';')) {
                place = place == Place.TRIGGER || place == Place.TRIGGER_SEMICOLON
                        ? Place.TRIGGER_SEMICOLON : Place.BETWEEN;
                continue;
            }
            place = switch (place) {
                case BETWEEN -> {
                    count++;
                    yield tokens.isWord("EXPLAIN") ? Place.EXPLAIN
                            : tokens.isWord("CREATE") ? Place.CREATE : Place.STATEMENT;
                }
                case EXPLAIN -> tokens.isWord("CREATE") ? Place.CREATE
                        : tokens.isWord("QUERY") || tokens.isWord("PLAN") ? Place.EXPLAIN : Place.STATEMENT;
                case CREATE -> tokens.isWord("TRIGGER") ? Place.TRIGGER
                        : tokens.isWord("TEMP") || tokens.isWord("TEMPORARY") ? Place.CREATE : Place.STATEMENT;
                case TRIGGER -> Place.TRIGGER;
                case TRIGGER_SEMICOLON -> tokens.isWord("END") ? Place.STATEMENT : Place.TRIGGER;
                case STATEMENT -> Place.STATEMENT;
            };
        }
        return count;
    }

    /** Where {@link #statementCount} is in the text. */
    private enum Place {
        /** Before a statement's first token. */
        BETWEEN,
        /** After {@code EXPLAIN} (and {@code QUERY PLAN}): a {@code CREATE TRIGGER} may follow. */
        EXPLAIN,
        /** After {@code CREATE} (and {@code TEMP}): a {@code TRIGGER} may follow. */
        CREATE,
        /** In a trigger, before the end of its body: a semicolon does not end the statement. */
        TRIGGER,
        /** In a trigger, right after a semicolon: an {@code END} here ends the body. */
        TRIGGER_SEMICOLON,
        /** In any other statement, or in a trigger after its body: the next semicolon ends it. */
        STATEMENT
    }

    /** First keywords of the statements that begin or end the transactions the pool runs. */
    private static final String[] TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"};

    /**
     * The pragmas whose SET form ({@code PRAGMA [schema.]name = value} or {@code PRAGMA name(value)}) the pool
     * refuses, each with why. The pool gives every connection its settings when it opens it and runs each request on
     * whichever connection it picks, so a setting made through a request would hold on one connection only, for
     * every later request there, and be gone once the pool replaces that connection. Querying any of them
     * ({@code PRAGMA synchronous}) is allowed, and so is setting any pragma not listed ({@code user_version},
     * {@code application_id}, {@code max_page_count}, ...).
     */
    private static final Map<String, OwnedPragma> POOL_OWNED_PRAGMAS = Map.ofEntries(
            owned("synchronous", "it would change the durability of one connection's commits",
                    "PoolConfig.synchronous (POOL_SYNCHRONOUS)"),
            owned("busy_timeout", "it would change how long one connection waits for a lock",
                    "PoolConfig.busyTimeout (POOL_BUSY_TIMEOUT)"),
            owned("mmap_size", "it would change how much of the file one connection maps into memory",
                    "PoolConfig.mmapSize (POOL_MMAP_SIZE)"),
            owned("cache_size", "it would change one connection's page cache",
                    "PoolConfig.cacheSize (POOL_CACHE_SIZE)"),
            owned("journal_mode", "the pool runs the database in WAL, which lets readers read while the writer writes"),
            owned("locking_mode", "EXCLUSIVE would lock every other connection out of the database"),
            owned("query_only", "the pool sets it itself (readers are query-only, and on the writer it would fail "
                    + "every later write)"),
            owned("foreign_keys", "the writer enforces foreign keys; switched off, later writes could break them"),
            owned("defer_foreign_keys", "it would hold until the end of a group commit, deferring the checks of "
                    + "other callers' writes"),
            owned("ignore_check_constraints", "later writes on that connection would skip CHECK constraints"),
            owned("writable_schema", "it lets writes edit sqlite_schema directly, which can corrupt the database"),
            owned("schema_version", "set by hand it hides a schema change from the other connections, which can "
                    + "corrupt the database"),
            owned("read_uncommitted", "readers must see committed data only"),
            owned("wal_autocheckpoint", "it would change when one connection checkpoints the WAL"),
            owned("journal_size_limit", "it would change how large the WAL stays after one connection's checkpoints"),
            owned("fullfsync", "it would change the durability of one connection's commits (macOS)"),
            owned("checkpoint_fullfsync", "it would change the durability of one connection's checkpoints (macOS)"),
            owned("temp_store", "the pool keeps temporary tables and indexes in memory on every connection"),
            owned("temp_store_directory", "it changes where every connection in the process puts temporary files"),
            owned("data_store_directory", "it changes where every connection in the process finds relative paths"),
            owned("recursive_triggers", "it would change which triggers later writes fire (REPLACE's deletes too)"),
            owned("case_sensitive_like", "it would change what LIKE matches on one connection only"),
            owned("trusted_schema", "switched on, SQL stored in the schema could call functions with side effects"),
            owned("cell_size_check", "it would change how one connection checks pages for corruption"),
            owned("hard_heap_limit", "it limits the memory of every connection in the process, any pool's"),
            owned("soft_heap_limit", "it limits the memory of every connection in the process, any pool's"),
            owned("threads", "it would let one connection start helper threads beside the pool's own"),
            owned("legacy_alter_table", "it would change what ALTER TABLE RENAME does to the rest of the schema"),
            owned("count_changes", "it would make writes on one connection return rows (deprecated)"),
            owned("full_column_names", "it would change the column names of one connection's results (deprecated)"),
            owned("short_column_names", "it would change the column names of one connection's results (deprecated)"),
            owned("empty_result_callbacks", "it would change what one connection's empty results hold (deprecated)"),
            owned("reverse_unordered_selects", "it would change the order of unordered results on one connection"));

    /** Why a pragma is the pool's, and the {@link PoolConfig} setting that sets it instead (null if none). */
    private record OwnedPragma(String reason, String setting) {
    }

    private static Map.Entry<String, OwnedPragma> owned(String name, String reason) {
        return owned(name, reason, null);
    }

    private static Map.Entry<String, OwnedPragma> owned(String name, String reason, String setting) {
        return Map.entry(name, new OwnedPragma(reason, setting));
    }

    /**
     * Why the pool refuses the statement {@code tokens} holds (without the SQL, which the caller appends), or null
     * if it runs it. Looks at the first keyword and, for a PRAGMA, at its name and whether a value follows.
     * {@code EXPLAIN BEGIN} and the like pass: they describe a statement without running it.
     */
    private static String refusal(SqlScanner tokens) {
        if (tokens.next() != SqlScanner.Kind.WORD) {
            return null;
        }
        for (String keyword : TRANSACTION_CONTROL) {
            if (tokens.isWord(keyword)) {
                return "sql is a transaction statement (" + keyword + "), which the pool refuses: the pool begins and "
                        + "ends every transaction itself, and one commit holds other callers' writes too; use "
                        + "transaction(callback) to run several statements atomically (a transaction() call inside a "
                        + "callback becomes a savepoint)";
            }
        }
        boolean attach = tokens.isWord("ATTACH");
        if (attach || tokens.isWord("DETACH")) {
            return "sql is " + (attach ? "an ATTACH" : "a DETACH") + " statement, which the pool refuses: the pool "
                    + "owns its connections' state, and an attached database would exist on one connection only; "
                    + "open a LitePool on that database instead";
        }
        boolean backup = tokens.isWord("BACKUP");
        if (backup || tokens.isWord("RESTORE")) {
            // not SQL: sqlite-jdbc's Statement.executeUpdate runs "backup to FILE" and "restore from FILE" itself
            return "sql is sqlite-jdbc's " + (backup ? "BACKUP" : "RESTORE") + " command, which the pool refuses: "
                    + (backup ? "use LitePool.backup(path), which verifies the copy and never blocks writers"
                    : "a restore would replace the database under the pool's connections; restore with the pool "
                    + "closed (docs/operations.md)");
        }
        return tokens.isWord("PRAGMA") ? pragmaRefusal(tokens) : null;
    }

    /** Why the pool refuses the PRAGMA whose name comes next in {@code tokens}, or null. */
    private static String pragmaRefusal(SqlScanner tokens) {
        if (!isName(tokens.next())) {
            return null;
        }
        String name = tokens.name();
        if (tokens.next() == SqlScanner.Kind.PUNCTUATION && tokens.is('.')) {
            if (!isName(tokens.next())) {
                return null;
            }
            name = tokens.name(); // the first name was the schema's
            tokens.next();
        }
        OwnedPragma owned = POOL_OWNED_PRAGMAS.get(name);
        if (owned == null || !(tokens.is('=') || tokens.is('('))) {
            return null;
        }
        return "sql sets PRAGMA " + name + ", which the pool refuses: " + owned.reason() + "; "
                + (owned.setting() != null
                        ? "set " + owned.setting() + " instead, which applies to every connection"
                        : "the pool offers no setting for it")
                + " (PRAGMA " + name + " without a value reads it)";
    }

    /** SQLite takes a quoted token as a name where it expects one, so {@code PRAGMA "synchronous" = 0} sets it. */
    private static boolean isName(SqlScanner.Kind kind) {
        return kind == SqlScanner.Kind.WORD || kind == SqlScanner.Kind.QUOTED;
    }
}
