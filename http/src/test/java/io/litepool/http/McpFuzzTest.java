package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.Row;
import io.litepool.http.json.Json;
import io.litepool.http.mcp.JsonRpc;
import io.litepool.swarm.SwarmDatabase.Backend;
import io.litepool.swarm.postgres.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fuzz-style bad input against {@code /mcp} on a real server: truncated, deeply nested and invalid-UTF-8 JSON,
 * broken JSON-RPC envelopes, unknown methods and tools, wrong argument types, huge strings, SQL metacharacters and
 * injection strings in every argument of every tool, oversized bodies, bad headers and malformed HTTP — mixed with
 * valid tool calls whose writes are recorded in a model.
 *
 * <p>Every answer must be a well-formed error with the status this case calls for (or a success, for a hostile
 * value that is a valid argument), never a 5xx and never internals (exception names, stack frames, SQL result
 * codes). Afterwards the database must hold exactly what the successful calls wrote: the swarm, agent, task and
 * metric ids they returned, and every memory value, compared as JSON.
 *
 * <p>Runs on both backends (SQLite, and PostgreSQL on a schema of its own) with one model: the one difference is
 * that PostgreSQL cannot hold U+0000, so there a value holding one is refused, naming the field.
 *
 * <p>Deterministic for a seed: the seed is printed; replay with {@code -Dlitepool.fuzz.seed=N}. The number of
 * requests is {@code -Dlitepool.fuzz.requests} (default 1,500).
 */
@ParameterizedClass
@EnumSource(Backend.class)
class McpFuzzTest {
    static final int REQUESTS = Integer.getInteger("litepool.fuzz.requests", 1_500);

    /** Writes every non-ASCII character as a JSON escape, so lone surrogates reach the server as {@code \ud800}. */
    static final ObjectMapper ASCII = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    /** Strings that break naive SQL, JSON, HTTP or shell handling; none of them looks like a server internal. */
    static final List<String> HOSTILE = List.of(
            "'", "\"", "`", ";", "--", "/*", "*/", "%", "_", "\\", "?", "?1", ":name", "@p", "$1",
            "'; DROP TABLE agent_memory; --", "\" OR 1=1 --", "' OR '1'='1", "1; DELETE FROM swarms",
            "') ; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --", "' UNION SELECT value FROM agent_memory --",
            "PRAGMA writable_schema=ON", "; VACUUM INTO '/tmp/copy.db'", "x' AND randomblob(1000000000) --",
            "a\u0000b", "\u0000", "line\r\nX-Injected: 1", "tab\there", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/a}", "../../../../etc/passwd", "%00%0d%0a", "%s%s%n", "\u202eevil",
            "\uD83D\uDE00 emoji", "caf\u00e9", "\uFEFFbom", "\uD800", "a\uDFFFb", " ", "", "null", "true", "0",
            "-1", "1e309", "NaN", "[]", "{}", "\\u0000", "x".repeat(300), "\u4e2d\u6587".repeat(100));

    /** Text that would mean internals leaked into an answer. */
    static final List<String> INTERNALS = List.of("Exception", "\tat ", "io.litepool.", "org.sqlite", "SQLITE_",
            "org.postgresql", "com.zaxxer", "SQLSTATE", "com.fasterxml", "java.lang", "java.sql", "internal error",
            "database refused");

    @Parameter
    Backend backend;
    @TempDir
    Path dir;
    @RegisterExtension
    final TestPostgres pg = new TestPostgres();

    TestServer server;
    McpTestClient mcp;
    Random random;
    long seed;
    List<JsonNode> tools;
    String fuzzSwarm;
    String agent;
    /** What the database must hold afterwards. */
    final Set<String> swarms = new HashSet<>();
    /** The same swarms in creation order, to pick from (a set's order would vary with the generated ids). */
    final List<String> swarmList = new ArrayList<>();
    final Set<String> agents = new HashSet<>();
    final Set<String> tasks = new HashSet<>();
    final Set<String> metrics = new HashSet<>();
    final Map<String, JsonNode> memory = new HashMap<>();
    final Map<String, Integer> statuses = new TreeMap<>();
    final Map<String, Integer> cases = new TreeMap<>();
    int successes;
    int swarmInits = 1;

    @Test
    void hostileRequests_getWellFormedErrors_andTheDatabaseHoldsExactlyWhatValidRequestsWrote() throws Exception {
        seed = Long.getLong("litepool.fuzz.seed", System.nanoTime());
        System.out.println("McpFuzzTest on " + backend + " seed " + seed + " (replay: -Dlitepool.fuzz.seed=" + seed
                + ")");
        random = new Random(seed);
        server = TestServer.start(backend, dir, pg);
        long started = System.nanoTime();
        try {
            mcp = server.mcp();
            tools = List.copyOf(toList(mcp.request("tools/list", null).path("result").path("tools")));
            fuzzSwarm = created(swarms, mcp.callOk("swarm_init", obj().put("topology", "mesh").put("maxAgents", 100)
                    .put("swarmId", "fuzz-swarm")));
            swarmList.add(fuzzSwarm);
            agent = created(agents, mcp.callOk("agent_spawn", obj().put("type", "coder").put("swarmId", fuzzSwarm)));

            for (int i = 0; i < REQUESTS; i++) {
                String kind = oneCase(i);
                cases.merge(kind, 1, Integer::sum);
            }

            assertEquals(200, server.get("/health").statusCode(), "the server is still healthy");
            String metricsText = server.get("/metrics").body();
            assertTrue(!metricsText.contains("code=\"500\""), "no 500 was ever counted:\n" + metricsText);
            checkDatabase();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + " (replay: -Dlitepool.fuzz.seed=" + seed + "): "
                    + e.getMessage(), e);
        } finally {
            server.close();
        }
        System.out.printf("McpFuzzTest on " + backend + " seed %d: %d requests in %d ms, %d successful tool calls; cases %s; "
                        + "statuses %s; database: %d swarms, %d agents, %d tasks, %d metrics, %d memory entries%n",
                seed, REQUESTS, (System.nanoTime() - started) / 1_000_000, successes, cases, statuses, swarms.size(),
                agents.size(), tasks.size(), metrics.size(), memory.size());
    }

    /** Sends one request of a randomly chosen case and checks its answer; returns the case's name. */
    private String oneCase(int i) throws Exception {
        int dice = random.nextInt(100);
        if (dice < 20) {
            validMemory();
            return "valid memory";
        } else if (dice < 45) {
            hostileToolCall();
            return "hostile tool arguments";
        } else if (dice < 52) {
            wrongTypes();
            return "wrong argument types";
        } else if (dice < 60) {
            truncatedJson();
            return "truncated JSON";
        } else if (dice < 64) {
            deeplyNested();
            return "deep nesting";
        } else if (dice < 69) {
            invalidUtf8();
            return "invalid UTF-8";
        } else if (dice < 76) {
            badEnvelope();
            return "bad JSON-RPC envelope";
        } else if (dice < 81) {
            unknownMethod();
            return "unknown method or tool";
        } else if (dice < 88) {
            badHeaders();
            return "bad headers";
        } else if (dice < 90) {
            oversizedBody();
            return "oversized body";
        } else if (dice < 94) {
            debugForm();
            return "debug form";
        } else {
            malformedHttp();
            return "malformed HTTP";
        }
    }

    // ---- valid calls, recorded in the model

    private void validMemory() {
        String key = randomKey();
        switch (random.nextInt(4)) {
            case 0, 1 -> {
                JsonNode value = randomJson(random.nextInt(4));
                if (random.nextInt(30) == 0) {
                    value = JsonNodeFactory.instance.textNode(pick(HOSTILE).repeat(1 + random.nextInt(2_000)));
                }
                JsonNode result = call("memory_store", obj().put("agentId", agent).put("key", key).set("value", value));
                if (result != null && refusesNul(value)) {
                    assertTrue(text(result).contains("that PostgreSQL cannot store at "), "refused, naming where: "
                            + result);
                } else if (result != null) {
                    assertOk("memory_store", result);
                    memory.put(memoryKey(agent, key), normalized(value));
                }
            }
            case 2 -> {
                JsonNode result = call("memory_delete", obj().put("agentId", agent).put("key", key));
                if (result == null) {
                    return;
                }
                assertOk("memory_delete", result);
                assertEquals(memory.remove(memoryKey(agent, key)) != null, json(result).path("deleted").asBoolean(),
                        "memory_delete of '" + key + "'");
            }
            default -> {
                JsonNode result = call("memory_retrieve", obj().put("agentId", agent).put("key", key));
                if (result == null) {
                    return;
                }
                assertOk("memory_retrieve", result);
                JsonNode expected = memory.get(memoryKey(agent, key));
                JsonNode answer = json(result);
                assertEquals(expected != null, answer.path("found").asBoolean(), "memory_retrieve of '" + key + "'");
                if (expected != null) {
                    assertEquals(expected, normalized(answer.get("value")), "memory_retrieve of '" + key + "'");
                }
            }
        }
    }

    /** A valid key (the store refuses control characters and blank keys), otherwise as hostile as it gets. */
    private String randomKey() {
        String base = pick(HOSTILE).replaceAll("\\p{Cntrl}", "");
        return (base.isBlank() ? "k" : base) + random.nextInt(40);
    }

    // ---- hostile arguments, generated from each tool's inputSchema

    /** A call of any tool whose every argument is valid-typed but hostile (SQL, control characters, huge). */
    private void hostileToolCall() {
        JsonNode tool = pick(tools);
        String name = tool.path("name").asText();
        ObjectNode args = obj();
        JsonNode properties = tool.path("inputSchema").path("properties");
        Set<String> required = new HashSet<>();
        tool.path("inputSchema").path("required").forEach(r -> required.add(r.asText()));
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
            if (required.contains(p.getKey()) || random.nextBoolean()) {
                args.set(p.getKey(), argument(p.getKey(), p.getValue()));
            }
        }
        JsonNode result = call(name, args);
        if (result != null && !result.path("isError").asBoolean(false)) {
            record(name, args, json(result));
        }
    }

    /** A value for one argument: of the declared type, hostile where it is a string. */
    private JsonNode argument(String name, JsonNode schema) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (schema.has("enum")) {
            return random.nextInt(4) == 0 ? f.textNode(pick(HOSTILE)) : pick(toList(schema.get("enum")));
        }
        switch (schema.path("type").asText("any")) {
            case "string" -> {
                if (name.equals("agentId") && random.nextBoolean()) {
                    return f.textNode(agent);
                }
                if (name.equals("swarmId") && random.nextBoolean()) {
                    return f.textNode(random.nextBoolean() ? fuzzSwarm : pick(swarmList));
                }
                String s = pick(HOSTILE);
                if (random.nextInt(20) == 0) {
                    s = s.repeat(1 + random.nextInt(20_000)); // huge: most exceed maxLength
                }
                return f.textNode(s);
            }
            case "integer" -> {
                long min = schema.path("minimum").asLong();
                long max = schema.path("maximum").asLong();
                if (name.equals("ttlSecs")) {
                    min = 3_600; // no entry may expire during the test: the model has no clock
                }
                return f.numberNode(min + (long) (random.nextDouble() * (max - min)));
            }
            case "number" -> {
                return f.numberNode(random.nextBoolean() ? random.nextGaussian() * 1e6 : random.nextInt());
            }
            case "boolean" -> {
                return f.booleanNode(random.nextBoolean());
            }
            case "array" -> {
                ArrayNode a = f.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    String s = pick(HOSTILE);
                    a.add(s.isEmpty() ? "x" : s);
                }
                return a;
            }
            default -> {
                return randomJson(random.nextInt(4));
            }
        }
    }

    /** Notes what a successful call wrote. */
    private void record(String tool, ObjectNode args, JsonNode result) {
        switch (tool) {
            case "swarm_init" -> {
                swarmInits++; // each successful call logs an event, also one that returns an existing swarm
                if (swarms.add(result.path("id").asText())) {
                    swarmList.add(result.path("id").asText());
                }
            }
            case "agent_spawn" -> created(agents, result);
            case "task_orchestrate" -> created(tasks, result);
            case "metrics_record" -> created(metrics, result);
            case "memory_store" -> memory.put(memoryKey(args.path("agentId").asText(), args.path("key").asText()),
                    normalized(args.get("value")));
            case "memory_delete" -> {
                boolean had = memory.remove(memoryKey(args.path("agentId").asText(), args.path("key").asText()))
                        != null;
                assertEquals(had, result.path("deleted").asBoolean(), "memory_delete " + args);
            }
            default -> {
                // reads write nothing
            }
        }
    }

    /** One argument of a random tool replaced by a value of the wrong type: an isError naming it. */
    private void wrongTypes() {
        JsonNode tool = pick(tools.stream().filter(t -> t.path("inputSchema").has("properties")).toList());
        List<String> names = new ArrayList<>();
        tool.path("inputSchema").path("properties").fieldNames().forEachRemaining(names::add);
        String arg = pick(names);
        String type = tool.path("inputSchema").path("properties").path(arg).path("type").asText("any");
        if (type.equals("any")) {
            arg = "noSuchArgument"; // anything goes for an untyped value: send an unknown argument instead
        }
        JsonNode wrong = wrongValue(type);
        JsonNode result = call(tool.path("name").asText(), obj().set(arg, wrong));
        assertTrue(result.path("isError").asBoolean(false), "a wrong " + arg + " is refused: " + result);
        String message = text(result);
        assertTrue(message.contains("'" + arg + "'") || message.startsWith("missing required argument"),
                "the message names the argument or the missing one: " + message);
    }

    private JsonNode wrongValue(String type) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> candidates = new ArrayList<>(List.of(f.nullNode(), f.objectNode().put("a", 1),
                f.arrayNode().add(1).add("x"), f.numberNode(1.5), f.booleanNode(true), f.textNode("12"),
                f.numberNode(new java.math.BigInteger("9".repeat(400))), f.numberNode(-0.0)));
        candidates.removeIf(c -> switch (type) {
            case "string" -> c.isTextual();
            case "number" -> c.isNumber() && !c.isBigInteger(); // 10^400 is not a finite double
            case "boolean" -> c.isBoolean();
            default -> false; // integers: 1.5, "12", 10^400 and -0.0 (below every minimum) are all wrong
        });
        return pick(candidates);
    }

    // ---- protocol-level garbage, in a live session

    private void truncatedJson() {
        String whole = request("tools/call", obj().put("name", "memory_store").set("arguments",
                obj().put("agentId", agent).put("key", "never-" + random.nextInt(1000)).put("value", "truncated")));
        String cut = whole.substring(0, random.nextInt(whole.length()));
        Answer a = sessionPost(cut.getBytes(StandardCharsets.UTF_8), "application/json");
        expectRpcError(a, 400, JsonRpc.PARSE_ERROR);
    }

    private void deeplyNested() {
        int depth = 1_001 + random.nextInt(200_000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String nested = open.repeat(depth) + "1" + close.repeat(depth);
        String body = random.nextBoolean() ? nested
                : "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"memory_store\","
                + "\"arguments\":{\"agentId\":\"" + agent + "\",\"key\":\"deep\",\"value\":" + nested + "}}}";
        if (body.length() > HttpLimits.MAX_BODY_BYTES.defaultValue()) {
            expectStatus(sessionPost(body.getBytes(StandardCharsets.UTF_8), "application/json"), 413);
        } else {
            expectRpcError(sessionPost(body.getBytes(StandardCharsets.UTF_8), "application/json"), 400,
                    JsonRpc.PARSE_ERROR);
        }
    }

    private void invalidUtf8() {
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80},
                {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}};
        String prefix = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"name\":\"memory_store\","
                + "\"arguments\":{\"agentId\":\"" + agent + "\",\"key\":\"utf8-" + random.nextInt(100) + "\",\"value\":\"";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(prefix.getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(bad[random.nextInt(bad.length)]);
        body.writeBytes("\"}}}".getBytes(StandardCharsets.US_ASCII));
        expectRpcError(sessionPost(body.toByteArray(), "application/json"), 400, JsonRpc.PARSE_ERROR);
    }

    private void badEnvelope() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode m = obj().put("jsonrpc", "2.0").put("id", 9).put("method", "ping");
        int expectedCode = JsonRpc.INVALID_REQUEST;
        switch (random.nextInt(7)) {
            case 0 -> m.set("jsonrpc", pick(List.of(f.textNode("1.0"), f.numberNode(2), f.nullNode(),
                    f.textNode("2.0 "), f.objectNode())));
            case 1 -> m.set("id", pick(List.of(f.objectNode(), f.arrayNode(), f.numberNode(1.5), f.booleanNode(true),
                    f.nullNode())));
            case 2 -> m.set("method", pick(List.of(f.numberNode(1), f.textNode(""), f.objectNode(), f.nullNode(),
                    f.arrayNode())));
            case 3 -> {
                m.set("params", pick(List.of(f.arrayNode().add(1), f.textNode("x"), f.numberNode(3),
                        f.booleanNode(false))));
                expectedCode = JsonRpc.INVALID_PARAMS;
            }
            case 4 -> {
                m.remove("method");
                if (random.nextBoolean()) {
                    m.put("result", 1).put("error", 2);
                }
            }
            case 5 -> {
                Answer a = sessionPost(pick(List.of("[]", "1", "\"x\"", "null", "true", "{} {}", "{\"a\":1,\"a\":2}",
                        "[1,2,3]")).getBytes(StandardCharsets.UTF_8), "application/json");
                expectStatus(a, 400);
                assertTrue(a.rpc().has("error"), a.text());
                return;
            }
            default -> m.remove("jsonrpc");
        }
        Answer a = sessionPost(bytes(m), "application/json");
        expectRpcError(a, 400, expectedCode);
    }

    private void unknownMethod() {
        String name = pick(HOSTILE) + (random.nextInt(10) == 0 ? "y".repeat(500_000) : "");
        if (!Json.validUnicode(name)) {
            expectRpcError(sessionPost(bytes(obj().put("jsonrpc", "2.0").put("id", 3).put("method", name)),
                    "application/json"), 400, JsonRpc.PARSE_ERROR);
        } else if (random.nextBoolean()) {
            Answer a = sessionPost(bytes(obj().put("jsonrpc", "2.0").put("id", 3).put("method",
                    name.isEmpty() ? "nope" : name)), "application/json");
            expectRpcError(a, 200, JsonRpc.METHOD_NOT_FOUND);
            assertTrue(a.body().length < 1_000, "the echoed name is clipped: " + a.body().length + " bytes");
        } else {
            Answer a = sessionPost(bytes(obj().put("jsonrpc", "2.0").put("id", 4).put("method", "tools/call")
                    .set("params", obj().put("name", name))), "application/json");
            expectRpcError(a, 200, JsonRpc.INVALID_PARAMS);
            assertTrue(a.body().length < 1_000, "the echoed name is clipped: " + a.body().length + " bytes");
        }
    }

    private void badHeaders() {
        byte[] ping = bytes(obj().put("jsonrpc", "2.0").put("id", 8).put("method", "ping"));
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri("/mcp")).POST(HttpRequest.BodyPublishers
                .ofByteArray(ping));
        int expected;
        switch (random.nextInt(6)) {
            case 0 -> {
                b.headers("Content-Type", pick(List.of("text/plain", "application/jsonx", "application/x-www-form"
                        + "-urlencoded", "multipart/form-data; boundary=x", "json", "*/*")), "Accept", "*/*",
                        McpEndpoint.SESSION_HEADER, mcp.sessionId);
                expected = 415;
            }
            case 1 -> {
                b.headers("Content-Type", "application/json", "Accept", pick(List.of("text/html", "image/png",
                        "text/event-stream", "application/xml")), McpEndpoint.SESSION_HEADER, mcp.sessionId);
                expected = 406;
            }
            case 2 -> {
                b.headers("Content-Type", "application/json", McpEndpoint.SESSION_HEADER, sanitizedHeader());
                expected = 404;
            }
            case 3 -> {
                b.headers("Content-Type", "application/json");
                expected = 400;
            }
            case 4 -> {
                b.headers("Content-Type", "application/json", McpEndpoint.SESSION_HEADER, mcp.sessionId,
                        McpEndpoint.VERSION_HEADER, sanitizedHeader());
                expected = 400;
            }
            default -> {
                b.headers("Content-Type", "application/json", McpEndpoint.SESSION_HEADER, mcp.sessionId,
                        "Origin", "http://evil.example" + random.nextInt(100));
                expected = 403;
            }
        }
        expectStatus(answer(server.send(b)), expected);
    }

    /** A hostile value that HttpClient will put in a header (printable ASCII, not blank). */
    private String sanitizedHeader() {
        String s = pick(HOSTILE).replaceAll("[^\\x21-\\x7e]", "");
        return s.isEmpty() ? "bogus" : s;
    }

    private void oversizedBody() {
        int size = HttpLimits.MAX_BODY_BYTES.defaultValue() + 1 + random.nextInt(3 << 20);
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"memory_store\","
                + "\"arguments\":{\"agentId\":\"" + agent + "\",\"key\":\"big\",\"value\":\"" + "z".repeat(size) + "\"}}}";
        expectStatus(sessionPost(body.getBytes(StandardCharsets.US_ASCII), "application/json"), 413);
    }

    /** The original's curl form: no session, no headers; wrong arguments are 400 {"error"}. */
    private void debugForm() {
        JsonNode tool = pick(tools);
        ObjectNode args = obj();
        JsonNode properties = tool.path("inputSchema").path("properties");
        properties.fieldNames().forEachRemaining(n -> {
            if (random.nextBoolean()) {
                args.set(n, argument(n, properties.get(n)));
            }
        });
        ObjectNode body = obj().put("method", tool.path("name").asText());
        body.set("params", args);
        RawHttp.Response r = raw(RawHttp.curlPost(server.port(), "/mcp", "").replace("Content-Length: 0",
                "Content-Length: " + bytes(body).length).getBytes(StandardCharsets.ISO_8859_1), bytes(body));
        if (bytes(body).length > HttpLimits.MAX_BODY_BYTES.defaultValue()) {
            // over the limit: 413, or a reset if the server closed before this client finished sending
            count(r == null ? -1 : r.status());
            assertTrue(r == null || r.status() == 413, r == null ? "" : r.status() + " " + r.body());
            return;
        }
        assertTrue(r != null, "the debug form is answered");
        count(r.status());
        JsonNode answer = parse(r.body().getBytes(StandardCharsets.UTF_8), r.status() + " " + r.body());
        if (r.status() == 200) {
            successes++;
            record(tool.path("name").asText(), args, answer);
        } else if (!Json.validUnicode(args)) {
            assertEquals(400, r.status(), r.body());
            assertEquals(JsonRpc.PARSE_ERROR, answer.path("error").path("code").asInt(), r.body());
        } else {
            assertEquals(400, r.status(), r.body());
            assertTrue(answer.path("error").isTextual(), r.body());
            noInternals(r.body());
        }
    }

    /** Raw bytes no HTTP client would send: the JDK server refuses them itself, or our code answers. */
    private void malformedHttp() {
        String json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        String session = McpEndpoint.SESSION_HEADER + ": " + mcp.sessionId + "\r\n";
        List<String> requests = List.of(
                "GARBAGE\r\n\r\n",
                "POST /mcp\r\n\r\n",
                "POST /m cp HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n" + json,
                "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Length: -5\r\n\r\n" + json,
                "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n" + json,
                "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST /mcp HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n" + json,
                "POST /mcp HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n",
                "POST /mcp HTTP/1.1\r\nHost: localhost\r\nX-Long: " + "h".repeat(70_000) + "\r\n\r\n",
                "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + session
                        + "Content-Length: 10\r\nConnection: close\r\n\r\n" + json,
                "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + session
                        + "MCP-Protocol-Version: 2025\u0001-11\u007f\r\nConnection: close\r\nContent-Length: " + json.length() + "\r\n\r\n"
                        + json,
                "POST /mcp HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\nContent-Length: "
                        + json.length() + "\r\n\r\n" + json,
                "PATCH /mcp HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /mcp/../etc/passwd HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /%00%ff HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + session
                        + "Connection: close\r\nContent-Length: 9\r\n\r\n\u00ff\u00fe\u00fd{}[]\"\u0000");
        int which = random.nextInt(requests.size());
        RawHttp.Response r = raw(requests.get(which).getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
        if (r == null) {
            count(-1); // closed without an answer: the JDK's reply to an oversized header section
            assertEquals(9, which, "only the oversized header section is closed without an answer");
            return;
        }
        count(r.status());
        assertTrue(r.status() >= 400 && r.status() < 500 || r.status() == 501,
                "request " + which + " is refused with 4xx (or 501 for an unknown transfer coding): " + r.status()
                        + " " + r.body());
        if (r.header("Content-Type") != null && r.header("Content-Type").startsWith("application/json")) {
            parse(r.body().getBytes(StandardCharsets.UTF_8), r.body());
            noInternals(r.body());
        } else {
            // the JDK server's own refusals: "<h1>400 Bad Request</h1>Bad request line" and the like
            assertTrue(r.body().startsWith("<h1>" + r.status()), r.body());
            assertTrue(!r.body().contains("\tat ") && !r.body().contains("io.litepool"), r.body());
        }
    }

    // ---- the final check

    /** Whether this backend refuses {@code value} for holding U+0000 in a string or field name: PostgreSQL does. */
    private boolean refusesNul(JsonNode value) {
        return backend == Backend.POSTGRESQL && holdsNul(value);
    }

    private static boolean holdsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf(0) >= 0;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (e.getKey().indexOf(0) >= 0 || holdsNul(e.getValue())) {
                return true;
            }
        }
        for (JsonNode item : node.isArray() ? node : List.<JsonNode>of()) {
            if (holdsNul(item)) {
                return true;
            }
        }
        return false;
    }

    private void checkDatabase() {
        if (backend == Backend.SQLITE) {
            assertEquals("ok", server.pool.read("PRAGMA integrity_check").get(0).getString("integrity_check"));
        }
        assertEquals(swarms, ids("swarms"), "swarms");
        assertEquals(agents, ids("agents"), "agents");
        assertEquals(tasks, ids("tasks"), "tasks");
        assertEquals(metrics, ids("metrics"), "metrics");
        Map<String, JsonNode> stored = new HashMap<>();
        for (Row row : server.database.read("SELECT agent_id, key, value FROM agent_memory")) {
            stored.put(memoryKey(row.getString("agent_id"), row.getString("key")),
                    parse(row.getString("value").getBytes(StandardCharsets.UTF_8), row.getString("value")));
        }
        Set<String> missing = new HashSet<>(memory.keySet());
        missing.removeAll(stored.keySet());
        Set<String> extra = new HashSet<>(stored.keySet());
        extra.removeAll(memory.keySet());
        assertTrue(missing.isEmpty() && extra.isEmpty(), "memory keys: written but absent "
                + visible(missing) + "; present but never written " + visible(extra));
        memory.forEach((k, v) -> assertEquals(v, stored.get(k), "memory value of " + k));
        long events = server.database.read("SELECT count(*) AS n FROM events").get(0).getLong("n");
        assertEquals(swarmInits + agents.size() + tasks.size(), events,
                "one event per successful swarm_init, agent and task; events by type: " + server.database.read(
                        "SELECT event_type, count(*) AS n FROM events GROUP BY event_type").stream().map(Row::asMap).toList()
                        + "; swarms " + swarms.size() + ", agents " + agents.size() + ", tasks " + tasks.size());
    }

    /** Keys as JSON with every non-ASCII character escaped, so that a lone surrogate shows as such. */
    private static String visible(Set<String> keys) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        keys.forEach(a::add);
        return new String(bytes(a), StandardCharsets.US_ASCII);
    }

    private Set<String> ids(String table) {
        Set<String> ids = new HashSet<>();
        server.database.read("SELECT id FROM " + table).forEach(r -> ids.add(r.getString("id")));
        return ids;
    }

    // ---- plumbing

    /** One answer: status, Content-Type and body bytes. */
    record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode rpc() {
            return parse(body, status + " " + text());
        }
    }

    private Answer answer(HttpResponse<String> r) {
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                r.body().getBytes(StandardCharsets.UTF_8));
    }

    private Answer sessionPost(byte[] body, String contentType) {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/mcp"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)), "Content-Type", contentType,
                "Accept", "application/json, text/event-stream", McpEndpoint.SESSION_HEADER, mcp.sessionId,
                McpEndpoint.VERSION_HEADER, mcp.version);
        return answer(r);
    }

    /**
     * tools/call through the session: the CallToolResult, after checking the envelope; or null when the request
     * was refused as a whole, after checking how: 413 when it is over the body limit, a parse error when an
     * argument holds a string with an unpaired surrogate.
     */
    private JsonNode call(String tool, ObjectNode args) {
        byte[] request = request("tools/call", obj().put("name", tool).set("arguments", args))
                .getBytes(StandardCharsets.US_ASCII);
        Answer a = sessionPost(request, "application/json");
        if (request.length > HttpLimits.MAX_BODY_BYTES.defaultValue()) {
            expectStatus(a, 413);
            return null;
        }
        if (!Json.validUnicode(args)) {
            expectRpcError(a, 400, JsonRpc.PARSE_ERROR);
            assertTrue(a.rpc().path("error").path("message").asText().contains("unpaired surrogate"), a.text());
            return null;
        }
        count(a.status());
        assertEquals(200, a.status(), a.text());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        JsonNode response = a.rpc();
        JsonNode result = response.get("result");
        assertTrue(result != null && result.path("content").isArray(), "a CallToolResult: " + response);
        if (result.path("isError").asBoolean(false)) {
            String message = text(result);
            assertTrue(!message.isBlank(), "an error says what went wrong");
            noInternals(message);
        } else {
            successes++;
        }
        return result;
    }

    private void expectStatus(Answer a, int status) {
        count(a.status());
        assertEquals(status, a.status(), a.text());
        assertTrue(a.contentType().startsWith("application/json"), a.contentType());
        JsonNode body = a.rpc();
        assertTrue(body.has("error"), a.text());
        noInternals(a.text());
    }

    private void expectRpcError(Answer a, int status, int code) {
        expectStatus(a, status);
        JsonNode error = a.rpc().path("error");
        assertEquals(code, error.path("code").asInt(), a.text());
        assertTrue(error.path("message").isTextual() && !error.path("message").asText().isBlank(), a.text());
        assertEquals("2.0", a.rpc().path("jsonrpc").asText(), a.text());
    }

    private void assertOk(String tool, JsonNode result) {
        assertTrue(!result.path("isError").asBoolean(false), tool + " succeeds: " + result);
    }

    private static void noInternals(String text) {
        for (String leak : INTERNALS) {
            assertTrue(!text.contains(leak), "the answer leaks '" + leak + "': " + text);
        }
    }

    private void count(int status) {
        statuses.merge(status < 0 ? "closed" : Integer.toString(status), 1, Integer::sum);
    }

    /** Sends raw bytes on a fresh connection; the response, or null if the server closed without one. */
    private RawHttp.Response raw(byte[] head, byte[] body) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                return RawHttp.read(in);
            } catch (IOException e) {
                return null; // closed (or reset) before a complete response head
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("reset")) {
                return null; // the server closed while we were still sending
            }
            throw new UncheckedIOException(e);
        }
    }

    private String request(String method, ObjectNode params) {
        ObjectNode m = obj().put("jsonrpc", "2.0").put("id", random.nextInt(1_000_000)).put("method", method);
        m.set("params", params);
        return new String(bytes(m), StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return ASCII.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(byte[] body, String context) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + e.getMessage() + "): " + context, e);
        }
    }

    /** The text block of a CallToolResult. */
    private static String text(JsonNode result) {
        return result.path("content").path(0).path("text").asText();
    }

    /** A successful CallToolResult's JSON. */
    private static JsonNode json(JsonNode result) {
        return parse(text(result).getBytes(StandardCharsets.UTF_8), text(result));
    }

    private static String created(Set<String> ids, JsonNode result) {
        String id = result.path("id").asText();
        assertTrue(!id.isEmpty(), "a created entity has an id: " + result);
        ids.add(id);
        return id;
    }

    /** The same JSON as the server will give back (numbers re-read from text). */
    private static JsonNode normalized(JsonNode value) {
        return parse(bytes(value), "normalized");
    }

    private static String memoryKey(String agentId, String key) {
        return agentId + "\u0000" + key;
    }

    private JsonNode randomJson(int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        int kind = depth <= 0 ? random.nextInt(5) : random.nextInt(7);
        return switch (kind) {
            case 0 -> f.textNode(pick(HOSTILE));
            case 1 -> f.numberNode(random.nextInt());
            case 2 -> f.numberNode(Math.round(random.nextGaussian() * 1e6) / 1e3);
            case 3 -> f.booleanNode(random.nextBoolean());
            case 4 -> f.nullNode();
            case 5 -> {
                ArrayNode a = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(randomJson(depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = f.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    // Jackson refuses a lone surrogate in a field name (a parse error): keep names well-formed
                    o.set(pick(HOSTILE).replaceAll("\\p{Cs}", "?") + i, randomJson(depth - 1));
                }
                yield o;
            }
        };
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static ObjectNode obj() {
        return Json.object();
    }
}
