package io.litepool;

/**
 * What a write did.
 *
 * @param changes         rows inserted, updated or deleted by the statement
 * @param lastInsertRowid the rowid of the last row inserted on the writer connection, as SQLite's
 *                        {@code last_insert_rowid()}; after a statement that inserts nothing it is the previous value
 */
public record WriteResult(long changes, long lastInsertRowid) {
}
