package io.litepool.http.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link Param#id}: the schema states the swarm store's rule for ids, and the check enforces exactly that rule. */
class ParamIdTest {
    private static final String EMOJI = "\uD83D\uDE00";

    /** The store's rule (io.litepool.swarm.Validation): not blank, no ISO control character. */
    private static boolean storeAccepts(String s) {
        return !s.isBlank() && s.codePoints().noneMatch(Character::isISOControl);
    }

    private static boolean paramAccepts(Param p, String s) {
        try {
            p.check(TextNode.valueOf(s));
            return true;
        } catch (ToolException e) {
            return false;
        }
    }

    @Test
    void check_agreesWithTheStoresRule_forEveryBmpCharacter() {
        Param p = Param.id("id", "an id", 8);
        List<String> disagree = new ArrayList<>();
        for (int cp = 0; cp <= 0xFFFF; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue; // not text on its own: the JSON layer refuses a lone surrogate before any check
            }
            String c = Character.toString(cp);
            for (String s : List.of(c, c + c, "a" + c, c + "a")) {
                if (paramAccepts(p, s) != storeAccepts(s)) {
                    disagree.add(String.format("U+%04X in '%s'", cp, s.replace(c, "<c>")));
                }
            }
        }

        assertEquals(List.of(), disagree);
    }

    @Test
    void schema_statesTheLengthInCodePointsAndThePattern() {
        ObjectNode s = Param.id("agentId", "The agent", 256).schema();

        assertEquals(1, s.path("minLength").asInt());
        assertEquals(256, s.path("maxLength").asInt());
        assertEquals(Param.ID_PATTERN, s.path("pattern").asText());
        assertEquals("The agent; 1 to 256 characters (Unicode code points), not only whitespace, no control "
                + "characters", s.path("description").asText());
        assertEquals(true, Pattern.compile(s.path("pattern").asText()).matcher("a" + EMOJI).matches());
    }

    @Test
    void check_countsEmojiAsOneCharacter_andNamesTheRuleWhenRefused() {
        Param p = Param.id("key", "a key", 4);

        p.check(TextNode.valueOf(EMOJI.repeat(4)));
        assertEquals("argument 'key' must be a string of 1 to 4 characters, not only whitespace, without control "
                + "characters, got '\u3000\u3000'",
                assertThrows(ToolException.class, () -> p.check(TextNode.valueOf("\u3000\u3000"))).getMessage());
        assertEquals("argument 'key' must be a string of 1 to 4 characters, not only whitespace, without control "
                + "characters, got '" + EMOJI.repeat(5) + "'",
                assertThrows(ToolException.class, () -> p.check(TextNode.valueOf(EMOJI.repeat(5)))).getMessage());
    }
}
