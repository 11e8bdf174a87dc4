package io.litepool.http.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.ClientText;
import io.litepool.http.mcp.Param;
import io.litepool.http.mcp.ToolArgs;
import io.litepool.http.mcp.ToolException;
import io.litepool.swarm.Page;
import io.litepool.swarm.Swarm;
import io.litepool.swarm.SwarmPersistence;
import java.util.List;
import java.util.function.Function;

/**
 * What the tool groups share about swarms: the {@code swarmId} argument most of them take, the swarm it names, the
 * bound of every {@code maxAgents}, the id arguments with the store's rules, and the paging arguments of the list
 * tools with the shape of their answers. Stateless.
 */
final class SwarmArguments {
    /** The original's limit on a swarm's agents. */
    static final int MAX_AGENTS = 100;
    /** The page a list tool returns when {@code limit} is left out. */
    static final int DEFAULT_LIMIT = 100;
    /**
     * The longest cursor accepted: a store cursor is under 40 characters; one spanning swarms adds a swarm id of at
     * most 256 code points (1024 bytes of UTF-8) in base64.
     */
    static final int MAX_CURSOR_LENGTH = 2_000;

    private SwarmArguments() {
    }

    /** The optional {@code swarmId} argument, described for the tool that takes it. */
    static Param swarmId(String description) {
        return id("swarmId", description);
    }

    /** An id argument (swarm, agent, task, entity): what the store accepts as an id. */
    static Param id(String name, String description) {
        return Param.id(name, description, SwarmPersistence.MAX_ID_LENGTH);
    }

    /** A key, name or type argument: what the store accepts as one, at most {@code maxLength} code points. */
    static Param name(String name, String description, int maxLength) {
        return Param.id(name, description, Math.min(maxLength, SwarmPersistence.MAX_NAME_LENGTH));
    }

    /** The {@code limit} argument of a list tool. */
    static Param limit(String what) {
        return Param.integer("limit", "Most " + what + " in one page (from 1 to " + Page.MAX_LIMIT + ")", 1,
                Page.MAX_LIMIT).defaultValue(DEFAULT_LIMIT);
    }

    /** The {@code cursor} argument of a list tool. */
    static Param cursor() {
        return Param.string("cursor", "Where the page starts: the nextCursor of the previous answer (default: the "
                + "first page); valid only with the same other arguments").length(1, MAX_CURSOR_LENGTH);
    }

    /** The {@code limit} a list tool was called with. */
    static int limit(ToolArgs args) {
        return (int) args.integer("limit", DEFAULT_LIMIT);
    }

    /**
     * A list tool's answer: {@code out} with the page's items under {@code field}, their {@code count} and the
     * {@code nextCursor} (null on the last page).
     */
    static <T> ObjectNode paged(ObjectNode out, String field, Page<T> page, Function<T, ObjectNode> json) {
        ArrayNode list = out.putArray(field);
        page.items().forEach(item -> list.add(json.apply(item)));
        return out.put("count", list.size()).put("nextCursor", page.nextCursor());
    }

    /** The swarm with this id. @throws ToolException if there is none */
    static Swarm find(SwarmPersistence store, String swarmId) {
        return store.getSwarm(swarmId).orElseThrow(() -> new ToolException("swarm '" + ClientText.clip(swarmId)
                + "' not found; create it with swarm_init or list swarms with swarm_status"));
    }

    /**
     * The named swarm, or, when {@code swarmId} is null, the most recently created active one.
     *
     * @throws ToolException if it does not exist, or there is no active swarm
     */
    static Swarm resolve(SwarmPersistence store, String swarmId) {
        if (swarmId != null) {
            return find(store, swarmId);
        }
        List<Swarm> active = store.getActiveSwarms();
        if (active.isEmpty()) {
            throw new ToolException("no active swarm: create one with swarm_init, or pass swarmId");
        }
        return active.get(active.size() - 1);
    }
}
