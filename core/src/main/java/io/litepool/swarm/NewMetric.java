package io.litepool.swarm;

/**
 * One measurement of an entity, to record with {@link HistoryStore#record}; its id is generated
 * ({@code metric_<uuid>}). Build one with {@link #builder()}.
 *
 * @param entityType what kind of entity was measured ({@code agent}, {@code swarm}, ...), required
 * @param entityId   which one, required; it need not exist
 * @param name       what was measured, required
 * @param value      the measurement; finite
 */
public record NewMetric(String entityType, String entityId, String name, double value) {

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link NewMetric}. Not thread-safe. */
    public static final class Builder {
        private String entityType;
        private String entityId;
        private String name;
        private double value;

        private Builder() {
        }

        public Builder entityType(String entityType) {
            this.entityType = entityType;
            return this;
        }

        public Builder entityId(String entityId) {
            this.entityId = entityId;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder value(double value) {
            this.value = value;
            return this;
        }

        public NewMetric build() {
            return new NewMetric(entityType, entityId, name, value);
        }
    }
}
