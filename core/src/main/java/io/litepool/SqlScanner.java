package io.litepool;

/**
 * Reads SQL text as SQLite's tokenizer does, as far as telling statements apart needs: it skips whitespace and
 * comments, takes a string literal or quoted identifier whole, and yields words (keywords, unquoted identifiers,
 * numbers) and single punctuation characters. It never allocates: a token is a range of the text, compared in
 * place.
 *
 * <p>The rules are SQLite's: {@code --} comments run to the end of the line and {@code /*} comments to
 * <code>*&#47;</code> (or the end of the text); {@code '...'}, {@code "..."} and {@code `...`} stand a doubled closing
 * quote for itself, {@code [...]} has no escape; an unterminated literal or comment runs to the end of the text
 * (SQLite then refuses it). Keywords compare in ASCII only, as SQLite's do. A scanner is used by one thread.
 */
final class SqlScanner {
    /** What a token is. */
    enum Kind {
        /** A run of letters, digits, {@code _}, {@code $} and non-ASCII characters: a keyword, identifier or number. */
        WORD,
        /** A string literal or a quoted identifier, quotes included. */
        QUOTED,
        /** Any other single character, such as {@code ;}, {@code (}, {@code =} or {@code .}. */
        PUNCTUATION,
        /** The text has no more tokens. */
        END
    }

    private final String sql;
    private int position;
    private int start;
    private int end;
    private Kind kind;

    SqlScanner(String sql) {
        this.sql = sql;
    }

    /** Starts again at the beginning of the text. */
    void rewind() {
        position = 0;
        start = 0;
        end = 0;
        kind = null;
    }

    /** Moves to the next token and says what it is. */
    Kind next() {
        skipSpaceAndComments();
        start = position;
        int n = sql.length();
        if (position >= n) {
            end = n;
            return kind = Kind.END;
        }
        char c = sql.charAt(position);
        if (isWordChar(c)) {
            int i = position + 1;
            while (i < n && isWordChar(sql.charAt(i))) {
                i++;
            }
            end = i;
            kind = Kind.WORD;
        } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
            end = quotedEnd(c == '[' ? ']' : c);
            kind = Kind.QUOTED;
        } else {
            end = position + 1;
            kind = Kind.PUNCTUATION;
        }
        position = end;
        return kind;
    }

    /** Where the current token starts in the text. */
    int start() {
        return start;
    }

    /** Where the current token ends in the text (exclusive). */
    int end() {
        return end;
    }

    /** Whether the current token is the word {@code keyword} (given in upper case), in any case. */
    boolean isWord(String keyword) {
        return kind == Kind.WORD && equalsIgnoringAsciiCase(start, end, keyword);
    }

    /** Whether the current token is the punctuation character {@code c}. */
    boolean is(char c) {
        return kind == Kind.PUNCTUATION && sql.charAt(start) == c;
    }

    /**
     * The current token as a name, in lower case: a word as written, a quoted token without its quotes (SQLite
     * accepts a quoted name wherever it accepts a name, {@code PRAGMA "synchronous" = 0} included). Allocates; for
     * the rare statement that needs it.
     */
    String name() {
        int from = start;
        int to = end;
        if (kind == Kind.QUOTED) {
            from++;
            char close = sql.charAt(start) == '[' ? ']' : sql.charAt(start);
            if (to > from && sql.charAt(to - 1) == close) {
                to--;
            }
        }
        StringBuilder name = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = sql.charAt(i);
            name.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return name.toString();
    }

    private void skipSpaceAndComments() {
        int n = sql.length();
        while (position < n) {
            char c = sql.charAt(position);
            if (isSpace(c)) {
                position++;
            } else if (c == '-' && position + 1 < n && sql.charAt(position + 1) == '-') {
                int newline = sql.indexOf('\n', position + 2);
                position = newline < 0 ? n : newline + 1;
            } else if (c == '/' && position + 1 < n && sql.charAt(position + 1) == '*') {
                int close = sql.indexOf("*/", position + 2);
                position = close < 0 ? n : close + 2;
            } else {
                return;
            }
        }
    }

    /** The index after the quoted token at {@code position} that {@code close} ends. */
    private int quotedEnd(char close) {
        int from = position + 1;
        while (true) {
            int i = sql.indexOf(close, from);
            if (i < 0) {
                return sql.length();
            }
            if (close != ']' && i + 1 < sql.length() && sql.charAt(i + 1) == close) {
                from = i + 2; // a doubled quote stands for itself
            } else {
                return i + 1;
            }
        }
    }

    private boolean equalsIgnoringAsciiCase(int from, int to, String upper) {
        if (to - from != upper.length()) {
            return false;
        }
        for (int i = 0; i < upper.length(); i++) {
            char c = sql.charAt(from + i);
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != upper.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** SQLite's whitespace: these five only (a vertical tab or a non-ASCII space is not). */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
    }

    /** SQLite's identifier characters; it takes every non-ASCII character as one. */
    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
                || c >= 0x80;
    }
}
