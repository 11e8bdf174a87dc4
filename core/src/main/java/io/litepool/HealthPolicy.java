package io.litepool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the pool's state means for its health - the one place that decides what is fatal and what is degraded:
 * <ul>
 *   <li>{@code unhealthy}: the pool is closed, the writer cannot serve, or no reader can;
 *   <li>{@code degraded}: some readers or workers cannot serve, the last backup failed, or the WAL is over twice its
 *       limit (checkpoints cannot keep up: long read transactions hold old snapshots);
 *   <li>{@code healthy} otherwise.
 * </ul>
 * The facts come from the owners (each role's problems and connections), the backups and the WAL; the schedule of
 * checks is {@link HealthMonitor}'s. Stateless.
 */
final class HealthPolicy {
    private HealthPolicy() {
    }

    /** What one role reports: its connections now, and why some cannot serve (one line each; empty when all can). */
    record RoleReport(PoolHealth.RoleHealth health, List<String> problems) {
    }

    /**
     * The health these facts add up to.
     *
     * @param closing       why the pool is not open ("pool is closing", "pool is closed"), or null while it is
     * @param backupFailure the last backup's failure, or null
     */
    static PoolHealth evaluate(String closing, RoleReport writer, RoleReport readers, RoleReport workers,
                               String backupFailure, long walBytes, long walLimit, Instant lastCheck, Instant now) {
        List<String> fatal = new ArrayList<>();
        List<String> reduced = new ArrayList<>();
        boolean closed = closing != null;
        if (closed) {
            fatal.add(closing);
        } else {
            writer.problems().forEach(p -> fatal.add("writer: " + p));
            boolean noReader = readers.health().up() == 0;
            (noReader ? fatal : reduced).addAll(readers.problems());
            reduced.addAll(workers.problems());
            if (backupFailure != null) {
                reduced.add("last backup failed: " + backupFailure);
            }
            if (walBytes > 2 * walLimit) {
                reduced.add("WAL is " + WalCheckpoints.mib(walBytes) + ", over twice its limit of "
                        + WalCheckpoints.mib(walLimit) + ": long read transactions keep checkpoints from emptying it");
            }
        }
        PoolHealth.Status status = !fatal.isEmpty() ? PoolHealth.Status.UNHEALTHY
                : reduced.isEmpty() ? PoolHealth.Status.HEALTHY : PoolHealth.Status.DEGRADED;
        List<String> problems = new ArrayList<>(fatal);
        problems.addAll(reduced);
        List<PoolHealth.RoleHealth> roles = closed
                ? List.of(down(writer), down(readers), down(workers))
                : List.of(writer.health(), readers.health(), workers.health());
        return new PoolHealth(status, problems, roles, lastCheck, now);
    }

    /** A closed pool's role: none of its connections is up. */
    private static PoolHealth.RoleHealth down(RoleReport r) {
        PoolHealth.RoleHealth h = r.health();
        return new PoolHealth.RoleHealth(h.role(), h.size(), 0, h.busy(), h.queued());
    }
}
