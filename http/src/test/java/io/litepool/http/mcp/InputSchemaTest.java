package io.litepool.http.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.litepool.http.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputSchemaTest {
    static final InputSchema SCHEMA = InputSchema.of(
            Param.string("task", "what to do").length(1, 10).required(),
            Param.oneOf("strategy", "how", "parallel", "sequential").defaultValue("parallel"),
            Param.integer("maxAgents", "how many", 1, 100).defaultValue(5),
            Param.stringList("capabilities", "skills").items(2),
            Param.number("value", "a number").range(0, 1),
            Param.bool("flag", "a flag"),
            Param.any("data", "anything"));

    static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static String refusal(String arguments) {
        return assertThrows(ToolException.class, () -> SCHEMA.validate(json(arguments))).getMessage();
    }

    @Test
    void schema_describesEveryParameter() {
        ObjectNode s = SCHEMA.schema();

        assertEquals("object", s.path("type").asText());
        assertFalse(s.path("additionalProperties").asBoolean(true));
        assertEquals("[\"task\"]", s.path("required").toString());
        assertEquals(1, s.path("properties").path("task").path("minLength").asInt());
        assertEquals("[\"parallel\",\"sequential\"]", s.path("properties").path("strategy").path("enum").toString());
        assertEquals(100, s.path("properties").path("maxAgents").path("maximum").asInt());
        assertEquals(5, s.path("properties").path("maxAgents").path("default").asInt());
        assertFalse(s.path("properties").path("data").has("type"));
    }

    @Test
    void none_isAnObjectWithoutProperties() {
        assertEquals("{\"type\":\"object\",\"additionalProperties\":false}", Json.text(InputSchema.NONE.schema()));
    }

    @Test
    void validate_fillsDefaults() {
        ToolArgs args = SCHEMA.validate(json("{\"task\":\"x\"}"));

        assertEquals("parallel", args.string("strategy"));
        assertEquals(5, args.integer("maxAgents", 0));
        assertEquals(List.of(), args.strings("capabilities"));
        assertFalse(args.has("flag"));
    }

    @Test
    void validate_acceptsWholeFloatsAsIntegers() {
        assertEquals(7, SCHEMA.validate(json("{\"task\":\"x\",\"maxAgents\":7.0}")).integer("maxAgents", 0));
    }

    @Test
    void validate_refusalsNameTheArgumentAndWhatWasExpected() {
        assertEquals("missing required argument 'task' (a string of 1 to 10 characters)", refusal("{}"));
        assertEquals("argument 'task' must be a string of 1 to 10 characters, got ''", refusal("{\"task\":\"\"}"));
        assertEquals("argument 'task' must be a string of 1 to 10 characters, got 12", refusal("{\"task\":12}"));
        assertEquals("argument 'strategy' must be one of parallel, sequential, got 'random'",
                refusal("{\"task\":\"x\",\"strategy\":\"random\"}"));
        assertEquals("argument 'maxAgents' must be an integer from 1 to 100, got 500",
                refusal("{\"task\":\"x\",\"maxAgents\":500}"));
        assertEquals("argument 'maxAgents' must be an integer from 1 to 100, got 2.5",
                refusal("{\"task\":\"x\",\"maxAgents\":2.5}"));
        assertEquals("argument 'maxAgents' must be an integer from 1 to 100, got '5'",
                refusal("{\"task\":\"x\",\"maxAgents\":\"5\"}"));
        assertEquals("argument 'capabilities' must be an array of at most 2 strings of 1 to 200 characters, "
                + "got an array of 3 items", refusal("{\"task\":\"x\",\"capabilities\":[\"a\",\"b\",\"c\"]}"));
        assertEquals("argument 'value' must be a number from 0.0 to 1.0, got 2",
                refusal("{\"task\":\"x\",\"value\":2}"));
        assertEquals("argument 'flag' must be true or false, got 'yes'", refusal("{\"task\":\"x\",\"flag\":\"yes\"}"));
        assertEquals("unknown argument 'sql'; expected: task, strategy, maxAgents, capabilities, value, flag, data",
                refusal("{\"task\":\"x\",\"sql\":\"DROP TABLE t\"}"));
    }

    @Test
    void validate_longStringsAreDescribedByLengthNotEchoed() {
        String message = refusal("{\"task\":\"" + "y".repeat(500) + "\"}");

        assertEquals("argument 'task' must be a string of 1 to 10 characters, got a string of 500 characters",
                message);
    }

    @Test
    void validate_countsCharactersNotUtf16Units() {
        assertTrue(SCHEMA.validate(json("{\"task\":\"\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00"
                + "\uD83D\uDE00\"}")).has("task"));
    }

    @Test
    void validate_nonObjectArguments_areRefused() {
        assertEquals("arguments must be an object, got an array of 0 items", refusal("[]"));
    }
}
