package io.litepool.reliability;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes files unwritable even for root, with Linux's immutable attribute ({@code chattr +i}), and writable again on
 * close. Where that is impossible (not root, no chattr, a file system without the attribute) the calling test is
 * skipped, with the reason.
 */
final class Immutable implements AutoCloseable {
    private final List<Path> files;

    private Immutable(List<Path> files) {
        this.files = files;
    }

    static Immutable set(Path... files) {
        List<Path> set = new ArrayList<>();
        for (Path f : files) {
            String out = chattr("+i", f);
            if (out != null) {
                new Immutable(set).close();
                Assumptions.abort("cannot make " + f + " immutable (needs root and chattr on ext4/xfs/btrfs): " + out);
            }
            set.add(f);
        }
        return new Immutable(set);
    }

    @Override
    public void close() {
        files.forEach(f -> chattr("-i", f));
    }

    /** Runs chattr; null when it worked, else what went wrong. */
    private static String chattr(String flag, Path file) {
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "chattr did not finish";
            }
            return p.exitValue() == 0 ? null : out.strip();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
