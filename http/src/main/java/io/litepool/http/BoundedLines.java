package io.litepool.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of bytes ending in {@code \n} (a {@code \r} before it is dropped), never holding more than the limit: a
 * longer line is read to its end and thrown away, and reported as such, so one huge line cannot exhaust the heap
 * and the next line is still read. Not thread-safe: one reader.
 */
final class BoundedLines {

    /**
     * One line.
     *
     * @param bytes   its bytes without the line end; empty when it was too long
     * @param tooLong whether it was longer than the limit (and so thrown away)
     */
    record Line(byte[] bytes, boolean tooLong) {
        boolean isBlank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

    private final InputStream in;
    private final int limit;

    BoundedLines(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** The next line, or null at the end of the input (a last line without {@code \n} is still a line). */
    Line next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        boolean any = false;
        for (int b; (b = in.read()) >= 0; ) {
            any = true;
            if (b == '\n') {
                return line(line, tooLong);
            }
            if (!tooLong) {
                line.write(b);
                if (line.size() > limit + 1) { // + 1: a \r before the \n does not count
                    tooLong = true;
                    line.reset();
                }
            }
        }
        return any ? line(line, tooLong) : null;
    }

    private Line line(ByteArrayOutputStream line, boolean tooLong) {
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        if (tooLong || length > limit) {
            return new Line(new byte[0], true);
        }
        return new Line(length == bytes.length ? bytes : Arrays.copyOf(bytes, length), false);
    }
}
