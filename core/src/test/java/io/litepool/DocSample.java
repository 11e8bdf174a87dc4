package io.litepool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A docs page's code sample that a test runs: the one home for how a {@code *DocTest} and its page share a block.
 * The test writes the sample inline between a {@code // sample:start} and a {@code // sample:end} line, so the
 * test compiler compiles it and the test runs it and asserts what it did; {@link #assertIsTheDocsBlock} then
 * checks that the page holds those lines verbatim, under the marker
 *
 * <pre>{@code
 * <!-- sample: FooDocTest checks that this block is the code it runs -->
 * ```java
 * }</pre>
 *
 * so that the sample on the page cannot drift from the API. A sample may open a {@code try} block that the test
 * goes on using after {@code // sample:end}; the page's block then ends with the {@code }} that closes it.
 */
public final class DocSample {
    /** The test method body's indentation (class body and method body), which the page does not have. */
    private static final int INDENT = 8;

    private DocSample() {
    }

    /**
     * Fails unless {@code page} (a path from the repository's root, such as {@code docs/operations.md}) holds the
     * sample of {@code test} verbatim right after that test's marker; the failure prints the block to paste.
     */
    public static void assertIsTheDocsBlock(Class<?> test, String page) throws IOException {
        String lines = sampleOf(test);
        String sample = opensABlock(lines) ? lines + "}\n" : lines;
        String marker = "<!-- sample: " + test.getSimpleName() + " checks that this block is the code it runs -->\n"
                + "```java\n";
        String doc = Files.readString(repositoryFile(page));
        int start = doc.indexOf(marker);
        assertTrue(start >= 0, page + " lacks the marker " + marker.strip());
        int from = start + marker.length();
        assertEquals(sample, doc.substring(from, doc.indexOf("```", from)),
                page + "'s sample differs from " + test.getSimpleName() + "'s; it should read:\n" + sample);
    }

    /** Whether the sample leaves a block open (more braces opened than closed), which the page's block closes. */
    private static boolean opensABlock(String sample) {
        long open = sample.chars().filter(c -> c == '{').count();
        long close = sample.chars().filter(c -> c == '}').count();
        return open > close;
    }

    /** The lines between the markers in {@code test}'s source file, less the method body's indentation. */
    private static String sampleOf(Class<?> test) throws IOException {
        String source = "core/src/test/java/" + test.getName().replace('.', '/') + ".java";
        List<String> lines = Files.readAllLines(repositoryFile(source));
        int start = indexOf(lines, "// sample:start", source) + 1;
        int end = indexOf(lines, "// sample:end", source);
        return lines.subList(start, end).stream()
                .map(line -> line.length() >= INDENT ? line.substring(INDENT) : line.strip())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static int indexOf(List<String> lines, String marker, String source) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        throw new AssertionError(source + " has no line '" + marker + "'");
    }

    /** A file of the repository, whether the tests run in core (Maven's working folder) or at the root. */
    private static Path repositoryFile(String path) {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve(path)) ? here.resolve(path) : here.getParent().resolve(path);
    }
}
