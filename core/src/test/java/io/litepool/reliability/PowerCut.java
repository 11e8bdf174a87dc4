package io.litepool.reliability;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A directory whose writes not yet fsync'ed a test can drop, as a power failure would: a child process runs under
 * {@link PowerCutShim} ({@link #environment()}), which logs what a disk would lose (see {@code powercut.c}); after
 * the test has SIGKILLed the child, {@link #cut} applies that undo log to the files.
 *
 * <p>What a cut undoes. <b>Data:</b> every page written since its file's last fsync/fdatasync gets its old bytes
 * back and the file its size at that sync ({@link Loss#ALL}), or each such page independently with probability
 * 1/2, and the size either way ({@link Loss#randomPages}): a disk may have written any subset of the pages in its
 * cache, but never half a page here. A truncation that shortened the file is a change of its metadata, kept or lost
 * as one: lost, every page past the new end has its old bytes back (the file system gave the new data new blocks
 * and never reused the old ones before the truncation was committed); kept, those pages hold the new bytes or
 * zeros, never the old. Without this rule, a cut right after SQLite's {@code wal_checkpoint(TRUNCATE)} brought back
 * the checkpointed WAL with random pages zeroed, a state no file system produces, and SQLite replayed a prefix of it
 * over the newer database. <b>Names:</b> every creation, rename and unlink since the directory's last
 * fsync is undone, newest first ({@code ALL}), or only a random number of the newest ({@code randomPages}): a
 * journaling file system commits metadata in order, so what survives is a prefix.
 *
 * <p>Not thread-safe: one test drives it, between children.
 */
final class PowerCut {
    private final Path directory;
    private final Path log;
    private final Path stash;

    /** How much of what was not synced a cut loses. */
    record Loss(Long seed) {
        /** Every unsynced page and every name change since the last directory fsync. */
        static final Loss ALL = new Loss(null);

        /** A random subset of whole unsynced pages and a random suffix of the name changes, from {@code seed}. */
        static Loss randomPages(long seed) {
            return new Loss(seed);
        }

        @Override
        public String toString() {
            return seed == null ? "all unsynced" : "random pages (seed " + seed + ")";
        }
    }

    /**
     * What one cut found in the log and undid. {@code records} counts the log's records by kind over the child's
     * whole life ("fsync", "dir fsync", "page", ...), synced or not, which shows what the shim intercepted;
     * {@code pagesByFile} the pages rolled back per file name; {@code namesUndone} the name changes undone.
     */
    record Report(Loss loss, Map<String, Integer> records, Map<String, Integer> pagesByFile, int pagesKept,
                  List<String> namesUndone) {
        int pagesRolledBack() {
            return pagesByFile.values().stream().mapToInt(Integer::intValue).sum();
        }

        int records(String kind) {
            return records.getOrDefault(kind, 0);
        }
    }

    /** A directory {@code directory} under the shim; {@code work} (outside it, same file system) holds the log. */
    PowerCut(Path directory, Path work) throws IOException {
        this.directory = directory.toAbsolutePath();
        this.log = work.toAbsolutePath().resolve("powercut.log");
        this.stash = Files.createDirectories(work.toAbsolutePath().resolve("powercut-stash"));
        if (this.log.startsWith(this.directory) || this.stash.startsWith(this.directory)) {
            throw new IllegalArgumentException("the undo log and stash must be outside " + directory + ", got "
                    + work);
        }
    }

    /** The environment for the child: the shim, watching the directory. */
    Map<String, String> environment() throws IOException, InterruptedException {
        return PowerCutShim.environment(directory, log, stash);
    }

    /**
     * Likewise, and the child's thread that calls the {@code n}-th fsync of the directory's file {@code name} stops
     * for good just before it; {@link #awaitFrozen} sees when.
     */
    Map<String, String> environmentFreezingBeforeFsync(String name, int n) throws IOException,
            InterruptedException {
        Files.deleteIfExists(frozenMarker());
        Map<String, String> env = new HashMap<>(environment());
        env.put("POWERCUT_FREEZE", name + ":" + n);
        return env;
    }

    /** Waits until the child froze (see above), at most {@code timeout}; false if it did not. */
    boolean awaitFrozen(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watcher = log.getFileSystem().newWatchService()) {
            log.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(frozenMarker())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                WatchKey key = watcher.poll(left, TimeUnit.NANOSECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
            return true;
        }
    }

    private Path frozenMarker() {
        return Path.of(log + ".frozen");
    }

    /**
     * Cuts the power: applies the undo log to the directory's files, then starts a new, empty log (the files as they
     * are now are what the next child finds on its disk). Call only once the child is gone.
     */
    Report cut(Loss loss) throws IOException {
        Random random = loss.seed() == null ? null : new Random(loss.seed());
        Parsed parsed = parse();
        Map<Long, Path> paths = inodes();
        Map<String, Integer> pagesByFile = new TreeMap<>();
        int kept = 0;
        for (Map.Entry<Long, Unsynced> e : parsed.unsynced.entrySet()) {
            Path file = paths.get(e.getKey());
            if (file == null) {
                continue; // gone from the directory with no stash to put it back: nothing left to roll back
            }
            Unsynced u = e.getValue();
            int rolledBack = 0;
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                long current = f.length();
                long cutTo = u.truncatedTo;
                // a shortening truncation is one metadata change: either on the disk or not, never half
                boolean truncationKept = cutTo >= 0 && random != null && random.nextBoolean();
                long size;
                if (random == null || (cutTo >= 0 && !truncationKept)) {
                    size = u.syncedSize;
                } else {
                    size = random.nextBoolean() ? current : (truncationKept ? cutTo : u.syncedSize);
                }
                for (Map.Entry<Long, byte[]> page : u.pages.entrySet()) {
                    long offset = page.getKey();
                    byte[] old = page.getValue();
                    boolean pastCut = cutTo >= 0 && offset + PAGE > cutTo;
                    boolean forced = pastCut && !truncationKept; // the truncation is undone: old blocks, old bytes
                    if (!forced && random != null && random.nextBoolean()) {
                        kept++;
                        continue;
                    }
                    // past a truncation that stays, the old bytes are gone: such a page is new or never written (0)
                    int keepOld = pastCut && truncationKept ? (int) Math.max(0, Math.min(old.length, cutTo - offset))
                            : old.length;
                    f.seek(offset);
                    f.write(old, 0, keepOld);
                    long zeros = Math.min(PAGE - keepOld, Math.max(0, size - offset - keepOld));
                    if (zeros > 0) {
                        f.write(new byte[(int) zeros]); // beyond the old end of file: a page never written reads 0
                    }
                    rolledBack++;
                }
                f.setLength(size);
            }
            if (rolledBack > 0) {
                pagesByFile.merge(file.getFileName().toString(), rolledBack, Integer::sum);
            }
        }
        List<Name> names = parsed.names;
        int undo = random == null ? names.size() : random.nextInt(names.size() + 1);
        List<String> undone = new ArrayList<>();
        for (int i = names.size() - 1; i >= names.size() - undo; i--) {
            String what = names.get(i).undo(directory, stash);
            if (what != null) {
                undone.add(what);
            }
        }
        Files.deleteIfExists(log);
        Files.deleteIfExists(frozenMarker());
        try (Stream<Path> stashed = Files.list(stash)) {
            for (Path p : stashed.toList()) {
                Files.delete(p);
            }
        }
        return new Report(loss, parsed.counts, pagesByFile, kept, undone);
    }

    private static final int PAGE = 4096;

    /** What the log says is not synced: per inode, its size at the last sync and each page's old bytes. */
    private static final class Unsynced {
        long syncedSize = -1;
        /** The shortest length a truncation gave the file since its sync, or -1. */
        long truncatedTo = -1;
        final Map<Long, byte[]> pages = new TreeMap<>();
    }

    private record Parsed(Map<Long, Unsynced> unsynced, List<Name> names, Map<String, Integer> counts) {
    }

    /** A name change the directory's fsync has not made durable. */
    private record Name(char kind, long inode, String name, String to, String stashed) {
        /** Undoes it if it took effect (the real call may have failed, or the child died before it); says what. */
        String undo(Path dir, Path stash) throws IOException {
            switch (kind) {
                case 'C' -> {
                    Path p = dir.resolve(name);
                    if (inodeOf(p) == inode) {
                        deleteTree(p);
                        return "created " + name;
                    }
                }
                case 'R' -> {
                    Path target = dir.resolve(to);
                    if (inodeOf(target) == inode) {
                        Files.move(target, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                        if (!stashed.isEmpty()) {
                            Files.createLink(target, stash.resolve(stashed));
                        }
                        return "renamed " + name + " -> " + to + (stashed.isEmpty() ? "" : " (replacing it)");
                    }
                }
                case 'U' -> {
                    Path p = dir.resolve(name);
                    if (!Files.exists(p) && !stashed.isEmpty()) {
                        Files.createLink(p, stash.resolve(stashed));
                        return "unlinked " + name;
                    }
                }
                default -> throw new IllegalStateException("name change of unknown kind '" + kind + "'");
            }
            return null;
        }
    }

    /** Deletes a file, or a directory with everything in it (a directory whose creation a cut undid). */
    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(p)) {
                for (Path child : children.toList()) {
                    deleteTree(child);
                }
            }
        }
        Files.delete(p);
    }

    private static long inodeOf(Path p) throws IOException {
        return Files.exists(p) ? ((Number) Files.getAttribute(p, "unix:ino")).longValue() : -1;
    }

    /** The regular files of the directory and the stash, by inode. */
    private Map<Long, Path> inodes() throws IOException {
        Map<Long, Path> byInode = new HashMap<>();
        for (Path dir : List.of(stash, directory)) { // a file both linked back and stashed: the directory's name wins
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    byInode.put(inodeOf(p), p);
                }
            }
        }
        return byInode;
    }

    /** Reads the log; a record cut short by the kill (the child died inside its write) is ignored. */
    private Parsed parse() throws IOException {
        Map<Long, Unsynced> unsynced = new HashMap<>();
        List<Name> names = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (!Files.exists(log)) {
            return new Parsed(unsynced, names, counts);
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(log)).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int start = b.position();
            try {
                char kind = (char) b.get();
                long inode = kind == 'D' ? -1 : b.getLong();
                switch (kind) {
                    case 'S' -> unsynced.computeIfAbsent(inode, i -> new Unsynced()).syncedSize = b.getLong();
                    case 'P' -> {
                        long offset = b.getLong();
                        byte[] old = new byte[b.getInt()];
                        b.get(old);
                        unsynced.computeIfAbsent(inode, i -> new Unsynced()).pages.putIfAbsent(offset, old);
                    }
                    case 'T' -> {
                        Unsynced u = unsynced.computeIfAbsent(inode, i -> new Unsynced());
                        long length = b.getLong();
                        u.truncatedTo = u.truncatedTo < 0 ? length : Math.min(u.truncatedTo, length);
                    }
                    case 'F' -> unsynced.remove(inode);
                    case 'D' -> names.clear();
                    case 'C' -> names.add(new Name(kind, inode, string(b), null, ""));
                    case 'R' -> names.add(new Name(kind, inode, string(b), string(b), string(b)));
                    case 'U' -> names.add(new Name(kind, inode, string(b), null, string(b)));
                    default -> throw new IllegalStateException("undo log " + log + ": unknown record '" + kind
                            + "' at byte " + start);
                }
                counts.merge(KINDS.get(kind), 1, Integer::sum);
            } catch (java.nio.BufferUnderflowException e) {
                break;
            }
        }
        for (Unsynced u : unsynced.values()) {
            if (u.syncedSize < 0) {
                throw new IllegalStateException("undo log " + log + ": pages of a file without its synced size");
            }
        }
        return new Parsed(unsynced, names, counts);
    }

    private static final Map<Character, String> KINDS = Map.of('S', "file dirtied", 'P', "page", 'T', "truncation", 'F', "fsync",
            'D', "dir fsync", 'C', "create", 'R', "rename", 'U', "unlink");

    private static String string(ByteBuffer b) {
        byte[] bytes = new byte[b.getInt()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The names in the directory, for messages. */
    String listing() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(
                    TreeSet::new)).toString();
        }
    }
}
