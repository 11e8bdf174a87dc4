package io.litepool;

/**
 * The write-ahead log: how big it is, and the checkpoints the pool ran because it passed its size limit (SQLite's
 * own automatic checkpoints are not counted). Part of {@link PoolStats}.
 *
 * @param sizeBytes                the WAL file's size now
 * @param limitBytes               the size past which the writer runs a checkpoint that waits for readers
 *                                 ({@code walSizeLimit})
 * @param checkpoints              checkpoints run because the WAL passed the limit
 * @param blocked                  of those, the ones that readers on older snapshots kept from emptying the WAL
 *                                 within {@code checkpointWait}
 * @param framesLeft               WAL frames the last checkpoint could not copy into the database (0 when it
 *                                 finished)
 * @param meanCheckpointMillis     how long those checkpoints took, on average (writes wait meanwhile)
 * @param maxCheckpointMillis      the longest of them
 */
public record WalStats(long sizeBytes, long limitBytes, long checkpoints, long blocked, long framesLeft,
                       double meanCheckpointMillis, double maxCheckpointMillis) {
}
