package io.litepool.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code process.resident.memory} (Prometheus: {@code process_resident_memory_bytes}, the name Prometheus' own
 * clients give it): the process's resident set size, what the kernel's OOM killer and a container's memory limit
 * count, which the JVM's heap and non-heap figures do not add up to (thread stacks, the code cache, SQLite's page
 * cache, malloc arenas). Micrometer has no binder for it; this one reads {@code VmRSS} from {@code
 * /proc/self/status} at each scrape, and binds nothing where that file does not exist (not Linux).
 */
final class ResidentMemoryMetrics implements MeterBinder {
    private final Path status;

    ResidentMemoryMetrics() {
        this(Path.of("/proc/self/status"));
    }

    /** Reads {@code status} instead of {@code /proc/self/status}, for a test. */
    ResidentMemoryMetrics(Path status) {
        this.status = status;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!Files.isReadable(status)) {
            return;
        }
        Gauge.builder("process.resident.memory", this, ResidentMemoryMetrics::residentBytes)
                .description("Resident set size of the process (VmRSS in /proc/self/status)")
                .baseUnit("bytes")
                .strongReference(true)
                .register(registry);
    }

    /** VmRSS in bytes, or NaN if the file cannot be read or has no such line. */
    double residentBytes() {
        try {
            return vmRssBytes(Files.readString(status, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** The {@code VmRSS:  123456 kB} line of a {@code /proc/<pid>/status} text, in bytes; NaN without one. */
    static double vmRssBytes(String statusText) {
        for (String line : statusText.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                if (parts.length == 2 && parts[1].equals("kB")) {
                    try {
                        return Long.parseLong(parts[0]) * 1024.0;
                    } catch (NumberFormatException e) {
                        return Double.NaN;
                    }
                }
            }
        }
        return Double.NaN;
    }
}
