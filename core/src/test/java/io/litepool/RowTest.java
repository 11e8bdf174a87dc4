package io.litepool;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A row's typed getters convert what SQLite stored, refuse what they cannot convert, and compare by value. */
class RowTest {

    private static Row row(List<String> labels, Object... values) {
        return new Row(Row.Columns.of(labels), values);
    }

    @Test
    void getLongAndGetDouble_convertNumbersAndNumericText_andPassNullOn() {
        Row r = row(List.of("i", "d", "t", "n", "pad"), 7L, 2.5d, "42", null, " 3 ");
        assertEquals(7L, r.getLong("i"));
        assertEquals(2L, r.getLong("d"), "a REAL read as an integer is truncated");
        assertEquals(42L, r.getLong("t"));
        assertEquals(3L, r.getLong("pad"), "surrounding blanks are ignored");
        assertNull(r.getLong("n"));
        assertEquals(7.0, r.getDouble("i"));
        assertEquals(2.5, r.getDouble("d"));
        assertEquals(42.0, r.getDouble("t"));
        assertEquals(3.0, r.getDouble("pad"));
        assertNull(r.getDouble("n"));
    }

    @Test
    void getters_onTextThatIsNoNumberOrOnABlob_sayWhatTheColumnHolds() {
        String longText = "x".repeat(41);
        Row r = row(List.of("t", "b", "long"), "abc", new byte[] {1, 2, 3}, longText);
        assertEquals("column 't' holds 'abc', not a number",
                assertThrows(IllegalArgumentException.class, () -> r.getDouble("t")).getMessage());
        assertEquals("column 'b' holds a blob of 3 bytes, not a number",
                assertThrows(IllegalArgumentException.class, () -> r.getDouble("b")).getMessage());
        assertEquals("column 'long' holds '" + "x".repeat(40) + "...', not an integer",
                assertThrows(IllegalArgumentException.class, () -> r.getLong("long")).getMessage());
        String forty = "y".repeat(40);
        assertEquals("column 't' holds '" + forty + "', not a number", assertThrows(IllegalArgumentException.class,
                () -> row(List.of("t"), forty).getDouble("t")).getMessage());
    }

    @Test
    void getString_readsTextNumbersAndBlobsAsUtf8() {
        Row r = row(List.of("t", "i", "b", "n"), "h\u00e9", 5L, "h\u00e9".getBytes(StandardCharsets.UTF_8), null);
        assertEquals("h\u00e9", r.getString("t"));
        assertEquals("5", r.getString("i"));
        assertEquals("h\u00e9", r.getString("b"));
        assertNull(r.getString("n"));
    }

    @Test
    void duplicateLabels_theFirstWins_asInJdbc() {
        Row r = row(List.of("v", "v"), 1L, 2L);
        assertEquals(1L, r.get("v"));
        assertEquals(List.of("v", "v"), r.columns());
    }

    @Test
    void asMap_keepsSelectOrder_andCannotBeChanged() {
        Row r = row(List.of("b", "a", "c"), 1L, null, "x");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("b", 1L);
        expected.put("a", null);
        expected.put("c", "x");
        assertEquals(expected, r.asMap());
        assertEquals(List.of("b", "a", "c"), List.copyOf(r.asMap().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> r.asMap().put("d", 1));
        assertEquals("{b=1, a=null, c=x}", r.toString());
    }

    @Test
    void equalsAndHashCode_compareLabelsAndValues_blobsByContent() {
        Row a = row(List.of("k", "b"), "x", new byte[] {1, 2});
        Row same = row(List.of("k", "b"), "x", new byte[] {1, 2});
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, row(List.of("k", "c"), "x", new byte[] {1, 2}));
        assertNotEquals(a, row(List.of("k", "b"), "x", new byte[] {1, 3}));
        assertNotEquals(a, (Object) "x");
    }
}
