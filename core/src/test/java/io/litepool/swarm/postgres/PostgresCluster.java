package io.litepool.swarm.postgres;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for the tests: {@code initdb} into a temporary folder, {@code pg_ctl start} on a free
 * loopback port (its unix socket in that folder too), {@code pg_ctl stop} and the folder deleted when the test run
 * ends. One per test run ({@link #shared}), started the first time a test asks for it; each test then works in a
 * schema of its own ({@link TestPostgres}).
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root: there the cluster runs as the system user
 * {@value #USER} (created with {@code useradd -r} if missing), through {@code runuser}, and owns its folder. Any
 * other user runs it as itself.
 *
 * <p>The binaries: {@code $LITEPOOL_PG_BIN}, else the newest {@code /usr/lib/postgresql/N/bin} (Debian's
 * {@code postgresql} package; {@code .ci/run} installs it), else {@code initdb} on the PATH. Without them
 * {@link #find()} is empty, and {@link TestPostgres} fails the test in CI ({@code CI=true}) and skips it elsewhere.
 *
 * <p><b>Restarts.</b> A test that stops and starts PostgreSQL under load ({@link #stop(Shutdown)}, {@link #start()})
 * gets a cluster of its own ({@link #own}), never the shared one. That one also commits synchronously: the shared
 * cluster's {@code synchronous_commit=off} acknowledges a commit before its WAL is written, so an immediate shutdown
 * (the server's processes killed) loses the last commits, which is what such a test checks never happens to an
 * acknowledged write. ({@code fsync=off} stays: the machine does not crash, so the page cache keeps what was written.)
 *
 * <p><b>Failover.</b> {@link StreamingPair} is a primary ({@link #startPrimary}: {@code synchronous_commit=on} and
 * {@code synchronous_standby_names} naming its standby) and its synchronous streaming standby ({@link #standby}:
 * {@code pg_basebackup -R} from the primary into a folder of its own, on a port of its own, as the same user). A test
 * kills the primary's postmaster ({@link #kill()}, SIGKILL, as a machine or process dying would) and promotes the
 * standby ({@link #promote()}). The standby runs without {@code synchronous_standby_names}: once promoted it has no
 * standby of its own, and a primary that waits for a missing synchronous standby never acknowledges a commit.
 */
@SuppressWarnings("deprecation") // CloseableResource: for JUnit before 5.13, which closes only those
public final class PostgresCluster implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    /** The unprivileged user a cluster started by root runs as. */
    static final String USER = "litepool-pg";
    /** The superuser initdb creates; trusted on loopback and the socket, which only this run can reach. */
    static final String SUPERUSER = "postgres";

    /** The longest {@code pg_ctl} waits for the server to start or stop. */
    private static final int START_TIMEOUT_SECONDS = 60;

    /** How {@link #stop(Shutdown)} shuts the server down: {@code pg_ctl stop -m fast} or {@code -m immediate}. */
    public enum Shutdown {
        /** Sessions are ended (SQLSTATE 57P01), open transactions rolled back, a checkpoint written. */
        FAST,
        /** Every server process is killed at once (SIGQUIT); the next start recovers from the WAL. */
        IMMEDIATE
    }

    private final Path bin;
    private final Path dir;
    private final List<String> asUser;
    private final int port;
    private final boolean synchronousCommit;
    /** Server settings of this cluster's own ({@code -c name=value}, no quoting needed), added to every start. */
    private final List<String> settings;
    /** Whether {@link #start()} was the last to succeed of it, {@link #stop(Shutdown)} and {@link #kill()}. */
    private volatile boolean running;
    /** The server processes a {@link #kill()} left behind (they end by themselves); {@link #close()} ends the rest. */
    private final List<ProcessHandle> orphans = new ArrayList<>();

    private PostgresCluster(Path bin, Path dir, List<String> asUser, int port, boolean synchronousCommit,
                            List<String> settings) {
        this.bin = bin;
        this.dir = dir;
        this.asUser = asUser;
        this.port = port;
        this.synchronousCommit = synchronousCommit;
        this.settings = List.copyOf(settings);
    }

    /** The folder of {@code initdb} and {@code pg_ctl}, if PostgreSQL is installed. */
    static Optional<Path> find() {
        String env = System.getenv("LITEPOOL_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(p -> Files.isExecutable(p.resolve("initdb")));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                        .filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(PostgresCluster::majorVersion));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String dirOnPath : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dirOnPath.isEmpty() ? "." : dirOnPath);
            if (Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The run's cluster, started on first use and stopped when the test run ends. */
    static PostgresCluster shared(ExtensionContext context, Path bin) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(PostgresCluster.class))
                .getOrComputeIfAbsent("cluster", key -> start(bin, false), PostgresCluster.class);
    }

    /**
     * The cluster of {@code context}'s own (a test class's), started on first use, committing synchronously, and
     * stopped when that context ends: for a test that restarts PostgreSQL.
     */
    static PostgresCluster own(ExtensionContext context, Path bin) {
        return context.getStore(ExtensionContext.Namespace.create(PostgresCluster.class))
                .getOrComputeIfAbsent("own cluster", key -> start(bin, true), PostgresCluster.class);
    }

    /** Starts a cluster with the binaries in {@code bin}; {@code synchronousCommit} as the class comment says. */
    static PostgresCluster start(Path bin, boolean synchronousCommit) {
        return start(bin, synchronousCommit, List.of());
    }

    /**
     * Starts a primary that commits only once the standby named {@code standbyName} has the commit's WAL
     * ({@code synchronous_commit=on}, {@code synchronous_standby_names}); until {@link #standby} has started, its
     * commits wait.
     */
    static PostgresCluster startPrimary(Path bin, String standbyName) {
        return start(bin, true, List.of("synchronous_standby_names=" + standbyName));
    }

    private static PostgresCluster start(Path bin, boolean synchronousCommit, List<String> settings) {
        try {
            List<String> asUser = asUser(); // first: it creates the user that newFolder() hands the folder to
            PostgresCluster cluster = new PostgresCluster(bin, newFolder(), asUser, freePort(), synchronousCommit,
                    settings);
            cluster.initAndStart();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a PostgreSQL cluster with " + bin, e);
        }
    }

    /**
     * A streaming standby of this cluster, named {@code name} (its {@code cluster_name}, which its WAL receiver gives
     * the primary as its application name): {@code pg_basebackup -R} into a new folder, started on a free port of its
     * own, as the same user; returns once it accepts (read-only) connections. Close it before this one.
     *
     * @throws UncheckedIOException if the copy or the start failed, with the tool's output
     */
    PostgresCluster standby(String name) {
        try {
            PostgresCluster standby = new PostgresCluster(bin, newFolder(), asUser, freePort(), true,
                    List.of("cluster_name=" + name));
            try {
                List<String> backup = new ArrayList<>(asUser);
                backup.addAll(List.of(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p",
                        String.valueOf(port), "-U", SUPERUSER, "-D", standby.data().toString(), "-R", "-X", "stream",
                        "-c", "fast", "-N"));
                run(backup, standby.dir);
                standby.start();
                return standby;
            } catch (IOException | RuntimeException e) {
                try {
                    standby.close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not make a standby of the cluster on port " + port, e);
        }
    }

    private static List<String> asUser() throws IOException {
        boolean root = "0".equals(run(List.of("id", "-u"), null).strip());
        if (root) {
            ensureUser();
        }
        return root ? List.of("runuser", "-u", USER, "--") : List.of();
    }

    /** A new temporary folder, owned by {@value #USER} when this runs as root. */
    private static Path newFolder() throws IOException {
        Path dir = Files.createTempDirectory("litepool-pg-");
        if ("0".equals(run(List.of("id", "-u"), null).strip())) {
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
            Files.setOwner(dir, owner);
        }
        return dir;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static void ensureUser() throws IOException {
        try {
            run(List.of("id", "-u", USER), null);
        } catch (IOException missing) {
            run(List.of("useradd", "-r", "-M", "-d", "/nonexistent", "-s", "/usr/sbin/nologin", USER), null);
        }
    }

    private void initAndStart() throws IOException {
        List<String> init = new ArrayList<>(asUser);
        init.addAll(List.of(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", SUPERUSER, "-A", "trust",
                "-E", "UTF8", "--no-locale", "--no-sync"));
        run(init, dir);
        start();
    }

    /**
     * Starts the server on its port and data folder ({@code pg_ctl start -w}), after {@link #stop(Shutdown)}; returns
     * once it accepts connections (after recovering from the WAL, following an immediate shutdown).
     *
     * @throws IOException if it did not start within {@value #START_TIMEOUT_SECONDS} s, with its log
     */
    public void start() throws IOException {
        List<String> start = new ArrayList<>(asUser);
        start.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", String.valueOf(START_TIMEOUT_SECONDS), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=300 "
                        + "-c fsync=off -c synchronous_commit=" + (synchronousCommit ? "on" : "off")
                        + " -c full_page_writes=off" + settings.stream().map(c -> " -c " + c)
                        .collect(Collectors.joining()), "start"));
        try {
            run(start, dir);
        } catch (IOException e) {
            running = true; // it may have started after pg_ctl gave up: close() must stop it
            throw new IOException(e.getMessage() + "\nserver.log:\n" + serverLog(), e);
        }
        running = true;
    }

    /**
     * Stops the server ({@code pg_ctl stop -m fast|immediate -w}) and returns once it is down; its data stays for
     * {@link #start()}.
     *
     * @throws IOException if it did not stop, with its log
     */
    public void stop(Shutdown mode) throws IOException {
        List<String> stop = new ArrayList<>(asUser);
        stop.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m",
                mode.name().toLowerCase(Locale.ROOT), "-w", "-t", String.valueOf(START_TIMEOUT_SECONDS), "stop"));
        try {
            run(stop, dir);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\nserver.log:\n" + serverLog(), e);
        }
        running = false;
    }

    /**
     * Kills the server's postmaster with SIGKILL (its pid is the first line of {@code data/postmaster.pid}) and
     * returns once it is gone: no shutdown, no checkpoint, its port closed. Its other processes notice and end by
     * themselves; {@link #close()} kills those that have not. The cluster is not started again.
     *
     * @throws IOException if it was not running, or did not die within {@value #START_TIMEOUT_SECONDS} s
     */
    public void kill() throws IOException {
        List<String> lines = Files.readAllLines(data().resolve("postmaster.pid"), StandardCharsets.UTF_8);
        long pid = Long.parseLong(lines.get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IOException("the postmaster of the "
                + "cluster on port " + port + " (pid " + pid + " in postmaster.pid) is not running"));
        synchronized (orphans) {
            orphans.addAll(postmaster.descendants().toList());
        }
        postmaster.destroyForcibly();
        if (!awaitDead(List.of(postmaster))) {
            throw new IOException("the postmaster (pid " + pid + ") did not die within " + START_TIMEOUT_SECONDS
                    + " s of SIGKILL");
        }
        running = false;
    }

    /**
     * Waits up to {@value #START_TIMEOUT_SECONDS} s until every one of {@code processes} is dead, looking every 10 ms;
     * whether they all are. Dead includes a zombie: a killed postmaster's parent is init, which may take seconds to
     * reap it ({@link ProcessHandle#onExit()} waits for that), while it holds no port and runs nothing.
     */
    private static boolean awaitDead(List<ProcessHandle> processes) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (!processes.stream().allMatch(PostgresCluster::dead)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for " + processes + " to die", e);
            }
        }
        return true;
    }

    /** Gone, or a zombie (state Z in {@code /proc/PID/stat}, after the parenthesised command name). */
    private static boolean dead(ProcessHandle p) {
        if (!p.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException gone) {
            return true;
        }
    }

    /**
     * Promotes this standby to a primary ({@code pg_ctl promote -w}) and returns once it accepts writes.
     *
     * @throws IOException if it did not, with its log
     */
    public void promote() throws IOException {
        List<String> promote = new ArrayList<>(asUser);
        promote.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-w", "-t",
                String.valueOf(START_TIMEOUT_SECONDS), "promote"));
        try {
            run(promote, dir);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\nserver.log:\n" + serverLog(), e);
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** The JDBC URL of database {@code postgres}, over loopback TCP. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The loopback port it listens on, the same after a restart. */
    public int port() {
        return port;
    }

    /**
     * Stops the server at once (its data is thrown away) and deletes the folder; a server that is already down (a
     * test stopped it and failed before starting it again) is left as it is.
     */
    @Override
    public void close() throws IOException {
        try {
            if (running) {
                stop(Shutdown.IMMEDIATE);
            }
        } finally {
            try {
                synchronized (orphans) {
                    orphans.forEach(ProcessHandle::destroyForcibly); // a killed postmaster's children still alive
                    if (!awaitDead(orphans)) {
                        throw new IOException("the processes " + orphans + " of the killed postmaster of the cluster "
                                + "on port " + port + " did not die within " + START_TIMEOUT_SECONDS + " s of SIGKILL");
                    }
                }
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private String serverLog() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no server.log: " + e.getMessage() + ")";
        }
    }

    /** Runs a command to its end; its output, or an IOException with the output when it fails. */
    private static String run(List<String> command, Path workDir) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            pb.directory(workDir.toFile());
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(START_TIMEOUT_SECONDS * 2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end within "
                        + START_TIMEOUT_SECONDS * 2 + " s; output:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + "; output:\n" + out);
        }
        return out;
    }
}
