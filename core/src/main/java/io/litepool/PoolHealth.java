package io.litepool;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A snapshot of the pool's health: a status, the problems that explain it, and each role's connections. Immutable;
 * take a new one with {@link LitePool#health()}. {@link HealthPolicy} decides the status.
 *
 * @param status          {@link Status#HEALTHY}, {@link Status#DEGRADED} (serving with reduced capacity) or
 *                        {@link Status#UNHEALTHY} (cannot serve)
 * @param problems        why the pool is degraded or unhealthy, one line each; empty when healthy
 * @param roles           the writer, the readers and the workers, in that order
 * @param lastHealthCheck when the health monitor last probed every connection; the first check runs as the pool
 *                        opens, so this is {@code null} only for a moment after open
 * @param timestamp       when this snapshot was taken
 */
public record PoolHealth(Status status, List<String> problems, List<RoleHealth> roles, Instant lastHealthCheck,
                         Instant timestamp) {

    /** How well the pool can serve. */
    public enum Status {
        /** Every connection serves. */
        HEALTHY,
        /** The pool serves, with reduced capacity or a problem to look at (a reader down, a failed backup). */
        DEGRADED,
        /** The pool cannot serve reads or writes: closed, the writer down, or every reader down. */
        UNHEALTHY;

        /** {@code healthy}, {@code degraded} or {@code unhealthy}, as the JSON and the logs spell it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The three kinds of connection the pool has. */
    public enum Role {
        WRITER, READERS, WORKERS;

        /** {@code writer}, {@code readers} or {@code workers}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One role's connections now.
     *
     * @param role   which role
     * @param size   connections it has (the writer: 1)
     * @param up     of them, open and served by a running thread
     * @param busy   of them, running a request now
     * @param queued requests waiting for this role now
     */
    public record RoleHealth(Role role, int size, int up, int busy, int queued) {
        /** Connections of this role that are up and idle now. */
        public int idle() {
            return Math.max(0, up - busy);
        }
    }

    public PoolHealth {
        problems = List.copyOf(problems);
        roles = List.copyOf(roles);
        if (roles.size() != Role.values().length) {
            throw new IllegalArgumentException("one RoleHealth per role expected, got " + roles);
        }
    }

    /** Whether the pool can serve reads and writes now (healthy or degraded). */
    public boolean healthy() {
        return status != Status.UNHEALTHY;
    }

    /** The health of one role. */
    public RoleHealth role(Role role) {
        return roles.get(role.ordinal());
    }

    /** Connections open and served now, over every role. */
    public int totalConnections() {
        return roles.stream().mapToInt(RoleHealth::up).sum();
    }

    /** Connections running a request now, over every role. */
    public int activeConnections() {
        return roles.stream().mapToInt(RoleHealth::busy).sum();
    }
}
