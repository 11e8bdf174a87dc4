package io.litepool.reliability;

import io.litepool.reliability.PowerCut.Loss;
import io.litepool.reliability.PowerCut.Report;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The power-cut shim on its own: a child JVM ({@link FileOps}) writes, syncs and renames files under it the way the
 * pool's JVM does, is SIGKILLed, and {@link PowerCut#cut} must leave exactly what a disk that lost its power would
 * hold. Files the test writes itself (not under the shim) count as synced before the child starts.
 */
class PowerCutShimTest {
    private static final long SEED = Long.getLong("litepool.powercut.seed", System.nanoTime());

    @TempDir
    Path work;
    Path dir;
    PowerCut disk;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(work.resolve("disk"));
        disk = new PowerCut(dir, work);
    }

    @Test
    void write_notSynced_isGoneAfterCut() throws Exception {
        Files.writeString(dir.resolve("a"), "old");
        Report report = runAndCut(Loss.ALL, "write:a:new");
        assertEquals("old", Files.readString(dir.resolve("a")), "a's unsynced write after the cut; " + report);
        assertEquals(1, report.pagesRolledBack(), "pages rolled back: " + report);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fsync", "fdatasync"})
    void write_synced_survivesCut(String sync) throws Exception {
        Files.writeString(dir.resolve("a"), "old");
        Report report = runAndCut(Loss.ALL, "write:a:new", sync + ":a");
        assertEquals("new", Files.readString(dir.resolve("a")), "a after " + sync + " and the cut; " + report);
        assertEquals(1, report.records("fsync"), "the shim must see FileChannel.force as a sync: " + report);
    }

    @Test
    void write_afterSync_isGoneButSyncedPartStays() throws Exception {
        Report report = runAndCut(Loss.ALL, "write:a:synced", "fsync:a", "fsyncdir", "write:a:not synced, longer");
        assertEquals("synced", Files.readString(dir.resolve("a")), "a after the cut; " + report);
    }

    @Test
    void newFile_withoutDirectoryFsync_isGoneAfterCut() throws Exception {
        Report report = runAndCut(Loss.ALL, "write:b:x", "fsync:b");
        assertFalse(Files.exists(dir.resolve("b")), "b was created and synced, but its directory was not: "
                + disk.listing() + "; " + report);
        assertEquals(List.of("created b"), report.namesUndone(), "names undone");
    }

    @Test
    void newFile_withDirectoryFsync_isKept() throws Exception {
        Report report = runAndCut(Loss.ALL, "write:b:x", "fsync:b", "fsyncdir");
        assertEquals("x", Files.readString(dir.resolve("b")), "b after the cut; " + report);
        assertEquals(1, report.records("dir fsync"), "the shim must see a directory's force as its fsync: "
                + report);
    }

    @Test
    void rename_withoutDirectoryFsync_isUndone() throws Exception {
        Files.writeString(dir.resolve("t"), "old");
        Files.writeString(dir.resolve("tmp"), "new");
        Report report = runAndCut(Loss.ALL, "rename:tmp:t");
        assertEquals("old", Files.readString(dir.resolve("t")), "t after the cut; " + report);
        assertEquals("new", Files.readString(dir.resolve("tmp")), "tmp after the cut; " + report);
        assertEquals(List.of("renamed tmp -> t (replacing it)"), report.namesUndone(), "names undone");
    }

    @Test
    void rename_withDirectoryFsync_isKept() throws Exception {
        Files.writeString(dir.resolve("t"), "old");
        Files.writeString(dir.resolve("tmp"), "new");
        Report report = runAndCut(Loss.ALL, "rename:tmp:t", "fsyncdir");
        assertEquals("new", Files.readString(dir.resolve("t")), "t after the cut; " + report);
        assertFalse(Files.exists(dir.resolve("tmp")), "tmp after the cut: " + disk.listing());
    }

    @Test
    void mkdir_withoutDirectoryFsync_isUndoneWithItsContents() throws Exception {
        Report report = runAndCut(Loss.ALL, "mkdir:sub", "write:sub/f:x");
        assertFalse(Files.exists(dir.resolve("sub")), "sub after the cut: " + disk.listing() + "; " + report);
    }

    @Test
    void mkdir_withDirectoryFsync_isKept() throws Exception {
        Report report = runAndCut(Loss.ALL, "mkdir:sub", "fsyncdir");
        assertTrue(Files.isDirectory(dir.resolve("sub")), "sub after the cut: " + disk.listing() + "; " + report);
    }

    @Test
    void delete_withoutDirectoryFsync_isUndone() throws Exception {
        Files.writeString(dir.resolve("d"), "keep");
        Report report = runAndCut(Loss.ALL, "delete:d");
        assertEquals("keep", Files.readString(dir.resolve("d")), "d after the cut; " + report);
    }

    /**
     * SQLite under the shim: sqlite-jdbc's native library calls open64, pwrite64, fsync (no fdatasync) and, when it
     * creates a WAL, fsyncs the directory; the shim must see each, or the durability tests would prove nothing.
     */
    @Test
    void sqlite_underTheShim_itsCreatesWritesAndSyncsAreSeen() throws Exception {
        Report report = runAndCut(Loss.ALL, "create:new.db");
        assertTrue(report.records("create") >= 2, "the database and its WAL were created: " + report.records());
        assertTrue(report.records("page") > 0, "pages SQLite wrote: " + report.records());
        assertTrue(report.records("fsync") > 0, "fsyncs of a FULL commit: " + report.records());
        assertTrue(report.records("dir fsync") > 0, "SQLite's directory fsync after creating the WAL: "
                + report.records());
    }

    @Test
    void randomPages_afterCut_eachPageWholeOldOrNew() throws Exception {
        int pages = 64;
        byte[] old = new byte[pages * 4096];
        Arrays.fill(old, (byte) 'o');
        Files.write(dir.resolve("f"), old);
        System.out.println("PowerCutShimTest seed " + SEED + " (replay with -Dlitepool.powercut.seed=" + SEED + ")");
        Report report = runAndCut(Loss.randomPages(SEED), "fill:f:" + pages + ":n");
        byte[] after = Files.readAllBytes(dir.resolve("f"));
        assertEquals(old.length, after.length, "f's size (its pages were overwritten in place); " + report);
        int oldPages = 0;
        for (int p = 0; p < pages; p++) {
            String page = new String(after, p * 4096, 4096, StandardCharsets.US_ASCII);
            boolean allOld = page.chars().allMatch(c -> c == 'o');
            assertTrue(allOld || page.chars().allMatch(c -> c == 'n'), "page " + p + " is neither all old nor "
                    + "all new; " + report);
            oldPages += allOld ? 1 : 0;
        }
        assertEquals(report.pagesRolledBack(), oldPages, "pages rolled back; " + report);
        assertEquals(pages - oldPages, report.pagesKept(), "pages kept; " + report);
        assertTrue(oldPages > 0 && oldPages < pages, "a random subset, neither none nor all: " + oldPages
                + " of " + pages + " rolled back (seed " + SEED + ")");
    }

    /**
     * A truncation not synced is kept or lost as a whole: lost, the file is back as synced, every old page; kept,
     * no old byte past the new end comes back, each later page holds the new bytes or zeros. Six cuts, each from its
     * own seed, so that both outcomes are likely seen.
     */
    @Test
    void truncation_notSynced_isLostWholeOrKeptWithoutOldBytes() throws Exception {
        int pages = 16;
        byte[] old = new byte[pages * 4096];
        Arrays.fill(old, (byte) 'o');
        System.out.println("PowerCutShimTest seed " + SEED + " (replay with -Dlitepool.powercut.seed=" + SEED + ")");
        for (int i = 0; i < 6; i++) {
            Files.write(dir.resolve("f"), old);
            Report report = runAndCut(Loss.randomPages(SEED + i), "truncate:f:0", "fill:f:8:n");
            byte[] after = Files.readAllBytes(dir.resolve("f"));
            if (after.length == old.length) {
                assertTrue(Arrays.equals(old, after), "the truncation was lost, so f must be as synced, all "
                        + pages + " old pages; seed " + (SEED + i) + ", " + report);
                continue;
            }
            assertTrue(after.length == 0 || after.length == 8 * 4096, "f's size must be the truncated one (0) or "
                    + "the new one (" + 8 * 4096 + "), got " + after.length + "; seed " + (SEED + i));
            for (int p = 0; p < after.length / 4096; p++) {
                String page = new String(after, p * 4096, 4096, StandardCharsets.US_ASCII);
                assertTrue(page.chars().allMatch(c -> c == 'n') || page.chars().allMatch(c -> c == 0), "page " + p
                        + " past a kept truncation must be new or zeros, never old; seed " + (SEED + i) + ", "
                        + report);
            }
        }
    }

    private Report runAndCut(Loss loss, String... ops) throws Exception {
        FileOps.runUnder(disk, dir, work.resolve("child.err"), ops);
        return disk.cut(loss);
    }
}
