package io.litepool.reliability;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The power-cut shim ({@code src/test/c/powercut.c}), compiled with gcc into {@code target/powercut/} the first time a
 * test needs it, and the environment that puts a child process under it.
 *
 * <p><b>gcc missing:</b> with {@code CI=true} (CI sets it) the test fails, naming the Debian packages to install
 * (.ci/run installs them): CI must never pass by skipping. Elsewhere it skips the test, saying why.
 */
final class PowerCutShim {
    /** The core module's directory: Surefire's {@code basedir}, else the working directory. */
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    /** The C source. */
    static final Path SOURCE = MODULE.resolve("src/test/c/powercut.c");
    private static final Path LIBRARY = MODULE.resolve("target/powercut/libpowercut.so");

    private PowerCutShim() {
    }

    /** The compiled shim, built now if it is missing or older than its source. */
    static synchronized Path library() throws IOException, InterruptedException {
        Path source = SOURCE.toAbsolutePath();
        Path library = LIBRARY.toAbsolutePath();
        if (Files.exists(library) && Files.getLastModifiedTime(library).compareTo(
                Files.getLastModifiedTime(source)) >= 0) {
            return library;
        }
        Files.createDirectories(library.getParent());
        Path building = library.resolveSibling("libpowercut.so.building");
        Path log = library.resolveSibling("gcc.log");
        List<String> command = List.of("gcc", "-Wall", "-Wextra", "-shared", "-fPIC", "-O2", "-o",
                building.toString(), source.toString(), "-ldl", "-lpthread");
        Process gcc;
        try {
            gcc = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            String why = "gcc is not installed (" + e.getMessage() + "); the power-cut tests compile " + SOURCE
                    + " with it (install Debian's gcc and libc6-dev: apt-get install -y gcc libc6-dev; .ci/run does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true and " + why + "; the power-cut tests must run in CI", e);
            }
            Assumptions.abort("skipped, not in CI: " + why);
            throw new AssertionError("unreachable");
        }
        if (!gcc.waitFor(120, TimeUnit.SECONDS)) {
            gcc.destroyForcibly();
            throw new IllegalStateException("gcc did not finish compiling " + source + " within 120 s");
        }
        if (gcc.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + gcc.exitValue()
                    + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        Files.move(building, library, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return library;
    }

    /**
     * The environment that runs a process under the shim, watching {@code directory}; the shim's undo log goes to
     * {@code log} and the files it keeps for undoing renames and unlinks to {@code stash} (both outside the
     * directory, on the same file system, since stashing is a hard link).
     */
    static Map<String, String> environment(Path directory, Path log, Path stash) throws IOException,
            InterruptedException {
        return Map.of("LD_PRELOAD", library().toString(),
                "POWERCUT_DIR", directory.toAbsolutePath().toString(),
                "POWERCUT_LOG", log.toAbsolutePath().toString(),
                "POWERCUT_STASH", stash.toAbsolutePath().toString());
    }
}
