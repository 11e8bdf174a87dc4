package io.litepool.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.litepool.LitePool;
import io.litepool.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.math.BigInteger;

import static io.litepool.swarm.SwarmTests.count;
import static io.litepool.swarm.SwarmTests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JSON values come back as they were stored, or are refused when they are stored: one set of limits for writing
 * and reading, no non-finite numbers, exact decimals, and text that is not JSON read as text.
 */
class JsonValuesTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("swarm-test");
    LitePool pool;
    SwarmPersistence store;

    @BeforeEach
    void open() {
        pool = database.open();
        store = SwarmPersistence.builder(pool).maxValueBytes(32 << 20).build();
        store.createSwarm("s1", "demo", Topology.MESH, 5, null, null);
        store.createAgent("a1", "s1", "n", "coder", null, null, null);
    }

    @AfterEach
    void close() {
        store.close();
        pool.close();
    }

    private JsonNode roundTrip(JsonNode value) {
        store.storeMemory("a1", "k", value);
        return store.getMemory("a1", "k").orElseThrow().value();
    }

    private void refused(String message, JsonNode value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.storeMemory("a1", "refused", value));
        assertEquals(message, e.getMessage());
        assertEquals(0, pool.read("SELECT count(*) AS n FROM agent_memory WHERE key = 'refused'").get(0)
                .getLong("n"));
    }

    @Test
    void bigNumbers_withinTheLimit_comeBackExactly() {
        BigIntegerNode thousandDigits = BigIntegerNode.valueOf(BigInteger.TEN.pow(999));
        DecimalNode thirtyDigits = DecimalNode.valueOf(new BigDecimal("0.123456789012345678901234567890"));
        DecimalNode beyondDouble = DecimalNode.valueOf(new BigDecimal("1E+400"));

        assertEquals(thousandDigits, roundTrip(thousandDigits));
        assertEquals(thirtyDigits, roundTrip(thirtyDigits));
        assertEquals(beyondDouble, roundTrip(beyondDouble));
        assertEquals(json("{'steps':[1,'two',{'three':3.0}],'pi':3.14159}"),
                roundTrip(json("{'steps':[1,'two',{'three':3.0}],'pi':3.14159}")), "plain numbers stay doubles");
    }

    @Test
    void numbersPastTheReadersLimit_areRefusedWhenStored() {
        refused("value holds a number of 1001 characters at /; the limit is 1000 characters",
                BigIntegerNode.valueOf(BigInteger.TEN.pow(1000)));
        refused("value holds a number of 1001 characters at /n; the limit is 1000 characters",
                JsonNodeFactory.instance.objectNode().set("n", DecimalNode.valueOf(
                        new BigDecimal(BigInteger.TEN.pow(999), 1))));
    }

    @Test
    void nonFiniteNumbers_areRefusedNotStoredAsStrings() {
        refused("value holds a number that is not finite (Infinity) at /; JSON has no such number",
                DoubleNode.valueOf(Double.POSITIVE_INFINITY));
        refused("value holds a number that is not finite (NaN) at /x/0; JSON has no such number",
                JsonNodeFactory.instance.objectNode().set("x", JsonNodeFactory.instance.arrayNode().add(Double.NaN)));
    }

    @Test
    void aStringLongerThanJacksonsDefaultLimit_comesBackAsTheString() {
        TextNode longText = TextNode.valueOf("x".repeat(21_000_000));

        JsonNode back = roundTrip(longText);

        assertTrue(longText.equals(back), () -> "read back as a " + back.getNodeType() + " of "
                + back.asText().length() + " characters starting " + back.asText().substring(0, 5));
    }

    @Test
    void nestingPastTheLimit_isRefusedWhenStored_andTheLimitItselfComesBack() {
        refused("value is nested 1001 levels deep at /0/0/0/0/0/0/0/0/0/0/...; the limit is 1000 levels",
                nested(1001));

        assertEquals(nested(1000), roundTrip(nested(1000)));
    }

    @Test
    void storedTextThatIsNotJson_readsAsText_notAsItsFirstToken() {
        pool.write("UPDATE agents SET metrics = '42 is the answer', capabilities = '[1] [2]' WHERE id = 'a1'");

        Agent agent = store.getAgent("a1").orElseThrow();

        assertEquals(TextNode.valueOf("42 is the answer"), agent.metrics());
        assertEquals(TextNode.valueOf("[1] [2]"), agent.capabilities());
        assertEquals(1, count(pool, "agents"));
    }

    private static ArrayNode nested(int depth) {
        ArrayNode root = JsonNodeFactory.instance.arrayNode();
        ArrayNode inner = root;
        for (int i = 1; i < depth; i++) {
            inner = inner.addArray();
        }
        return root;
    }
}
