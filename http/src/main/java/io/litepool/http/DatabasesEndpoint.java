package io.litepool.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.litepool.LitePool;
import io.litepool.LitePoolGroup;
import io.litepool.http.json.Json;
import java.io.IOException;

/**
 * {@code GET /databases}, on a server of several databases: each one's name, where it is served, its file, whether
 * it is open and healthy, and its share of the readers and workers. Runs in the request's virtual thread.
 */
final class DatabasesEndpoint extends Endpoint {
    private final LitePoolGroup group;

    DatabasesEndpoint(LitePoolGroup group) {
        super("/databases");
        this.group = group;
    }

    @Override
    void serve(HttpExchange exchange) throws IOException {
        if (!isGetOrHead(exchange)) {
            return;
        }
        ArrayNode list = Json.array();
        for (LitePoolGroup.DatabaseState s : group.states()) {
            ObjectNode db = list.addObject()
                    .put("name", s.name())
                    .put("path", DatabaseSite.PREFIX + s.name() + "/")
                    .put("file", s.file().toString())
                    .put("open", s.open())
                    .put("readers", s.readers())
                    .put("workers", s.workers());
            group.ifOpen(s.name()).map(LitePool::health).ifPresent(h -> db.put("status", h.status().label()));
        }
        ObjectNode body = Json.object();
        body.set("databases", list);
        Reply.json(exchange, 200, body);
    }
}
