package io.litepool.integration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every recipe in docs/integration.md is the code between the {@code recipe:start} and {@code recipe:end} markers of
 * its test, which compiles and runs it under load: the doc must hold that code verbatim (without the class's
 * indentation), or this fails and prints the block to paste.
 */
class IntegrationDocTest {
    @ParameterizedTest
    @ValueSource(strings = {"JooqTest", "JdbiTest", "JdbcTemplateTest", "FlywayTest"})
    void recipe_isInTheDoc_verbatim(String test) throws IOException {
        String block = "```java\n" + recipe(test) + "```\n";
        String doc = Files.readString(projectFile("docs/integration.md"));
        assertTrue(doc.contains(block), "docs/integration.md does not hold " + test + "'s recipe as it runs; paste:\n"
                + block);
    }

    /** The lines between the markers in {@code test}'s source, less the four spaces of the class body. */
    private static String recipe(String test) throws IOException {
        List<String> lines = Files.readAllLines(projectFile("core/src/test/java/io/litepool/integration/" + test
                + ".java"));
        int start = lines.indexOf("    // recipe:start");
        int end = lines.indexOf("    // recipe:end");
        assertTrue(start >= 0 && end > start, test + " has no recipe:start ... recipe:end markers");
        return lines.subList(start + 1, end).stream()
                .map(line -> line.startsWith("    ") ? line.substring(4) : line)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** A file of the repository, whether the tests run in core (Maven) or at the root. */
    private static Path projectFile(String path) {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve(path)) ? here.resolve(path) : here.getParent().resolve(path);
    }
}
