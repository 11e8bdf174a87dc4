package io.litepool.bench;

import java.util.Locale;

/**
 * What one load run measured. Latencies are milliseconds; {@code probe*} are the
 * scheduled probe's (NaN where there is none); {@code errors} is "0" or "Type=count;Type=count";
 * {@code peakWalMib} is the largest size of the database's {@code -wal} file sampled during the run and
 * {@code endWalMib} its size when the measured window ended; {@code writeCheck} is "ok", "n/a" or what did not
 * match. Travels from a child JVM to the parent as one line.
 */
record LoadResult(String engine, String workload, String synchronous, int clients, double seconds, long ops,
                  double p50, double p99, double p999, double max, double probeP50, double probeP99,
                  double probeMax, String errors, double heartbeatMaxGap,
                  double peakHeapMb, double peakRssMb, double peakWalMib, double endWalMib, String writeCheck,
                  String note) {
    static final String PREFIX = "RESULT\t";
    private static final int FIELDS = 21;

    double opsPerSecond() {
        return seconds == 0 ? 0 : ops / seconds;
    }

    String toLine() {
        return PREFIX + String.join("\t", engine, workload, synchronous, Integer.toString(clients),
                Double.toString(seconds), Long.toString(ops), Double.toString(p50), Double.toString(p99),
                Double.toString(p999), Double.toString(max), Double.toString(probeP50), Double.toString(probeP99),
                Double.toString(probeMax), errors, Double.toString(heartbeatMaxGap),
                Double.toString(peakHeapMb), Double.toString(peakRssMb), Double.toString(peakWalMib),
                Double.toString(endWalMib), writeCheck, note.isEmpty() ? "-" : note);
    }

    static LoadResult parse(String line) {
        String[] f = line.substring(PREFIX.length()).split("\t", -1);
        if (f.length != FIELDS) {
            throw new IllegalArgumentException("a result line has " + FIELDS + " fields, got " + f.length + ": "
                    + line);
        }
        return new LoadResult(f[0], f[1], f[2], Integer.parseInt(f[3]), Double.parseDouble(f[4]),
                Long.parseLong(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), Double.parseDouble(f[8]),
                Double.parseDouble(f[9]), Double.parseDouble(f[10]), Double.parseDouble(f[11]),
                Double.parseDouble(f[12]), f[13], Double.parseDouble(f[14]), Double.parseDouble(f[15]),
                Double.parseDouble(f[16]), Double.parseDouble(f[17]), Double.parseDouble(f[18]), f[19],
                "-".equals(f[20]) ? "" : f[20]);
    }

    String summary() {
        return String.format(Locale.ROOT, "%-10s %-11s %-6s clients=%d ops/s=%.0f p50=%.3fms p99=%.3fms p999=%.3fms "
                        + "max=%.1fms scheduled-read p50=%.3fms p99=%.3fms max=%.1fms errors=%s heartbeatMaxGap=%.1fms "
                        + "heap=%.0fMB rss=%.0fMB wal=%.1fMiB walAtEnd=%.1fMiB writes=%s %s",
                engine, workload, synchronous, clients, opsPerSecond(), p50, p99, p999, max, probeP50, probeP99,
                probeMax, errors, heartbeatMaxGap, peakHeapMb, peakRssMb, peakWalMib, endWalMib, writeCheck, note);
    }
}
