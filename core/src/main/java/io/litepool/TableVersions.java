package io.litepool;

import java.util.concurrent.ConcurrentHashMap;

/**
 * When each table last changed, in the order of the writer's commits: what lets the {@link ResultCache} prove a
 * cached result current without asking SQLite.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Stamps.</b> Every commit the writer makes while the cache is {@link #ready()} takes the next stamp
 * ({@link #committed}), and so does every change another process made that the writer found
 * ({@link #externalChange}). A table's {@link Slot} holds the stamp of the last commit that changed it;
 * {@link #unknownSince} the last commit whose tables could not all be named (a schema change, rows the update hook
 * cannot see, another process). A result read from a snapshot taken after stamp {@code s} was published is current
 * while no slot of the tables it read, and not {@code unknownSince}, has moved past {@code s}.
 *
 * <p><b>Why that cannot be stale.</b> The writer updates the slots and then publishes the stamp, on its own thread,
 * right after a COMMIT and before it acknowledges any caller of that commit. So a caller that saw its write
 * acknowledged and then asks the cache sees that commit's slots moved (the acknowledgement happens-before the
 * lookup); an entry stamped before that commit is refused, and an entry stamped after it was read from a snapshot
 * that holds it (the stamp was read before the read was queued, and a read sees every commit made before it was
 * queued). Another process's commit is only known once the writer read {@code PRAGMA data_version}: between two of
 * its batches and on its idle poll (see {@link CommitFeed}).
 *
 * <p><b>Threads.</b> The writer thread alone calls {@link #committed}, {@link #externalChange} and
 * {@link #markReady}; any thread reads. Slots are never removed: there is one per table name a commit ever changed
 * or a cached query read.
 */
final class TableVersions {

    /** The stamp of the last commit that changed one table. */
    static final class Slot {
        private volatile long changedAt;
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    /** The newest stamp the writer published. */
    private volatile long stamp;
    /** The newest commit that may have changed tables no slot records. */
    private volatile long unknownSince;
    /** A cached read asked for the writer's table tracking. */
    private volatile boolean wanted;
    /** The writer tracks every commit's tables: stamps may be trusted. */
    private volatile boolean ready;

    /** The slot of {@code table}, made on first use. */
    Slot slot(String table) {
        Slot s = slots.get(table);
        return s != null ? s : slots.computeIfAbsent(table, t -> new Slot());
    }

    /** The newest stamp; read it before queueing the read whose result it will stamp. */
    long stamp() {
        return stamp;
    }

    /** Whether stamps may be trusted; until the writer took the cache up, nothing is cached. */
    boolean ready() {
        return ready;
    }

    /** Asks the writer to track tables from its next pause between batches on (see {@link CommitFeed}). */
    void want() {
        wanted = true;
    }

    boolean wanted() {
        return wanted;
    }

    /**
     * Whether a result stamped {@code stamp} that read {@code tables} is still current: no commit since changed any
     * of them, and none changed tables it could not name.
     */
    boolean current(long stamp, Slot[] tables) {
        if (unknownSince > stamp) {
            return false;
        }
        for (Slot s : tables) {
            if (s.changedAt > stamp) {
                return false;
            }
        }
        return true;
    }

    /** The writer now tracks every commit's tables. Writer thread. */
    void markReady() {
        ready = true;
    }

    /**
     * A commit: {@code changes} as {@link ChangedTables} found them, or null when it could not tell. Writer thread,
     * before the commit's callers are acknowledged.
     */
    void committed(CommitFeed.Changes changes) {
        long next = stamp + 1;
        if (changes == null || changes.unknown()) {
            unknownSince = next;
        } else {
            for (String table : changes.tables()) {
                slot(table).changedAt = next;
            }
        }
        stamp = next;
    }

    /** Another process changed the file, or the writer could not tell whether one did. Writer thread. */
    void externalChange() {
        long next = stamp + 1;
        unknownSince = next;
        stamp = next;
    }
}
