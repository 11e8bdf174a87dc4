package io.litepool.swarm;

import java.time.Instant;

/**
 * One measurement: a row of {@code metrics}.
 *
 * @param id         generated ({@code metric_<uuid>})
 * @param entityType what kind of thing was measured, e.g. {@code agent} or {@code swarm}
 * @param entityId   which one
 * @param name       the metric's name ({@code metric_name})
 * @param value      the value ({@code metric_value}); {@code null} only in rows written without one
 * @param timestamp  when it was recorded
 */
public record Metric(String id, String entityType, String entityId, String name, Double value, Instant timestamp) {
}
