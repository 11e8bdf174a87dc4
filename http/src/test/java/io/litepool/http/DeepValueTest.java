package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.InputSchema;
import io.litepool.http.mcp.Tool;
import io.litepool.swarm.SwarmDatabase.Backend;
import io.litepool.swarm.SwarmPersistence;
import io.litepool.swarm.postgres.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values nested deep: bounded on the way in (and the schema says so), and answerable on the way out over both the
 * JSON-RPC and the curl form, whatever the database already holds. A 998-deep memory value, accepted through the curl
 * form, used to make every later {@code memory_list} of its agent a bare {@code 500 {"error":"internal error"}}.
 * The same assertions on both backends (SQLite, and PostgreSQL's {@code jsonb}).
 */
@ParameterizedClass
@EnumSource(Backend.class)
class DeepValueTest {
    @Parameter
    Backend backend;
    @TempDir
    Path dir;
    @RegisterExtension
    final TestPostgres pg = new TestPostgres();
    TestServer server;
    McpTestClient mcp;

    /** A tool whose result no JSON writer would take: nested 3,000 deep. */
    static final Tool UNWRITABLE = new Tool("unwritable_result", "Unwritable", "Returns a value nested 3000 deep",
            InputSchema.NONE, null, args -> {
                ObjectNode out = Json.object();
                nested(3_000, out.putArray("deep"));
                return out;
            });

    @BeforeEach
    void start() {
        server = TestServer.start(backend, dir, pg, tools -> tools.register(UNWRITABLE));
        mcp = server.mcp();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Fills {@code into} with arrays nested so that it is {@code depth} levels deep, ending in 1. */
    static void nested(int depth, ArrayNode into) {
        ArrayNode level = into;
        for (int i = 1; i < depth; i++) {
            level = level.addArray();
        }
        level.add(1);
    }

    static String nestedText(int depth) {
        return "[".repeat(depth) + "1" + "]".repeat(depth);
    }

    static int depth(JsonNode node) {
        int depth = 0;
        for (JsonNode n = node; n != null && n.isContainerNode(); n = n.get(0)) {
            depth++;
        }
        return depth;
    }

    private RawHttp.Response curl(String body) {
        return RawHttp.exchange(server.port(), RawHttp.curlPost(server.port(), "/mcp", body));
    }

    /** A client's parser without the server's read limit: answers may nest a few levels deeper than requests. */
    private static final ObjectMapper CLIENT = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_000).build()).build()).build();

    private static JsonNode parse(String body) {
        try {
            return CLIENT.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private String newAgent() {
        String swarm = mcp.callOk("swarm_init", Json.object().put("topology", "mesh")).path("id").asText();
        return mcp.callOk("agent_spawn", Json.object().put("type", "coder").put("swarmId", swarm)).path("id").asText();
    }

    @Test
    void memoryStore_valueNestedPastTheBound_isRefusedNamingTheBound_andTheSchemaSaysIt() {
        String agent = newAgent();

        RawHttp.Response deep = curl("{\"method\":\"memory_store\",\"params\":{\"agentId\":\"" + agent
                + "\",\"key\":\"deep\",\"value\":" + nestedText(998) + "}}");
        RawHttp.Response atBound = curl("{\"method\":\"memory_store\",\"params\":{\"agentId\":\"" + agent
                + "\",\"key\":\"bound\",\"value\":" + nestedText(100) + "}}");

        assertEquals(400, deep.status(), deep.body());
        assertEquals("argument 'value' must be any JSON value nested at most 100 levels deep, got an array nested "
                + "998 levels deep", parse(deep.body()).path("error").asText());
        assertEquals(200, atBound.status(), atBound.body());
        JsonNode listed = mcp.request("tools/list", null).path("result").path("tools");
        for (JsonNode tool : listed) {
            if (tool.path("name").asText().equals("memory_store")) {
                String description = tool.path("inputSchema").path("properties").path("value").path("description")
                        .asText();
                assertTrue(description.contains("nested at most 100 levels deep"), description);
            }
        }
    }

    @Test
    void memoryList_ofAValueStoredNested998Deep_isAnsweredOverBothForms() {
        String agent = newAgent();
        // as the curl form stored it before values were bounded
        try (SwarmPersistence store = SwarmPersistence.builder(server.database).build()) {
            store.storeMemory(agent, "deep", parse(nestedText(998)), null);
        }

        RawHttp.Response curl = curl("{\"method\":\"memory_list\",\"params\":{\"agentId\":\"" + agent + "\"}}");
        JsonNode rpc = mcp.callTool("memory_list", Json.object().put("agentId", agent));

        assertEquals(200, curl.status(), curl.body());
        assertEquals(998, depth(parse(curl.body()).path("entries").path(0).path("value")));
        assertFalse(rpc.path("isError").asBoolean(), rpc.toString());
        JsonNode listed = parse(rpc.path("content").path(0).path("text").asText());
        assertEquals(998, depth(listed.path("entries").path(0).path("value")));
    }

    @Test
    void resultThatCannotBeWritten_isAnIsErrorResultOverJsonRpc_andAJsonErrorOverTheCurlForm() {
        JsonNode result = mcp.callTool("unwritable_result", null);
        RawHttp.Response curl = curl("{\"method\":\"unwritable_result\"}");

        assertTrue(result.path("isError").asBoolean(), result.toString());
        String text = result.path("content").path(0).path("text").asText();
        assertTrue(text.matches("unwritable_result failed: its result cannot be written as JSON \\(ref [0-9a-f]{8}\\)"),
                text);
        assertEquals(500, curl.status(), curl.body());
        assertTrue(parse(curl.body()).path("error").asText().startsWith("unwritable_result failed: its result cannot "
                + "be written as JSON (ref "), curl.body());
        assertFalse(curl.body().contains("Exception"), curl.body());
    }
}
