package io.litepool.http;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * {@code process.cpu} (Prometheus: {@code process_cpu_seconds_total}, the name Prometheus' own clients give it): CPU
 * time the process has used, in seconds, whose {@code rate()} is the cores it keeps busy. Micrometer's {@code
 * ProcessorMetrics} publishes the same time in nanoseconds as {@code process.cpu.time}, a name {@code promtool check
 * metrics} rejects (an abbreviated unit), so {@link ServerMeters} drops that one for this. Binds nothing where the
 * JVM does not measure it.
 */
final class ProcessCpuMetrics implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.OperatingSystemMXBean hotspot) || hotspot.getProcessCpuTime() < 0) {
            return;
        }
        FunctionCounter.builder("process.cpu", hotspot, b -> b.getProcessCpuTime() / 1e9)
                .description("CPU time used by the process")
                .baseUnit("seconds")
                .register(registry);
    }
}
