package io.litepool;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A backup that was written, verified and moved into place.
 *
 * @param path      the backup file; it opens as a normal SQLite database
 * @param bytes     its size
 * @param startedAt when the backup's snapshot was taken: it holds every write acknowledged before this
 * @param took      how long writing and verifying took
 */
public record BackupResult(Path path, long bytes, Instant startedAt, Duration took) {
}
