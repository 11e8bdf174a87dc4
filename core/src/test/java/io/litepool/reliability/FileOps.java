package io.litepool.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The child process of {@link PowerCutShimTest}: runs file operations in a directory the way the JVM does them for
 * the pool ({@link FileChannel} writes and {@code force}, {@link Files#move}), prints {@code done}, and waits to be
 * killed.
 *
 * <p>Arguments: the directory, then operations, each {@code kind:name[:argument]}: {@code write:f:text} (replaces
 * f's content, creating it), {@code fill:f:pages:c} (f becomes that many 4 KiB pages of the character c),
 * {@code fsync:f}, {@code fdatasync:f}, {@code rename:a:b}, {@code delete:f}, {@code fsyncdir}.
 */
public final class FileOps {
    private FileOps() {
    }

    public static void main(String[] args) throws IOException {
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
                case "rename" -> Files.move(dir.resolve(p[1]), dir.resolve(p[2]), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                case "delete" -> Files.delete(dir.resolve(p[1]));
                case "fsyncdir" -> {
                    try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
                        c.force(true);
                    }
                }
                default -> throw new IllegalArgumentException("unknown operation '" + op + "'");
            }
        }
        System.out.println("done");
        System.out.flush();
        System.in.read(); // until killed
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
