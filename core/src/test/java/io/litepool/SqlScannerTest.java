package io.litepool;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlScannerTest {

    /** Every token of {@code sql} as "KIND text". */
    private static List<String> tokens(String sql) {
        SqlScanner scanner = new SqlScanner(sql);
        List<String> tokens = new ArrayList<>();
        for (SqlScanner.Kind k = scanner.next(); k != SqlScanner.Kind.END; k = scanner.next()) {
            tokens.add(k + " " + sql.substring(scanner.start(), scanner.end()));
        }
        return tokens;
    }

    @Test
    void next_wordsAndPunctuation_comeOneByOne() {
        assertEquals(List.of("WORD INSERT", "WORD INTO", "WORD t", "PUNCTUATION (", "WORD a_1", "PUNCTUATION ,",
                "WORD $b", "PUNCTUATION )", "WORD VALUES", "PUNCTUATION (", "PUNCTUATION ?", "PUNCTUATION ,",
                "WORD 1", "PUNCTUATION .", "WORD 5e3", "PUNCTUATION )", "PUNCTUATION ;"),
                tokens("INSERT INTO t(a_1, $b) VALUES (?, 1.5e3);"));
    }

    @Test
    void next_literalsAndQuotedIdentifiers_areOneTokenEach() {
        assertEquals(List.of("QUOTED 'it''s; -- not a comment'", "QUOTED \"a\"\"b\"", "QUOTED `c``d`",
                "QUOTED [e;f]", "WORD x", "QUOTED '00ff'"),
                tokens("'it''s; -- not a comment' \"a\"\"b\" `c``d` [e;f] x'00ff'"));
        assertEquals(List.of("QUOTED [a]", "PUNCTUATION ]"), tokens("[a]]"), "[...] has no escape");
    }

    @Test
    void next_commentsAndSqliteWhitespace_areSkipped() {
        assertEquals(List.of("WORD a", "WORD b", "WORD c"),
                tokens(" \t\r\n\f-- one ; line\na/* block ; \n comment */b--\nc-- to the end"));
        assertEquals(List.of("WORD a", "PUNCTUATION /"), tokens("a /"));
        assertEquals(List.of("PUNCTUATION -", "WORD 1"), tokens("-1"));
    }

    @Test
    void next_unterminatedLiteralOrComment_runsToTheEnd() {
        assertEquals(List.of("WORD a", "QUOTED 'b; c"), tokens("a 'b; c"));
        assertEquals(List.of("WORD a", "QUOTED [b; c"), tokens("a [b; c"));
        assertEquals(List.of("WORD a"), tokens("a /* b; c"));
    }

    @Test
    void next_charactersSqliteDoesNotTakeAsSpace_areTokens() {
        // a vertical tab is an illegal character to SQLite, a non-ASCII space part of an identifier
        assertEquals(List.of("WORD a", "PUNCTUATION \u000b", "WORD b"), tokens("a\u000bb"));
        assertEquals(List.of("WORD a\u2003b", "WORD \u00e9t\u00e9"), tokens("a\u2003b \u00e9t\u00e9"));
    }

    @Test
    void isWord_comparesAsciiCaseInsensitivelyAndWholly() {
        SqlScanner s = new SqlScanner("bEgIn BEGINS \"BEGIN\" \u017fAVEPOINT");
        s.next();
        assertTrue(s.isWord("BEGIN"));
        s.next();
        assertFalse(s.isWord("BEGIN"), "a longer word");
        s.next();
        assertFalse(s.isWord("BEGIN"), "a quoted identifier is not a keyword");
        s.next();
        assertFalse(s.isWord("SAVEPOINT"), "the long s is not an S to SQLite");
    }

    @Test
    void name_ofWordOrQuotedToken_isItsTextInLowerCaseWithoutQuotes() {
        List<String> names = new ArrayList<>();
        SqlScanner s = new SqlScanner("Synchronous 'Query_Only' \"MAIN\" [cache_size] `x` 'open");
        for (SqlScanner.Kind k = s.next(); k != SqlScanner.Kind.END; k = s.next()) {
            names.add(s.name());
        }
        assertEquals(List.of("synchronous", "query_only", "main", "cache_size", "x", "open"), names);
    }

    @Test
    void rewind_startsAgainAtTheBeginning() {
        SqlScanner s = new SqlScanner("a b");
        s.next();
        s.next();
        assertEquals(SqlScanner.Kind.END, s.next());
        s.rewind();
        assertEquals(SqlScanner.Kind.WORD, s.next());
        assertTrue(s.isWord("A"));
    }
}
