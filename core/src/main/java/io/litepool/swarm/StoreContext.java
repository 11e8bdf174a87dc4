package io.litepool.swarm;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What every store of one {@link SwarmPersistence} shares: the database, the runner every operation goes through,
 * the dialect its SQL is written in (the database's), the JSON codec with the size limit, and the clock for
 * timestamps and expiry.
 */
record StoreContext(SwarmDatabase db, StoreRunner runner, SqlDialect sql, JsonCodec json, Clock clock) {

    /**
     * Now, to the millisecond: what the stores write is stored to the millisecond, so a record a create returns
     * equals the one read back, whatever the clock's precision.
     */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The database's (the pool's) name, which every message of the layer starts with. */
    String poolName() {
        return db.name();
    }
}
