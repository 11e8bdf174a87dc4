package io.litepool.http.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Request bodies must be UTF-8 and their strings valid Unicode: what the fuzz test found Jackson lets through. */
class JsonTest {

    private static byte[] withBytes(String prefix, byte[] middle, String suffix) {
        byte[] a = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] c = suffix.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[a.length + middle.length + c.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(c, 0, out, a.length + middle.length, c.length);
        return out;
    }

    @Test
    void parse_overlongUtf8_isRefusedInsteadOfBecomingASlash() {
        byte[] body = withBytes("{\"key\":\"", new byte[] {(byte) 0xC0, (byte) 0xAF}, "\"}");

        Json.InvalidTextException e = assertThrows(Json.InvalidTextException.class, () -> Json.parse(body));
        assertEquals("the body is not valid UTF-8", e.getOriginalMessage());
    }

    @Test
    void parse_encodedSurrogate_isRefused() {
        byte[] body = withBytes("{\"key\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}");

        assertThrows(Json.InvalidTextException.class, () -> Json.parse(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"key\":\"\\ud800\"}", "{\"key\":\"a\\udfffb\"}", "[\"\\ud83d\"]",
            "{\"v\":{\"x\":[1,\"\\udc00\"]}}"})
    void parse_unpairedSurrogateEscape_isRefused(String body) {
        Json.InvalidTextException e = assertThrows(Json.InvalidTextException.class,
                () -> Json.parse(body.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getOriginalMessage().contains("unpaired surrogate"), e.getOriginalMessage());
    }

    @Test
    void parse_pairedSurrogates_rawOrEscaped_andAByteOrderMark_areRead() throws JsonProcessingException {
        assertEquals("\uD83D\uDE00", Json.parse("{\"k\":\"\\ud83d\\ude00\"}".getBytes(StandardCharsets.US_ASCII))
                .get("k").textValue());
        assertEquals("\uD83D\uDE00", Json.parse("{\"k\":\"\uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8))
                .get("k").textValue());
        assertEquals(1, Json.parse("\uFEFF{\"k\":1}".getBytes(StandardCharsets.UTF_8)).get("k").asInt());
    }

    @Test
    void validUnicode_checksFieldNamesToo() {
        assertFalse(Json.validUnicode(Json.object().put("a\uDC00", 1)));
        assertTrue(Json.validUnicode(Json.object().put("caf\u00e9 \uD83D\uDE00", "x")));
    }
}
