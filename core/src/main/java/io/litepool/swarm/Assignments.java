package io.litepool.swarm;

import java.util.ArrayList;
import java.util.List;

/** The SET list of an UPDATE, built only from column names written in this package, with its parameters. */
final class Assignments {
    private final StringBuilder set = new StringBuilder();
    private final List<Object> params = new ArrayList<>();

    /** Adds {@code column = ?} if {@code value} is not null. {@code column} must be a constant of this package. */
    Assignments add(String column, Object value) {
        if (value != null) {
            set.append(set.isEmpty() ? "" : ", ").append(column).append(" = ?");
            params.add(value);
        }
        return this;
    }

    /** Adds {@code column = ?} unconditionally (for a column every update sets, such as {@code updated_at}). */
    Assignments always(String column, Object value) {
        set.append(set.isEmpty() ? "" : ", ").append(column).append(" = ?");
        params.add(value);
        return this;
    }

    boolean isEmpty() {
        return params.isEmpty();
    }

    /** {@code UPDATE table SET ... WHERE id = ?} with the parameters, {@code id} last. */
    Object[] params(String id) {
        List<Object> all = new ArrayList<>(params);
        all.add(id);
        return all.toArray();
    }

    String sql(String table) {
        return "UPDATE " + table + " SET " + set + " WHERE id = ?";
    }
}
