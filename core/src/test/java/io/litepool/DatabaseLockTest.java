package io.litepool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseLockTest {
    private static final String ONLY_WRITER = ". LitePool assumes it is the only writer of its file; set "
            + "allowSharedFile(true) (POOL_ALLOW_SHARED_FILE=true) to share it with other processes deliberately.";

    @TempDir
    Path dir;

    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(c -> c.process.destroyForcibly());
    }

    @Test
    void acquire_whileAnotherPoolInThisProcessHoldsIt_isRefusedNamingThatPool() throws Exception {
        Path db = dir.resolve("app.db");
        Path lockFile = dir.toRealPath().resolve("app.db.lock");
        try (DatabaseLock first = DatabaseLock.acquire(db, "orders")) {
            assertEquals(lockFile, first.file());
            assertTrue(Files.exists(lockFile));
            String expected = " - cannot open database %s: another pool in this process holds it (pool 'orders', since "
                    + first.since() + "; lock file " + lockFile + ")" + ONLY_WRITER;
            assertEquals("billing" + expected.formatted(db),
                    assertThrows(LitePoolException.class, () -> DatabaseLock.acquire(db, "billing")).getMessage());
            Path alias = dir.resolve(".").resolve("app.db");
            assertEquals("billing" + expected.formatted(alias.toAbsolutePath()),
                    assertThrows(LitePoolException.class, () -> DatabaseLock.acquire(alias, "billing")).getMessage(),
                    "another name for the same file is the same lock");
        }
    }

    @Test
    void close_releasesTheLock_leavesTheFile_andIsIdempotent() throws Exception {
        Path db = dir.resolve("app.db");
        DatabaseLock first = DatabaseLock.acquire(db, "first");
        first.close();
        first.close();
        assertTrue(Files.exists(first.file()), "the lock file stays: deleting it races with a process opening it");
        try (DatabaseLock second = DatabaseLock.acquire(db, "second")) {
            assertEquals(first.file(), second.file());
        }
        Child other = start(db);
        assertTrue(other.awaitLine().startsWith("locked "), "another process takes it once this one released it");
    }

    @Test
    void acquire_whileAnotherProcessHoldsIt_isRefusedNamingItsPidHostAndStart() throws Exception {
        Path db = dir.resolve("app.db");
        Child other = start(db);
        String locked = other.awaitLine();
        assertTrue(locked.startsWith("locked "), locked);
        LitePoolException e = assertThrows(LitePoolException.class, () -> DatabaseLock.acquire(db, "test"));
        assertEquals("test - cannot open database " + db + ": another process holds it (pid " + other.process.pid()
                + " on host " + DatabaseLock.hostName() + ", since " + locked.substring("locked ".length())
                + "; lock file " + dir.toRealPath().resolve("app.db.lock") + ")" + ONLY_WRITER, e.getMessage());

        other.process.getOutputStream().close();
        assertEquals(0, other.process.waitFor());
        try (DatabaseLock mine = DatabaseLock.acquire(db, "test")) {
            assertEquals("app.db.lock", mine.file().getFileName().toString(), "released when the other one closed");
        }
    }

    /**
     * A holder that has not written its details (yet), or whose lock file holds something else: the refusal says so
     * instead of naming a process, and leaves nothing open.
     */
    @Test
    void acquire_whileAProcessWithoutDetailsHoldsIt_isRefusedSayingSo() throws Exception {
        Path db = dir.resolve("app.db");
        for (String text : List.of("", "x".repeat(10_000))) {
            Child bare = start(db, "bare", text);
            assertEquals("locked", bare.awaitLine());
            LitePoolException e = assertThrows(LitePoolException.class, () -> DatabaseLock.acquire(db, "test"));
            assertEquals("test - cannot open database " + db + ": another process holds it (it has not written its "
                    + "details yet; lock file " + dir.toRealPath().resolve("app.db.lock") + ")" + ONLY_WRITER,
                    e.getMessage(), "lock file of " + text.length() + " characters");
            assertEquals(List.of(), TestDatabase.openFilesUnder(dir), "the refused attempt closed its channel");
            bare.process.getOutputStream().close();
            assertEquals(0, bare.process.waitFor());
        }
    }

    /**
     * A refused attempt closes the channel it opened: an application that retries its open while another process
     * holds the file must not run out of descriptors.
     */
    @Test
    void refusedAttempts_whileAnotherProcessHoldsIt_leaveNoDescriptorOfTheLockFileOpen() throws Exception {
        Path db = dir.resolve("app.db");
        Child other = start(db);
        assertTrue(other.awaitLine().startsWith("locked "));
        for (int attempt = 0; attempt < 5; attempt++) {
            assertThrows(LitePoolException.class, () -> DatabaseLock.acquire(db, "test"));
        }
        assertEquals(List.of(), TestDatabase.openFilesUnder(dir), "files of " + dir + " this process holds open");
        try (DatabaseLock refusedHere = DatabaseLock.acquire(dir.resolve("other.db"), "other")) {
            assertEquals(List.of(refusedHere.file().toString()), TestDatabase.openFilesUnder(dir),
                    "the count sees a lock this process holds");
        }
    }

    @Test
    void lockOfAKilledProcess_isReleasedByTheSystem() throws Exception {
        Path db = dir.resolve("app.db");
        Child other = start(db);
        assertTrue(other.awaitLine().startsWith("locked "));
        other.process.destroyForcibly().waitFor();
        try (DatabaseLock mine = DatabaseLock.acquire(db, "test")) {
            assertTrue(Files.exists(mine.file()), "a stale lock file does not block");
        }
    }

    /**
     * POSIX record locks belong to the process, and closing any descriptor of the file drops them all: a second
     * acquire in this process must be refused without opening the lock file, or the first pool's lock is gone.
     */
    @Test
    void refusedSecondAcquireInThisProcess_leavesTheFirstLockExcludingOtherProcesses() throws Exception {
        Path db = dir.resolve("app.db");
        try (DatabaseLock first = DatabaseLock.acquire(db, "first")) {
            assertThrows(LitePoolException.class, () -> DatabaseLock.acquire(db, "second"));
            Child other = start(db);
            String answer = other.awaitLine();
            assertTrue(answer.startsWith("refused other - cannot open database " + db + ": another process holds it "
                    + "(pid " + ProcessHandle.current().pid() + " "), answer);
        }
    }

    /**
     * A second copy of this class (another class loader, as in an application server) does not see the first one's
     * registry: its attempt meets the JVM's own overlap check, and must still not release the lock by closing.
     */
    @Test
    void acquireThroughAnotherClassLoader_whileHeld_isRefusedAndKeepsTheLock() throws Exception {
        Path db = dir.resolve("app.db");
        URL[] classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> {
                    try {
                        return Path.of(entry).toUri().toURL();
                    } catch (MalformedURLException e) {
                        throw new IllegalStateException(e);
                    }
                }).toArray(URL[]::new);
        try (DatabaseLock first = DatabaseLock.acquire(db, "first");
             URLClassLoader isolated = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
            Method acquire = isolated.loadClass(DatabaseLock.class.getName())
                    .getDeclaredMethod("acquire", Path.class, String.class);
            acquire.setAccessible(true);
            Throwable refusal = assertThrows(InvocationTargetException.class, () -> acquire.invoke(null, db, "copy"))
                    .getCause();
            assertEquals(LitePoolException.class.getName(), refusal.getClass().getName());
            assertEquals("copy - cannot open database " + db + ": another pool in this process holds it (lock file "
                    + first.file() + ")" + ONLY_WRITER, refusal.getMessage());
            String answer = start(db).awaitLine();
            assertTrue(answer.startsWith("refused other - cannot open database " + db + ": another process holds it "
                    + "(pid " + ProcessHandle.current().pid() + " "), answer);
        }
    }

    private Child start(Path db) throws IOException {
        return start(db, "other");
    }

    private Child start(Path db, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), db.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Child child = new Child(p);
        children.add(child);
        return child;
    }

    /** A running {@link LockHolder}; its stdout lines arrive in a queue. */
    private static final class Child {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Child(Process process) {
            this.process = process;
            Thread.ofPlatform().daemon(true).name("lock-holder-stdout").start(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(output ended: " + e + ")");
                }
            });
        }

        /** The child's next line; the bound only keeps a broken child from hanging the suite. */
        String awaitLine() throws InterruptedException {
            String line = lines.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("the lock holder said nothing within 60 s");
            }
            return line;
        }
    }
}
