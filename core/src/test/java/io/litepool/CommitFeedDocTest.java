package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commit feed sample in docs/operations.md is the code between the markers below: it compiles and runs here, and
 * the doc must hold it verbatim, or this fails and prints the block to paste.
 */
class CommitFeedDocTest {
    private static final String DOC_MARKER = "<!-- sample: CommitFeedDocTest checks that this block is the code it "
            + "runs -->\n```java\n";

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
        String sample = sampleOfThisFile() + "}\n";
        String doc = Files.readString(docs());
        int start = doc.indexOf(DOC_MARKER);
        assertTrue(start >= 0, "docs/operations.md lacks the marker " + DOC_MARKER.strip());
        int from = start + DOC_MARKER.length();
        assertEquals(sample, doc.substring(from, doc.indexOf("```", from)),
                "docs/operations.md's sample differs from CommitFeedDocTest's; it should read:\n" + sample);
    }

    /** The lines between the markers, less the test's indentation. */
    private static String sampleOfThisFile() throws Exception {
        List<String> lines = Files.readAllLines(source("src/test/java/io/litepool/CommitFeedDocTest.java"));
        int start = indexOf(lines, "// sample:start") + 1;
        int end = indexOf(lines, "// sample:end");
        return lines.subList(start, end).stream().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError("no line '" + marker + "'");
    }

    private static Path docs() {
        Path here = Path.of("").toAbsolutePath();
        Path doc = here.resolve("docs/operations.md");
        return Files.exists(doc) ? doc : here.getParent().resolve("docs/operations.md");
    }

    private static Path source(String file) {
        Path here = Path.of("").toAbsolutePath();
        Path inModule = here.resolve(file);
        return Files.exists(inModule) ? inModule : here.resolve("core").resolve(file);
    }
}
