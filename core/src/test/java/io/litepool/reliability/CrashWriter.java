package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.PoolConfig;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The child process of {@link CrashDurabilityTest}: opens a pool and writes from many virtual threads until it is
 * killed, reporting every acknowledged write on stdout as it returns.
 *
 * <p>Protocol, one line each on stdout: {@code ready} once the pool is open and the tables exist, then
 * {@code A <tag>} after {@code write()} returned for a single-row insert and {@code T <tag>} after
 * {@code transaction()} returned for a transaction that inserted the tag into both tables. A line is printed only
 * after the call returned, so every printed tag was acknowledged; the parent ignores a line cut short by the kill.
 * With a backup directory given, one more virtual thread runs {@code backup()} in a loop, alternating between two
 * files there, and prints {@code B <n>} after each.
 *
 * <p>Arguments: {@code <database> <NORMAL|FULL> <round> <writers> [<backup directory>]}. System property
 * {@code litepool.crash.walSizeLimit} sets the pool's {@code walSizeLimit} (bytes), so that a test can have the writer
 * force WAL checkpoints often; {@code litepool.crash.mmapSize} its {@code mmapSize} (default 0).
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        PoolConfig.SynchronousMode mode = PoolConfig.SynchronousMode.valueOf(args[1]);
        int round = Integer.parseInt(args[2]);
        int writers = Integer.parseInt(args[3]);
        Path backups = args.length > 4 ? Path.of(args[4]) : null;

        BlockingQueue<String> acks = new LinkedBlockingQueue<>();
        Thread printer = Thread.ofPlatform().name("acks").daemon(true).start(() -> print(acks));

        LitePool pool = LitePool.open(PoolConfig.builder(db).name("crash").synchronous(mode)
                .maxReaders(2).maxWorkers(1).mmapSize(Long.getLong("litepool.crash.mmapSize", 0)).cacheSize(-2000)
                .walSizeLimit(Long.getLong("litepool.crash.walSizeLimit", PoolConfig.WAL_SIZE_LIMIT.defaultValue()))
                .acquireTimeout(Duration.ofSeconds(60)).build());
        pool.write("CREATE TABLE IF NOT EXISTS acked(id INTEGER PRIMARY KEY, tag TEXT NOT NULL, kind TEXT NOT NULL, "
                + "payload TEXT)");
        pool.write("CREATE TABLE IF NOT EXISTS pair(tag TEXT NOT NULL)");
        acks.add("ready");

        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(Thread.ofVirtual().name("writer-" + w).start(() -> write(pool, acks, round, writer)));
        }
        if (backups != null) {
            threads.add(Thread.ofVirtual().name("backup").start(() -> backUp(pool, acks, backups)));
        }
        for (Thread t : threads) {
            t.join();
        }
        printer.join();
    }

    private static void write(LitePool pool, BlockingQueue<String> acks, int round, int writer) {
        String payload = "{\"round\":" + round + ",\"writer\":" + writer + ",\"pad\":\"" + "x".repeat(40) + "\"}";
        for (long seq = 0; ; seq++) {
            String tag = "r" + round + "-w" + writer + "-" + seq;
            try {
                if (seq % 4 == 3) {
                    pool.transaction(tx -> {
                        tx.write("INSERT INTO acked(tag, kind, payload) VALUES (?, 'T', ?)", tag, payload);
                        tx.write("INSERT INTO pair(tag) VALUES (?)", tag);
                        return null;
                    });
                    acks.add("T " + tag);
                } else {
                    pool.write("INSERT INTO acked(tag, kind, payload) VALUES (?, 'A', ?)", tag, payload);
                    acks.add("A " + tag);
                }
            } catch (RuntimeException e) {
                System.err.println("write " + tag + " failed: " + e);
            }
        }
    }

    private static void backUp(LitePool pool, BlockingQueue<String> acks, Path dir) {
        for (int n = 0; ; n++) {
            try {
                pool.backup(dir.resolve("backup-" + (n % 2) + ".db"));
                acks.add("B " + n);
            } catch (RuntimeException e) {
                System.err.println("backup " + n + " failed: " + e);
            }
        }
    }

    /** Writes acknowledgements in batches: each batch is flushed before the next is taken. */
    private static void print(BlockingQueue<String> acks) {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        List<String> batch = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        try {
            while (true) {
                batch.add(acks.take());
                acks.drainTo(batch);
                for (String line : batch) {
                    sb.append(line).append('\n');
                }
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                sb.setLength(0);
                batch.clear();
            }
        } catch (InterruptedException | IOException e) {
            System.err.println("printer stopped: " + e);
        }
    }
}
