package io.litepool.http.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code serve} command in a child JVM on this test's classpath, for what one JVM cannot test: process-wide
 * JDK server limits, signals, and a second process on the same database. Its output is captured, and the port it
 * listens on is read from its log.
 */
final class ChildServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final StringBuffer log = new StringBuffer();
    private final Thread reader;
    private final int port;

    /** How a {@code serve} that was expected to stop by itself ended: its exit status and everything it printed. */
    record Exit(int status, String output) {
    }

    private ChildServer(List<String> jvmOptions, List<String> serveArgs) throws Exception {
        process = new ProcessBuilder(command(jvmOptions, serveArgs)).redirectErrorStream(true).start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    log.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                log.append("(output ended: ").append(e).append(")\n");
            } finally {
                listening.complete(-1);
            }
        });
        port = listening.get(60, TimeUnit.SECONDS);
        if (port <= 0) {
            close();
            throw new AssertionError("the server never said where it listens:\n" + log);
        }
    }

    /** Starts {@code serve --port 0 serveArgs...} with {@code jvmOptions}; returns once it listens. */
    static ChildServer start(List<String> jvmOptions, String... serveArgs) throws Exception {
        return new ChildServer(jvmOptions, List.of(serveArgs));
    }

    /**
     * Runs {@code serve --port 0 serveArgs...} that is expected to stop by itself (a refused start), and returns how
     * it ended; fails if it is still running after 60 s, with what it printed.
     */
    static Exit runToExit(String... serveArgs) throws Exception {
        Path output = Files.createTempFile("litepool-serve", ".out");
        try {
            Process p = new ProcessBuilder(command(List.of(), List.of(serveArgs))).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("serve did not stop by itself within 60 s:\n" + Files.readString(output));
            }
            return new Exit(p.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static List<String> command(List<String> jvmOptions, List<String> serveArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--port", "0"));
        command.addAll(serveArgs);
        return command;
    }

    int port() {
        return port;
    }

    /** Everything the server printed so far. */
    String log() {
        return log.toString();
    }

    Process process() {
        return process;
    }

    /** Sends SIGTERM, as Ctrl-C would; {@code Process.destroy()} would also close our end of its output. */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Waits for the server to exit and its output to be read; false if it is still running. */
    boolean awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            return false;
        }
        reader.join(10_000);
        return true;
    }

    /** Stops the server: SIGTERM, then SIGKILL if it has not exited within 30 s (at once if interrupted). */
    @Override
    public void close() {
        terminate();
        try {
            if (!awaitExit(30)) {
                process.destroyForcibly();
                awaitExit(30);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
