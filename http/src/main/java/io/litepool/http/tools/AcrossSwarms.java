package io.litepool.http.tools;

import io.litepool.http.mcp.ToolException;
import io.litepool.swarm.Page;
import io.litepool.swarm.Swarm;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Pages a listing that spans several swarms ({@code agent_list} and {@code task_status} without a {@code swarmId}:
 * every active swarm) by walking the swarms in order and paging each through the store. Stateless.
 *
 * <p>The cursor it hands out names the swarm to go on with and the store's own cursor inside it (empty for its
 * first page), as unpadded base64url text. The store's cursor keeps its own check of the listing (a status filter
 * changed between pages is refused by the store); this class checks that the swarm is still one of the listing's.
 */
final class AcrossSwarms {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final char SEPARATOR = '\n'; // no id holds a control character

    /** One swarm's page of the listing, from the store. */
    @FunctionalInterface
    interface Source<T> {
        Page<T> page(String swarmId, int limit, String cursor);
    }

    private AcrossSwarms() {
    }

    /**
     * The page of at most {@code limit} rows that starts at {@code cursor} (null: the first), over {@code swarms}
     * in their order. Its next cursor is null only when no swarm after it has a row.
     *
     * @throws ToolException if {@code cursor} was not returned by a listing over these swarms
     */
    static <T> Page<T> page(List<Swarm> swarms, int limit, String cursor, Source<T> source) {
        int index = 0;
        String inner = null;
        if (cursor != null) {
            String[] at = decode(cursor);
            index = indexOf(swarms, at[0]);
            inner = at[1].isEmpty() ? null : at[1];
        }
        List<T> items = new ArrayList<>();
        for (; index < swarms.size(); index++, inner = null) {
            String swarmId = swarms.get(index).id();
            if (items.size() == limit) {
                // the page is full: the next one starts at the first swarm that has a row for it
                if (!source.page(swarmId, 1, null).items().isEmpty()) {
                    return new Page<>(items, encode(swarmId, null));
                }
                continue;
            }
            Page<T> page = source.page(swarmId, limit - items.size(), inner);
            items.addAll(page.items());
            if (page.hasMore()) {
                return new Page<>(items, encode(swarmId, page.nextCursor()));
            }
        }
        return new Page<>(items, null);
    }

    private static String encode(String swarmId, String inner) {
        String text = swarmId + SEPARATOR + (inner == null ? "" : inner);
        return ENCODER.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor) {
        try {
            String text = new String(DECODER.decode(cursor), StandardCharsets.UTF_8);
            int at = text.indexOf(SEPARATOR);
            if (at > 0) {
                return new String[] {text.substring(0, at), text.substring(at + 1)};
            }
        } catch (IllegalArgumentException e) { // not base64
            // fall through to the message
        }
        throw refused();
    }

    private static int indexOf(List<Swarm> swarms, String swarmId) {
        for (int i = 0; i < swarms.size(); i++) {
            if (swarms.get(i).id().equals(swarmId)) {
                return i;
            }
        }
        throw refused();
    }

    private static ToolException refused() {
        return new ToolException("argument 'cursor' was not returned by this listing (or its swarm is no longer "
                + "listed); pass the nextCursor of the previous page, or leave cursor out for the first page");
    }
}
