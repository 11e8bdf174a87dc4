package io.litepool.swarm;

import io.litepool.Row;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing, and where the next one starts. Get the first page with a {@code null} cursor, then pass
 * each page's {@link #nextCursor()} to get the next, until it is {@code null}. Immutable.
 *
 * <p>A cursor is opaque text, valid for the listing that returned it (the same store method with the same
 * arguments) and refused by any other. It names a position, not a snapshot: a row added or changed behind that
 * position while a caller pages is not seen again, and one added ahead of it is (memory stored again moves to the
 * front, which a caller paging backwards in time has passed).
 *
 * @param items      the rows of this page, in the listing's order; at most the limit asked for
 * @param nextCursor where the next page starts; {@code null} when this page is the last
 * @param <T>        the entity
 */
public record Page<T>(List<T> items, String nextCursor) {
    /** The largest limit a listing takes. */
    public static final int MAX_LIMIT = 1_000;

    public Page {
        items = List.copyOf(items);
    }

    /** Whether there is a page after this one. */
    public boolean hasMore() {
        return nextCursor != null;
    }

    /**
     * The page in {@code rows}, which a listing read with a limit one larger than {@code limit}: a row past the limit
     * says there is a next page, which starts after the last row kept (its {@code positionColumn}).
     */
    static <T> Page<T> of(List<Row> rows, int limit, Function<Row, T> mapper, String listing,
                          String positionColumn) {
        return of(rows, rows.size(), limit, mapper, listing, positionColumn);
    }

    /** {@link #of(List, int, Function, String, String)}, for a listing that read {@code fetched} rows. */
    static <T> Page<T> of(List<Row> rows, long fetched, int limit, Function<Row, T> mapper, String listing,
                          String positionColumn) {
        int kept = Math.min(rows.size(), limit);
        List<T> items = rows.subList(0, kept).stream().map(mapper).toList();
        String next = fetched > kept && kept > 0
                ? PageCursor.encode(listing, rows.get(kept - 1).getLong(positionColumn)) : null;
        return new Page<>(items, next);
    }

    /** Checks a caller's page limit: from 1 to {@link #MAX_LIMIT}. */
    static int limit(int limit) {
        return Validation.range("limit", limit, 1, MAX_LIMIT);
    }
}
