package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The commit feed sample in docs/operations.md is the code between the markers below: it compiles and runs here, and
 * the doc must hold it verbatim, or this fails and prints the block to paste.
 */
class CommitFeedDocTest {
    @RegisterExtension
    final TestDatabase database = new TestDatabase("app");

    @Test
    void sample_runs_andIsTheDocsBlock() throws Exception {
        LitePool pool = database.open();
        pool.write("CREATE TABLE kv(k TEXT PRIMARY KEY, v TEXT)");
        Map<String, List<Row>> cache = new ConcurrentHashMap<>(); // query results by table
        cache.put("kv", List.of());
        cache.put("other", List.of());
        // sample:start
        try (CommitSubscription feed = pool.onCommit(new CommitListener() {
            @Override
            public void onCommit(Commit commit) {
                if (commit.unknownTables()) {
                    cache.clear(); // DDL, a WITHOUT ROWID table or another process: drop everything
                } else {
                    commit.tables().forEach(cache::remove);
                }
            }

            @Override
            public void lagged(long missedCommits) {
                cache.clear(); // commits were dropped while this listener was behind
            }
        })) {
            pool.write("INSERT INTO kv VALUES ('greeting', 'hello')");
            // soon after, on the subscription's thread: onCommit(Commit[sequence=2, tables=[kv], ...])
            // sample:end
            Await.until("the commit reached the listener", () -> !cache.containsKey("kv"), () -> cache);
        }

        assertEquals(Map.of("other", List.of()), cache);
        DocSample.assertIsTheDocsBlock(CommitFeedDocTest.class, "docs/operations.md");
    }
}
