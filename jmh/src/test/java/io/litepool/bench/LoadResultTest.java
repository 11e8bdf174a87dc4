package io.litepool.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one line that carries a run's result from the child JVM to the parent. */
class LoadResultTest {

    private static LoadResult result(String note) {
        return new LoadResult("litepool", "starved-wal", "normal", 20, 1.0, 1234, 0.1, 0.2, 0.3, 4.0, 0.5, 0.6, 7.0,
                "0", 8.0, 100.0, 200.0, 41.5, 3.5, "ok(99)", note);
    }

    @Test
    void parse_ofToLine_givesBackEveryFieldWithTheWalSizes() {
        LoadResult r = result("heavy: 2.0/s p99=300ms; wal limit=32MiB ckpt=3 blocked=0 mean=12ms max=20ms");

        LoadResult back = LoadResult.parse(r.toLine());

        assertEquals(r, back);
        assertEquals(41.5, back.peakWalMib());
        assertEquals(3.5, back.endWalMib());
    }

    @Test
    void parse_ofToLine_keepsAnEmptyNote() {
        assertEquals("", LoadResult.parse(result("").toLine()).note());
    }

    @Test
    void parse_lineWithTooFewFields_saysHowManyItHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadResult.parse(LoadResult.PREFIX + "litepool\tmixed"));

        assertTrue(e.getMessage().startsWith("a result line has 21 fields, got 2: "), e.getMessage());
    }

    @Test
    void table_showsPeakWalAndWalAtEnd() {
        String table = LoadTool.table(List.of(result("")));

        assertTrue(table.contains("| 200 | 41.5 | 3.5 | ok(99) |"), table);
    }
}
