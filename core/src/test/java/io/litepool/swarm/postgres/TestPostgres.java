package io.litepool.swarm.postgres;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's PostgreSQL, as a JUnit extension: a schema of its own (so tests cannot see each other's rows) on the
 * run's throwaway cluster ({@link PostgresCluster}), and every database opened through it closed after the test.
 * The cluster starts the first time a test {@linkplain #open() opens} a database, so a test that takes both
 * backends as a parameter runs its SQLite half even where PostgreSQL is missing.
 *
 * <p><b>PostgreSQL missing:</b> with {@code CI=true} (CI sets it), {@link #open()} fails the test, naming what is
 * missing and how to install it: CI must never pass by skipping. Elsewhere it skips the test, saying why.
 */
public final class TestPostgres implements BeforeEachCallback, AfterEachCallback {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private ExtensionContext context;
    private String schema;

    @Override
    public void beforeEach(ExtensionContext context) {
        this.context = context;
        this.schema = "t" + SCHEMAS.incrementAndGet();
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
        if (first != null) {
            throw first;
        }
    }

    /** The schema this test's databases use. */
    public String schema() {
        return schema;
    }

    /**
     * A configuration for this test's schema on the cluster (starting it on first use), with small pools and a
     * generous acquire timeout for a loaded machine.
     */
    public PostgresConfig.Builder config(String name) {
        PostgresCluster cluster = PostgresCluster.shared(context, binaries());
        return PostgresConfig.builder(cluster.url()).user(PostgresCluster.SUPERUSER).name(name).schema(schema)
                .maxConnections(8).acquireTimeout(Duration.ofSeconds(30));
    }

    /** The cluster's JDBC URL (starting it on first use), for a test that connects as a role of its own. */
    public String url() {
        return PostgresCluster.shared(context, binaries()).url();
    }

    /**
     * A cluster of this test class's own, started the first time one of its tests asks, and stopped (and deleted)
     * after the class, whatever happened: for a test that stops and starts PostgreSQL
     * ({@link PostgresCluster#stop}, {@link PostgresCluster#start()}), which must never happen to the run's shared
     * cluster under other tests. It commits synchronously ({@link PostgresCluster}, Restarts). Connect to its
     * {@link PostgresCluster#url()} as {@link #superuser()}; {@link #config} and {@link #open} stay on the shared
     * cluster, and {@link #schema()} is a name that suits either.
     */
    public PostgresCluster ownCluster() {
        return PostgresCluster.own(testClass(), binaries());
    }

    /**
     * A primary and its synchronous streaming standby of this test's own ({@link StreamingPair}), started now and
     * closed (both servers down, both folders deleted) after the test, whatever happened: for a test that kills the
     * primary and promotes the standby, which can happen once to a pair. Connect as {@link #superuser()}.
     */
    public StreamingPair streamingPair() {
        return closeAfter(StreamingPair.start(binaries()));
    }

    private ExtensionContext testClass() {
        ExtensionContext testClass = context;
        while (testClass.getTestMethod().isPresent()) { // a test, or one invocation of a parameterized test
            testClass = testClass.getParent().orElseThrow();
        }
        return testClass;
    }

    /** The superuser initdb made, trusted on loopback: a test's way to create roles. */
    public String superuser() {
        return PostgresCluster.SUPERUSER;
    }

    /** A database on this test's schema named {@code name} (a node), closed after the test. */
    public PostgresDatabase open(String name) {
        return closeAfter(PostgresDatabase.open(config(name).build()));
    }

    /** {@link #open(String)} named {@code swarm-test}. */
    public PostgresDatabase open() {
        return open("swarm-test");
    }

    /** Closes {@code resource} after the test, before what was opened earlier. */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        opened.push(resource);
        return resource;
    }

    private static Path binaries() {
        Optional<Path> bin = PostgresCluster.find();
        if (bin.isPresent()) {
            return bin.get();
        }
        String why = "PostgreSQL is not installed: no initdb and pg_ctl in $LITEPOOL_PG_BIN, /usr/lib/postgresql/*/bin "
                + "or the PATH (install Debian's postgresql package: apt-get install -y postgresql; .ci/run does)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true and " + why + "; the PostgreSQL tests must run in CI");
        }
        Assumptions.abort("skipped, not in CI: " + why);
        throw new AssertionError("unreachable");
    }
}
