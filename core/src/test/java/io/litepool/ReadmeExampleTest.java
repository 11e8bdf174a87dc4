package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's embedding example, taken from README.md itself, compiled and run: the README cannot drift from the
 * API. The one change made to it: the database file {@code app.db} is put in a temporary directory.
 */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    /** The first {@code java} code block after the README's "Embed it" heading. */
    static String readmeExample() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        Path readme = Files.exists(here.resolve("README.md")) ? here.resolve("README.md")
                : here.getParent().resolve("README.md");
        String text = Files.readString(readme);
        int section = text.indexOf("## Embed it");
        assertTrue(section >= 0, "README.md has no 'Embed it' section");
        int start = text.indexOf("```java\n", section);
        int end = text.indexOf("```", start + 8);
        assertTrue(start > 0 && end > start, "README.md's 'Embed it' section has no java code block");
        return text.substring(start + 8, end);
    }

    @Test
    void readmeExample_compilesAndRunsAsWritten() throws Exception {
        String example = readmeExample();
        assertTrue(example.contains("Path.of(\"app.db\")"), "the example opens app.db: " + example);
        Path db = dir.resolve("app.db");
        String source = """
                import io.litepool.*;
                import java.nio.file.Path;
                import java.time.Duration;

                public class ReadmeExample {
                    public static void main(String[] args) throws Exception {
                %s
                    }
                }
                """.formatted(example.replace("Path.of(\"app.db\")", "Path.of(args[0])"));
        Path src = dir.resolve("src").resolve("ReadmeExample.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), src.toString());
        assertEquals(0, status, "the README's example does not compile:\n" + errors + "\n" + source);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeExampleTest.class.getClassLoader())) {
            loader.loadClass("ReadmeExample").getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {db.toString()});
        }
        try (LitePool pool = LitePool.open(PoolConfig.builder(db).build())) {
            assertEquals(List.of("a=1", "greeting=hello"),
                    pool.read("SELECT k || '=' || v FROM kv ORDER BY k", rs -> rs.getString(1)));
        }
    }
}
