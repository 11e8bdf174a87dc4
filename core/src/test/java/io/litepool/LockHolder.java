package io.litepool;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The other process of {@link DatabaseLockTest}: takes the {@link DatabaseLock} of a database and holds it until its
 * standard input ends (or it is killed).
 *
 * <p>Protocol, one line on stdout: {@code locked <since>} once it holds the lock, or {@code refused <message>} if
 * {@code acquire} refused it (the process then exits). Arguments: {@code <database> <pool name>}, or
 * {@code <database> bare <text>}: lock the lock file itself and write {@code text} into it instead of the details
 * (a holder that has not written them yet, or wrote something else), then print {@code locked}.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        if (args[1].equals("bare")) {
            holdBare(Path.of(args[0] + DatabaseLock.SUFFIX), args[2]);
            return;
        }
        DatabaseLock lock;
        try {
            lock = DatabaseLock.acquire(Path.of(args[0]), args[1]);
        } catch (LitePoolException e) {
            System.out.println("refused " + e.getMessage());
            return;
        }
        try (lock) {
            System.out.println("locked " + lock.since());
            System.out.flush();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // hold the lock until the parent closes our stdin
                }
            }
        }
    }

    private static void holdBare(Path lockFile, String text) throws Exception {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE);
             java.nio.channels.FileLock held = channel.lock()) {
            channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
            System.out.println("locked");
            System.out.flush();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // hold the lock until the parent closes our stdin
                }
            }
        }
    }
}
