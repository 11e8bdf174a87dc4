package io.litepool;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The pool's JDK Flight Recorder events, so that a recording ({@code jcmd <pid> JFR.start}, or
 * {@code -XX:StartFlightRecording}) tells what the pool did beside the JVM's own story: slow requests, group commits,
 * WAL checkpoints, replaced connections and overload refusals. docs/operations.md lists them with their fields.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>One bookkeeping path.</b> Each event is committed where the pool already counts the same thing for
 * {@link PoolMetrics} (the request's end in {@code LitePool.submit}, the writer's COMMIT, {@link WalCheckpoints},
 * {@link ConnectionReplacer}, the admission refusal), from the values that code has at hand; nothing is counted
 * twice or kept for JFR's sake.
 *
 * <p><b>Cost when nothing records.</b> The pattern {@link Event}'s documentation gives: an event object is made,
 * {@code begin()} and {@code end()} mark its interval, and the fields are filled in and committed only when
 * {@code shouldCommit()} says a recording wants the event (enabled, and past its threshold); while the event is
 * disabled that is a flag test, and until JFR is first used in the JVM the event's methods are empty. What is left is
 * one small, short-lived object per request (the JIT may remove it) beside the request's own; no benchmark has
 * measured it yet.
 *
 * <p><b>What is never recorded:</b> parameter values (they may be private); a statement is named by its kind and the
 * first 300 characters of its SQL on one line ({@link PoolErrors#abbreviate}), as the pool's error messages name
 * it; literals written into the SQL text itself are part of it, as they are in those messages.
 *
 * <p><b>Stack traces</b> are kept only for the events committed on the caller's thread (a slow request, a refusal),
 * where they say which code made the call; the others run on the pool's own threads, whose stack says nothing.
 */
final class PoolRecording {
    private PoolRecording() {
    }

    /** A request that took at least the threshold from admission to its answer: 20 ms unless a recording says. */
    @Name("io.litepool.SlowRequest")
    @Label("Slow Request")
    @Category("LitePool")
    @Description("A read, write, transaction or worker task that took at least the threshold from admission to its "
            + "answer (queue wait included)")
    @Threshold("20 ms")
    static final class SlowRequest extends Event {
        @Label("Pool")
        String pool;
        @Label("Kind")
        @Description("read, write, transaction or worker task")
        String kind;
        @Label("SQL")
        @Description("The statement's first characters, without parameter values; 'transaction' for a callback")
        String sql;
        @Label("Outcome")
        @Description("ok, failed, timed out or closed")
        String outcome;

        /** A request admitted now; {@link #end} finishes it. */
        static SlowRequest start() {
            SlowRequest event = new SlowRequest();
            event.begin();
            return event;
        }

        /** Commits the request if a recording wants it (enabled, and as slow as the threshold). */
        void end(String pool, Request.Kind kind, String sql, String outcome) {
            end();
            if (shouldCommit()) {
                this.pool = pool;
                this.kind = kind.label;
                this.sql = PoolErrors.abbreviate(sql);
                this.outcome = outcome;
                commit();
            }
        }
    }

    /** One transaction of the writer, from its BEGIN to its COMMIT or ROLLBACK; a lone write in autocommit too. */
    @Name("io.litepool.GroupCommit")
    @Label("Group Commit")
    @Category("LitePool")
    @Description("One transaction of the writer carrying a group of writes and transactions, or one write run "
            + "alone in autocommit")
    @StackTrace(false)
    static final class GroupCommit extends Event {
        @Label("Pool")
        String pool;
        @Label("Requests")
        @Description("Requests the transaction ran")
        int requests;
        @Label("Committed")
        @Description("Of them, requests committed and acknowledged")
        int committed;
        @Label("Failed")
        @Description("Of them, requests that failed with their own error")
        int failed;
        @Label("Autocommit")
        @Description("Whether it was one write run alone, without BEGIN and COMMIT")
        boolean autocommit;
        @Label("Outcome")
        @Description("committed; failed (a write alone, which changed nothing); rolled back (every request not "
                + "failed yet failed with the cause); or run again (SQLite ended the transaction, or COMMIT found a "
                + "deferred constraint violation: the requests not failed run in another transaction)")
        String outcome;

        static final String COMMITTED = "committed";

        /** A transaction beginning now. */
        static GroupCommit start() {
            GroupCommit event = new GroupCommit();
            event.begin();
            return event;
        }

        /** Commits a group's transaction if a recording wants it; {@code failed} marks the requests that failed. */
        void endGroup(String pool, boolean[] failed, String outcome) {
            end();
            if (shouldCommit()) {
                int failures = 0;
                for (boolean f : failed) {
                    failures += f ? 1 : 0;
                }
                fill(pool, false, failed.length, failures, outcome);
            }
        }

        /** Commits a write run alone in autocommit if a recording wants it. */
        void endAlone(String pool, boolean committed, String outcome) {
            end();
            if (shouldCommit()) {
                fill(pool, true, 1, committed ? 0 : 1, outcome);
            }
        }

        private void fill(String pool, boolean autocommit, int requests, int failures, String outcome) {
            this.pool = pool;
            this.requests = requests;
            this.failed = failures;
            this.committed = outcome.equals(COMMITTED) ? requests - failures : 0;
            this.autocommit = autocommit;
            this.outcome = outcome;
            commit();
        }
    }

    /** A checkpoint the writer forced because the WAL passed its size limit ({@link WalCheckpoints}). */
    @Name("io.litepool.Checkpoint")
    @Label("WAL Checkpoint")
    @Category("LitePool")
    @Description("A TRUNCATE checkpoint the writer forced because the WAL passed walSizeLimit; writes wait meanwhile")
    @StackTrace(false)
    static final class Checkpoint extends Event {
        @Label("Pool")
        String pool;
        @Label("WAL Before")
        @DataAmount
        long walBytesBefore;
        @Label("WAL After")
        @DataAmount
        long walBytesAfter;
        @Label("WAL Frames")
        @Description("Frames in the WAL, as the checkpoint reported: 0 when it emptied the WAL (SQLite resets the "
                + "count with it), -1 if it failed")
        long walFrames;
        @Label("Frames Checkpointed")
        @Description("Frames copied into the database: 0 when it emptied the WAL, -1 if it failed")
        long framesCheckpointed;
        @Label("Frames Left")
        @Description("Frames readers on older snapshots kept from the database (0 when it finished)")
        long framesLeft;
        @Label("Readers Gated")
        @Description("Whether new worker queries were held back (and running ones preempted) while it ran")
        boolean gated;
        @Label("Outcome")
        @Description("emptied, blocked (readers kept frames back; retried later) or failed: the error")
        String outcome;

        /** A checkpoint beginning now. */
        static Checkpoint start() {
            Checkpoint event = new Checkpoint();
            event.begin();
            return event;
        }

        /** Commits the checkpoint if a recording wants it; {@code result} is SQLite's row, null if it failed. */
        void end(String pool, long sizeBefore, long sizeAfter, long[] result, long framesLeft, boolean gated,
                 String outcome) {
            end();
            if (shouldCommit()) {
                this.pool = pool;
                this.walBytesBefore = sizeBefore;
                this.walBytesAfter = sizeAfter;
                this.walFrames = result == null ? -1 : result[1];
                this.framesCheckpointed = result == null ? -1 : result[2];
                this.framesLeft = framesLeft;
                this.gated = gated;
                this.outcome = outcome;
                commit();
            }
        }
    }

    /** A broken connection closed and a new one opened in its place ({@link ConnectionReplacer}). */
    @Name("io.litepool.ConnectionReplacement")
    @Label("Connection Replacement")
    @Category("LitePool")
    @Description("A connection found broken (by a request or a health probe) was closed and a new one opened")
    @StackTrace(false)
    static final class ConnectionReplacement extends Event {
        @Label("Pool")
        String pool;
        @Label("Connection")
        @Description("The connection's owner thread: <pool>-writer, <pool>-reader-N or <pool>-worker-N")
        String connection;
        @Label("Reason")
        String reason;
        @Label("New Outage")
        @Description("False for a retry of an outage already reported")
        boolean newOutage;
        @Label("Outcome")
        @Description("replaced, or failed: why the new connection could not be opened")
        String outcome;

        /** A replacement beginning now. */
        static ConnectionReplacement start() {
            ConnectionReplacement event = new ConnectionReplacement();
            event.begin();
            return event;
        }

        /** Commits the replacement if a recording wants it. */
        void end(String pool, String connection, String reason, boolean newOutage, String outcome) {
            end();
            if (shouldCommit()) {
                this.pool = pool;
                this.connection = connection;
                this.reason = reason;
                this.newOutage = newOutage;
                this.outcome = outcome;
                commit();
            }
        }
    }

    /** A request refused at once because its queue was full ({@link Admission}, {@link PoolOverloadedException}). */
    @Name("io.litepool.OverloadRefusal")
    @Label("Overload Refusal")
    @Category("LitePool")
    @Description("A request refused at once with PoolOverloadedException: as many of its kind as allowed were "
            + "already queued or running")
    static final class OverloadRefusal extends Event {
        @Label("Pool")
        String pool;
        @Label("Kind")
        @Description("read, write, transaction or worker task")
        String kind;
        @Label("SQL")
        @Description("The statement's first characters, without parameter values; 'transaction' for a callback")
        String sql;
        @Label("Limit")
        @Description("The configured maximum of queued and running requests of its kind")
        int limit;

        /** Records a refusal if a recording wants it. */
        static void record(String pool, Request.Kind kind, String sql, int limit) {
            OverloadRefusal event = new OverloadRefusal();
            if (event.shouldCommit()) {
                event.pool = pool;
                event.kind = kind.label;
                event.sql = PoolErrors.abbreviate(sql);
                event.limit = limit;
                event.commit();
            }
        }
    }
}
