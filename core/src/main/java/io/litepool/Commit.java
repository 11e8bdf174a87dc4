package io.litepool;

import java.util.Set;

/**
 * One commit, as {@link LitePool#onCommit} delivers it: which tables it changed, and where it stands in the pool's
 * order of commits.
 *
 * <p><b>Sequence.</b> The pool numbers its writer's commits 1, 2, 3, ... from the moment it opened, every commit
 * whether or not a subscription was open and whether or not it changed a row (so a number matches
 * {@code stats().batching().commits()} at the time). A subscription gets them in that order with no gaps, except
 * where it fell behind: then {@link CommitListener#lagged} says how many it missed, just before the next one it gets.
 * A commit made by another process on the same file ({@link #external()}) is not one of the pool's: it carries the
 * sequence number of the pool's last commit before it was seen, and comes after that commit and before the next.
 *
 * <p><b>Tables.</b> {@link #tables()} holds every table of the {@code main} database whose rows SQLite's update hook
 * saw change in a request that committed. When {@link #unknownTables()} is true, the commit may also have changed
 * others that the hook cannot see - read the set as incomplete then:
 * <ul>
 *   <li>the schema changed ({@code CREATE}, {@code DROP}, {@code ALTER}, {@code ANALYZE}, {@code VACUUM}: the commit
 *       moved {@code PRAGMA schema_version});
 *   <li>a request changed more rows than the hook reported (SQLite's {@code total_changes} grew by more): rows of a
 *       {@code WITHOUT ROWID} table, a {@code DELETE} without {@code WHERE} (SQLite's truncate optimisation);
 *   <li>it was another process's commit ({@link #external()}).
 * </ul>
 * A request that failed (or was rolled back because another request ended the transaction) adds no table. A
 * transaction callback that catches a failed statement and goes on to commit may report the tables that statement
 * touched before SQLite undid it: the set may hold a table that ended up unchanged, never miss one the hook saw.
 *
 * @param sequence      the pool's number for this commit (see above)
 * @param tables        the tables the commit changed, as the update hook named them (unmodifiable)
 * @param unknownTables whether the commit may have changed tables not in {@code tables} (see above)
 * @param external      whether another process made this commit (found through {@code PRAGMA data_version})
 */
public record Commit(long sequence, Set<String> tables, boolean unknownTables, boolean external) {
    public Commit {
        tables = Set.copyOf(tables);
    }
}
