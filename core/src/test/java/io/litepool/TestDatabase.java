package io.litepool;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A test's database, as a JUnit extension: a fresh folder per test, pools on its {@code test.db} with small
 * defaults, and every pool (or other resource) opened through it closed after the test, newest first, even when the
 * test failed, so that no test leaves threads or open files to the next one. The one home for the small pools the
 * engine, reliability and swarm tests use:
 *
 * <pre>{@code
 * @RegisterExtension
 * final TestDatabase database = new TestDatabase("faults");
 * ...
 * LitePool pool = database.open(c -> c.busyTimeout(Duration.ofMillis(200)));
 * }</pre>
 *
 * The defaults keep a pool cheap on a 2-core machine (4 readers, 2 workers, a 2 MB page cache, no mmap) and give a
 * loaded machine time (a 20 s acquire timeout); a test that needs other settings says so where it opens its pool.
 */
public final class TestDatabase implements BeforeEachCallback, AfterEachCallback {
    private final String name;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private Path dir;

    /** Pools named {@code name}, so that their threads ({@code <name>-writer}, ...) can be told from others. */
    public TestDatabase(String name) {
        this.name = name;
    }

    /** Pools named {@code test}. */
    public TestDatabase() {
        this("test");
    }

    /** The small defaults for a pool named {@code name} on {@code dir/test.db}, for a test that needs a second file. */
    public static PoolConfig.Builder config(Path dir, String name) {
        return PoolConfig.builder(dir.resolve("test.db"))
                .name(name)
                .maxReaders(4)
                .maxWorkers(2)
                .mmapSize(0)
                .cacheSize(-2000)
                .acquireTimeout(Duration.ofSeconds(20));
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("litepool-test-");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        deleteTree(dir);
        if (first != null) {
            throw first;
        }
    }

    /** This test's folder: the database file and whatever else the test writes (backups, copies). */
    public Path dir() {
        return dir;
    }

    /** The database file the pools open. */
    public Path file() {
        return dir.resolve("test.db");
    }

    /** The small defaults, for a pool named as this extension was. */
    public PoolConfig.Builder config() {
        return config(name);
    }

    /** The small defaults, for a pool named {@code poolName}. */
    public PoolConfig.Builder config(String poolName) {
        return config(dir, poolName);
    }

    /** A pool with the small defaults, closed after the test. */
    public LitePool open() {
        return closeAfter(LitePool.open(config().build()));
    }

    /** A pool with the small defaults as {@code tune} changes them, closed after the test. */
    public LitePool open(UnaryOperator<PoolConfig.Builder> tune) {
        return closeAfter(LitePool.open(tune.apply(config()).build()));
    }

    /** Closes {@code resource} after the test (before the pools opened earlier); closing twice must be harmless. */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        opened.push(resource);
        return resource;
    }

    /**
     * Best effort, as JUnit's own temporary folders: a folder a test made unreadable is made usable again first,
     * and what still cannot be deleted stays in the system's temporary folder rather than failing a test that passed.
     */
    /**
     * The files under {@code folder} this process holds open, one entry per descriptor, from /proc/self/fd: what a
     * pool that closed, or an attempt that was refused, must not leave behind.
     */
    public static java.util.List<String> openFilesUnder(Path folder) {
        java.util.List<String> open = new java.util.ArrayList<>();
        try (Stream<Path> links = Files.list(Path.of("/proc/self/fd"))) {
            Path real = folder.toRealPath();
            for (Path link : links.toList()) {
                try {
                    Path target = Files.readSymbolicLink(link);
                    if (target.startsWith(real)) {
                        open.add(target.toString());
                    }
                } catch (IOException e) {
                    // the descriptor closed while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return open;
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.forEach(p -> p.toFile().setWritable(true));
        } catch (UncheckedIOException e) {
            // an unreadable folder: deleted below as far as possible
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (UncheckedIOException e) {
            // left behind, see above
        }
    }
}
