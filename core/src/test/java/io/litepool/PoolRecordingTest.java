package io.litepool;

import jdk.jfr.Configuration;
import jdk.jfr.EventType;
import jdk.jfr.Recording;
import jdk.jfr.SettingDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool's JFR events, read back from a recording as {@code jfr print} or JDK Mission Control would read them:
 * each test starts an in-process {@link Recording} with every LitePool event enabled (the slow-request threshold at
 * 0, so that no test depends on how long a request takes), makes the pool do one thing, dumps the recording to a
 * file and reads it with {@link RecordingFile}.
 */
class PoolRecordingTest {
    private static final List<String> EVENTS = List.of("io.litepool.SlowRequest", "io.litepool.GroupCommit",
            "io.litepool.Checkpoint", "io.litepool.ConnectionReplacement", "io.litepool.OverloadRefusal");

    @RegisterExtension
    final TestDatabase database = new TestDatabase("rec");
    private Recording recording;

    @BeforeEach
    void startRecording() {
        recording = new Recording();
        for (String event : EVENTS) {
            recording.enable(event).withThreshold(Duration.ZERO);
        }
        recording.start();
    }

    @AfterEach
    void closeRecording() {
        recording.close();
    }

    /** Stops the recording and returns its events named {@code name}, in the order they were committed. */
    private List<RecordedEvent> recorded(String name) throws Exception {
        recording.stop();
        Path file = database.dir().resolve("pool.jfr");
        recording.dump(file);
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (event.getEventType().getName().equals(name)) {
                events.add(event);
            }
        }
        events.sort(java.util.Comparator.comparing(RecordedEvent::getStartTime));
        return events;
    }

    @Test
    void slowRequest_byDefault_isRecordedFrom20ms_withStackTrace() {
        EventType type = EventType.getEventType(PoolRecording.SlowRequest.class);
        SettingDescriptor threshold = type.getSettingDescriptors().stream()
                .filter(s -> s.getName().equals("threshold")).findFirst().orElseThrow();
        assertEquals("20 ms", threshold.getDefaultValue());
        assertEquals(List.of("LitePool"), type.getCategoryNames());
        assertTrue(type.getSettingDescriptors().stream().anyMatch(s -> s.getName().equals("stackTrace")
                && s.getDefaultValue().equals("true")), type.getSettingDescriptors().toString());
    }

    @Test
    void defaultSettings_asJcmdJfrStartUsesThem_recordTheLitePoolEvents() throws Exception {
        recording.close(); // alone: recordings running together share their events
        try (Recording jcmdLike = new Recording(Configuration.getConfiguration("default"))) {
            jcmdLike.start();
            LitePool pool = database.open();
            pool.write("CREATE TABLE t(v)");
            jcmdLike.stop();
            Path file = database.dir().resolve("default.jfr");
            jcmdLike.dump(file);
            assertTrue(RecordingFile.readAllEvents(file).stream().anyMatch(e -> e.getEventType().getName()
                    .equals("io.litepool.GroupCommit") && e.getString("pool").equals("rec")),
                    "the default settings know nothing of LitePool's events, so the events' own defaults apply");
        }
    }

    @Test
    void requests_areRecordedWithKindSqlAndOutcome_butNoParameterValues() throws Exception {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT)");
        pool.write("INSERT INTO t VALUES (?, ?)", "key", "private value");
        pool.read("SELECT v FROM t WHERE k = ?", "key");
        assertThrows(StatementFailedException.class, () -> pool.write("INSERT INTO t VALUES (?, ?)", "key", "again"));

        List<RecordedEvent> requests = recorded("io.litepool.SlowRequest");
        assertEquals(List.of("write CREATE TABLE t(k TEXT PRIMARY KEY, v TEXT) ok",
                        "write INSERT INTO t VALUES (?, ?) ok", "read SELECT v FROM t WHERE k = ? ok",
                        "write INSERT INTO t VALUES (?, ?) failed"),
                requests.stream().map(e -> e.getString("kind") + " " + e.getString("sql") + " "
                        + e.getString("outcome")).toList());
        for (RecordedEvent e : requests) {
            assertEquals("rec", e.getString("pool"));
            assertFalse(e.toString().contains("private value"), e.toString());
            assertNotNull(e.getStackTrace(), "a slow request says which code made it");
            assertTrue(e.getStackTrace().getFrames().stream().anyMatch(f -> f.getMethod().getType().getName()
                    .equals(PoolRecordingTest.class.getName())), e.getStackTrace().toString());
        }
    }

    @Test
    void groupCommit_isRecordedWithItsRequests_andALoneWriteAsAutocommit() throws Exception {
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(v INTEGER PRIMARY KEY)");
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            HeldWriter writer = HeldWriter.hold(pool, clients);
            List<Future<WriteResult>> writes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int v = i % 4; // the fifth repeats the first: it fails alone, the other four commit
                writes.add(clients.submit(() -> pool.write("INSERT INTO t VALUES (?)", v)));
                Await.writeQueue(pool, i + 1);
            }
            writer.release().get(30, TimeUnit.SECONDS);
            for (Future<WriteResult> w : writes) {
                try {
                    w.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException expected) {
                    // the duplicate
                }
            }
        }

        List<RecordedEvent> commits = recorded("io.litepool.GroupCommit");
        assertEquals(List.of("autocommit requests=1 committed=1 failed=0 committed",
                        "group requests=1 committed=1 failed=0 committed",
                        "group requests=5 committed=4 failed=1 committed"),
                commits.stream().map(e -> (e.getBoolean("autocommit") ? "autocommit" : "group") + " requests="
                        + e.getInt("requests") + " committed=" + e.getInt("committed") + " failed="
                        + e.getInt("failed") + " " + e.getString("outcome")).toList(),
                "the CREATE alone, the holder's transaction, then the five queued behind it");
        assertTrue(commits.stream().allMatch(e -> e.getString("pool").equals("rec") && e.getStackTrace() == null));
    }

    @Test
    void checkpoint_forcedByTheWalLimit_isRecordedWithSizesAndFrames() throws Exception {
        LitePool pool = database.open(c -> c.walSizeLimit(1 << 20));
        pool.write("CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");
        byte[] blob = new byte[4096];
        Await.until("a checkpoint forced by the WAL's limit", () -> {
            pool.write("INSERT INTO t(v) VALUES (?)", blob);
            return pool.stats().wal().checkpoints() >= 1;
        }, pool::stats);

        RecordedEvent checkpoint = recorded("io.litepool.Checkpoint").get(0);
        assertEquals("rec", checkpoint.getString("pool"));
        assertEquals("emptied", checkpoint.getString("outcome"));
        assertTrue(checkpoint.getLong("walBytesBefore") > 1 << 20, checkpoint.toString());
        assertEquals(0, checkpoint.getLong("walBytesAfter"), checkpoint.toString());
        // SQLite reports 0 frames after a TRUNCATE checkpoint that emptied the WAL: the counts are for a blocked one
        assertEquals(List.of(0L, 0L, 0L), List.of(checkpoint.getLong("walFrames"),
                checkpoint.getLong("framesCheckpointed"), checkpoint.getLong("framesLeft")), checkpoint.toString());
    }

    @Test
    void overload_refusal_isRecordedWithKindSqlAndLimit() throws Exception {
        LitePool pool = database.open(c -> c.maxQueuedWrites(2));
        pool.write("CREATE TABLE t(v)");
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            // the holder and one queued write take both permits (the CREATE's is back once the writer holds)
            HeldWriter writer = HeldWriter.hold(pool, clients);
            Future<WriteResult> queued = clients.submit(() -> pool.write("INSERT INTO t VALUES (0)"));
            Await.writeQueue(pool, 1);
            assertThrows(PoolOverloadedException.class, () -> pool.write("INSERT INTO t VALUES (?)", "secret"));
            writer.release().get(30, TimeUnit.SECONDS);
            queued.get(30, TimeUnit.SECONDS);
        }

        List<RecordedEvent> refusals = recorded("io.litepool.OverloadRefusal");
        assertEquals(1, refusals.size(), refusals.toString());
        RecordedEvent refusal = refusals.get(0);
        assertEquals("rec write INSERT INTO t VALUES (?) 2", refusal.getString("pool") + " "
                + refusal.getString("kind") + " " + refusal.getString("sql") + " " + refusal.getInt("limit"));
        assertFalse(refusal.toString().contains("secret"), refusal.toString());
        assertNotNull(refusal.getStackTrace(), "a refusal says which code was refused");
    }

    @Test
    void brokenWriterConnection_replacement_isRecordedWithReasonAndOutcome() throws Exception {
        // no health check in the test's time: the failing write, not a probe, finds the closed connection
        LitePool pool = database.open(c -> c.healthCheckInterval(Duration.ofHours(1)));
        pool.write("CREATE TABLE t(v)");
        Await.firstHealthRound(pool);
        pool.writerForTest().closeConnectionForTest();
        assertThrows(StatementFailedException.class, () -> pool.write("INSERT INTO t VALUES (1)"));
        Await.until("the writer's connection replaced", () -> pool.recentEvents().stream()
                .anyMatch(e -> e.type() == PoolEvent.Type.CONNECTION_REPLACED));

        List<RecordedEvent> replacements = recorded("io.litepool.ConnectionReplacement");
        assertEquals(1, replacements.size(), replacements.toString());
        RecordedEvent replacement = replacements.get(0);
        assertEquals("rec rec-writer replaced true", replacement.getString("pool") + " "
                + replacement.getString("connection") + " " + replacement.getString("outcome") + " "
                + replacement.getBoolean("newOutage"));
        assertTrue(replacement.getString("reason").startsWith("connection failed during a write: "),
                replacement.getString("reason"));
    }
}
