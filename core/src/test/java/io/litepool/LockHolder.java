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
 * {@code acquire} refused it (the process then exits). Arguments: {@code <database> <pool name>}.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
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
}
