package io.litepool.http;

import com.sun.net.httpserver.HttpExchange;
import io.litepool.BackupResult;
import io.litepool.LitePool;
import io.litepool.LitePoolException;
import io.litepool.PoolClosedException;
import io.litepool.http.json.ErrorReference;
import io.litepool.http.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /backup}: an on-demand backup through {@link LitePool#backup}, so with the library call's safety (a
 * consistent snapshot of every acknowledged write, verified with {@code integrity_check}, moved into place
 * atomically, writers never blocked, the live database refused as a target). The client chooses nothing: the file
 * goes into the pool's backup folder ({@code POOL_BACKUP_DIR}) under the name periodic backups use
 * ({@code <db>-20261127T220000.123Z.db}), so the pool's retention, when periodic backups are on, prunes these too.
 *
 * <p>Only a server with a bearer token serves it (else 403, whatever the address): a backup copies the whole
 * database to disk, more than a loopback client without a token should be able to ask for. One backup at a time:
 * a second request while one runs is answered 409 rather than queued. Runs in the request's virtual thread, which
 * waits for the pool's backup thread; no JDBC call runs here.
 */
final class BackupEndpoint extends Endpoint {
    private static final Logger log = LoggerFactory.getLogger(BackupEndpoint.class);

    /** The periodic backups' name stamp (the pool's {@code Backups}), so one retention covers both. */
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final LitePool pool;
    private final boolean tokenConfigured;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

    BackupEndpoint(LitePool pool, boolean tokenConfigured, Clock clock) {
        super("/backup");
        this.pool = pool;
        this.tokenConfigured = tokenConfigured;
        this.clock = clock;
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            methodNotAllowed(exchange, "POST");
            return;
        }
        if (!tokenConfigured) {
            Reply.error(exchange, 403, "POST /backup needs the server to have a bearer token ("
                    + ServerConfig.BEARER_TOKEN.env() + " or " + ServerConfig.BEARER_TOKEN.flag()
                    + "): a backup writes a copy of the whole database");
            return;
        }
        if (!running.compareAndSet(false, true)) {
            Reply.error(exchange, 409, "a backup is already running; try again when it has finished");
            return;
        }
        try {
            BackupResult result = pool.backup(target());
            log.info("on-demand backup written: {} ({} bytes in {} ms)", result.path(), result.bytes(),
                    result.took().toMillis());
            Reply.json(exchange, 200, Json.object().put("path", result.path().toString()).put("bytes", result.bytes())
                    .put("startedAt", Json.iso(result.startedAt())).put("tookMs", result.took().toMillis()));
        } catch (PoolClosedException e) {
            Reply.error(exchange, 503, "the database is closed (the server is shutting down)");
        } catch (LitePoolException | IOException e) {
            String ref = ErrorReference.next();
            log.warn("on-demand backup failed (ref {}): {}", ref, e.getMessage());
            Reply.error(exchange, 500, "the backup failed (ref " + ref + "); the server's log says why");
        } finally {
            running.set(false);
        }
    }

    /** A new file in the pool's backup folder, which is created if missing. */
    private Path target() throws IOException {
        Path folder = pool.config().backupDirectory().toAbsolutePath();
        Files.createDirectories(folder);
        String name = pool.config().databasePath().getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return folder.resolve(stem + "-" + STAMP.format(clock.instant()) + ".db");
    }
}
