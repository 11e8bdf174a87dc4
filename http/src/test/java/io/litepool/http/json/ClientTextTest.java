package io.litepool.http.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What an answer may repeat of a client's text: one line, at most 100 characters, counted as code points. */
class ClientTextTest {
    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void clip_controlCharacters_becomeQuestionMarks() {
        assertEquals("a?b?", ClientText.clip("a\nb\u0000"));
    }

    @Test
    void clip_longText_keepsTheFirst100CharactersAndSaysItWasCut() {
        assertEquals("x".repeat(100) + "...", ClientText.clip("x".repeat(101)));
        assertEquals("x".repeat(100), ClientText.clip("x".repeat(100)));
    }

    /** Cut by UTF-16 units, "a" and 60 emoji ended in half an emoji, which no JSON answer can carry. */
    @Test
    void clip_countsCodePoints_andNeverSplitsASurrogatePair() {
        String clipped = ClientText.clip("a" + EMOJI.repeat(120));

        assertEquals("a" + EMOJI.repeat(99) + "...", clipped);
        assertTrue(Json.validUnicode(clipped));
        assertEquals(EMOJI.repeat(100), ClientText.clip(EMOJI.repeat(100)), "100 emoji are 100 characters");
    }
}
