package io.litepool;

/**
 * Receives the pool's commits (see {@link LitePool#onCommit}). Each subscription calls its listener on a platform
 * thread of its own ({@code <pool>-commits-<n>}), one call at a time and in commit order, never on the writer's
 * thread: a listener may take its time, block, or call the pool (a read sees the commit it was told of). Whatever it
 * throws ({@code Error}s included) is logged and otherwise ignored.
 */
@FunctionalInterface
public interface CommitListener {
    /** One commit, after it is durable: every caller whose write it holds has been or is being acknowledged. */
    void onCommit(Commit commit);

    /**
     * The listener fell more than the subscription's buffer behind, and the {@code missedCommits} commits that came
     * after the last one it was given were dropped for it (the writer never waits for a listener). Called before the
     * next commit it is given, or on its own once the listener has caught up. Does nothing unless overridden.
     */
    default void lagged(long missedCommits) {
    }
}
