package io.litepool.reliability;

import io.litepool.LitePool;
import io.litepool.PoolConfig;
import io.litepool.PoolEvent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The child process of {@link PowerCutShimTest}: runs file operations in a directory the way the JVM does them for
 * the pool ({@link FileChannel} writes and {@code force}, {@link Files#move}), prints {@code done}, and waits to be
 * killed.
 *
 * <p>Arguments: the directory, then operations, each {@code kind:name[:argument]}: {@code write:f:text} (replaces
 * f's content, creating it), {@code fill:f:pages:c} (f becomes that many 4 KiB pages of the character c),
 * {@code truncate:f:length}, {@code fsync:f}, {@code fdatasync:f}, {@code rename:a:b}, {@code delete:f}, {@code mkdir:d}, {@code fsyncdir},
 * {@code create:db} (opens a pool with synchronous=FULL on a new database db and creates a table in it), and
 * {@code periodic:db:dir} (opens a pool on db with periodic backups into the directory dir, made by the pool, and
 * waits for the first to finish), and {@code backup:db:target} (opens a pool on the database db and runs {@code pool.backup(target)}, leaving the pool
 * open, as a server would).
 */
public final class FileOps {
    private FileOps() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Path.of(args[0]);
        for (String op : Arrays.copyOfRange(args, 1, args.length)) {
            String[] p = op.split(":", 4);
            switch (p[0]) {
                case "write" -> replace(dir.resolve(p[1]), p[2].getBytes(StandardCharsets.UTF_8));
                case "fill" -> {
                    byte[] bytes = new byte[Integer.parseInt(p[2]) * 4096];
                    Arrays.fill(bytes, (byte) p[3].charAt(0));
                    replace(dir.resolve(p[1]), bytes);
                }
                case "fsync", "fdatasync" -> {
                    try (FileChannel c = FileChannel.open(dir.resolve(p[1]), StandardOpenOption.WRITE)) {
                        c.force(p[0].equals("fsync"));
                    }
                }
                case "truncate" -> {
                    try (FileChannel c = FileChannel.open(dir.resolve(p[1]), StandardOpenOption.WRITE)) {
                        c.truncate(Long.parseLong(p[2]));
                    }
                }
                case "rename" -> Files.move(dir.resolve(p[1]), dir.resolve(p[2]), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                case "delete" -> Files.delete(dir.resolve(p[1]));
                case "mkdir" -> Files.createDirectory(dir.resolve(p[1]));
                case "fsyncdir" -> {
                    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
                        c.force(true);
                    }
                }
                case "create" -> LitePool.open(PoolConfig.builder(dir.resolve(p[1])).name("create-once")
                        .synchronous(PoolConfig.SynchronousMode.FULL).build())
                        .write("CREATE TABLE t(tag TEXT NOT NULL)");
                case "periodic" -> {
                    CountDownLatch done = new CountDownLatch(1);
                    LitePool.open(PoolConfig.builder(dir.resolve(p[1])).name("periodic-once").enableBackup(true)
                            .backupInterval(Duration.ofMillis(50)).backupDirectory(dir.resolve(p[2])).build(),
                            event -> {
                                if (event.type() == PoolEvent.Type.BACKUP_DONE) {
                                    done.countDown();
                                }
                            });
                    if (!done.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("no periodic backup within 60 s");
                    }
                }
                case "backup" -> LitePool.open(PoolConfig.builder(dir.resolve(p[1])).name("backup-once").build())
                        .backup(dir.resolve(p[2]));
                default -> throw new IllegalArgumentException("unknown operation '" + op + "'");
            }
        }
        System.out.println("done");
        System.out.flush();
        System.in.read(); // until killed
    }

    /**
     * Runs this class with {@code ops} on {@code dir} in a child JVM under {@code disk}'s shim, and SIGKILLs it once
     * it has done them all; its stderr goes to {@code stderr}. The caller then cuts the power.
     */
    static void runUnder(PowerCut disk, Path dir, Path stderr, String... ops) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), FileOps.class.getName(), dir.toString()));
        command.addAll(List.of(ops));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        builder.environment().putAll(disk.environment());
        Process child = builder.start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertEquals("done", line, "the child's answer to " + List.of(ops) + "; stderr: "
                    + Files.readString(stderr));
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child did not die of SIGKILL within 60 s");
        }
    }

    private static void replace(Path file, byte[] bytes) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                c.write(b, b.position());
            }
            c.truncate(bytes.length);
        }
    }
}
