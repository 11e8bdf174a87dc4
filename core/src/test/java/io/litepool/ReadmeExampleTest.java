package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's "Embed it" section, taken from README.md itself: its {@code App.java} is compiled exactly as written
 * and run in a JVM of its own in a temporary folder, and its output must be the one the README shows; its
 * {@code pom.xml} must name this build's version and the plugin versions this build pins. The README cannot drift
 * from the API. The whole path (install, Maven build of that pom, the runnable jar) is checked by the
 * "README embed" group of {@code .ci/litepool test} ({@code .ci/readme-embed-check}).
 */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeApp_compiledAsWrittenAndRunInItsOwnFolder_printsWhatTheReadmeShows() throws Exception {
        String app = readmeBlock("java", 0);
        assertTrue(app.startsWith("package example;") && app.contains("public class App "),
                "the README's java block is not the file src/main/java/example/App.java (package example, class App):\n"
                        + app);
        Path src = dir.resolve("src/main/java/example/App.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, app);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, null, errors, "--release", "21", "-Xlint:all", "-Werror",
                "-d", classes.toString(), "-cp", System.getProperty("java.class.path"), src.toString());
        assertEquals(0, status, "the README's App.java does not compile (with --release 21, warnings as errors):\n"
                + errors);

        Path folder = Files.createDirectories(dir.resolve("run"));
        Path stderr = dir.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), "example.App")
                .directory(folder.toFile()).redirectError(stderr.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the README's App did not exit within 60 s; stderr:\n" + Files.readString(stderr));
        }
        assertEquals(0, p.exitValue(), "the README's App exited with " + p.exitValue() + "; stderr:\n"
                + Files.readString(stderr));
        assertEquals(readmeBlock("text", 0), stdout, "the README's App printed other than the README says");

        Path db = folder.resolve("app.db");
        assertTrue(Files.exists(db), "the README's App did not create app.db in its working folder " + folder);
        try (LitePool pool = LitePool.open(PoolConfig.builder(db).build())) {
            assertEquals(List.of("a=1", "greeting=hello", "key-0=x", "key-99=x"),
                    pool.read("SELECT k || '=' || v FROM kv WHERE k IN ('a', 'greeting', 'key-0', 'key-99') ORDER BY k",
                            rs -> rs.getString(1)));
        }
    }

    @Test
    void readmePom_namesThisBuildsVersionsAndRelease21() throws Exception {
        Element readme = parse(readmeBlock("xml", 0)).getDocumentElement();
        Element build = parse(Files.readString(repositoryFile("pom.xml"))).getDocumentElement();
        String version = child(build, "version");
        assertEquals(version, dependencyVersion(readme, "litepool-core"),
                "the README's pom.xml must depend on litepool-core " + version + ", this build's version");
        assertEquals(child((Element) build.getElementsByTagName("properties").item(0), "slf4j.version"),
                dependencyVersion(readme, "slf4j-simple"),
                "the README's slf4j-simple must be the SLF4J version litepool-core is built with");
        NodeList plugins = readme.getElementsByTagName("plugin");
        assertTrue(plugins.getLength() > 0, "the README's pom.xml has no plugins");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            String artifact = child(plugin, "artifactId");
            // The same versions as this build's, so CI builds the README's project offline from what it resolved.
            assertEquals(pluginVersion(build, artifact), child(plugin, "version"),
                    "the README's " + artifact + " version must be the one the root pom.xml pins");
        }
        Element compiler = plugin(readme, "maven-compiler-plugin");
        assertEquals("21", child((Element) compiler.getElementsByTagName("configuration").item(0), "release"),
                "the README's maven-compiler-plugin must set <release>21</release>");
    }

    /** Code block number {@code index} of {@code language} in the README's "Embed it" section, without its fences. */
    static String readmeBlock(String language, int index) throws Exception {
        String text = Files.readString(repositoryFile("README.md"));
        int section = text.indexOf("\n## Embed it\n");
        assertTrue(section >= 0, "README.md has no '## Embed it' section");
        int sectionEnd = text.indexOf("\n## ", section + 1);
        String embed = text.substring(section, sectionEnd < 0 ? text.length() : sectionEnd);
        String fence = "\n```" + language + "\n";
        int start = -1;
        for (int i = 0; i <= index; i++) {
            start = embed.indexOf(fence, start + 1);
            assertTrue(start >= 0, "README.md's 'Embed it' section has no " + language + " code block number " + i);
        }
        int end = embed.indexOf("\n```\n", start + fence.length() - 1);
        assertTrue(end > start, "README.md's 'Embed it' section has an unclosed " + language + " code block");
        return embed.substring(start + fence.length(), end + 1);
    }

    /** {@code name} at the repository's root, from the core module's folder (Maven's) or the root. */
    private static Path repositoryFile(String name) {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("core")) ? here.resolve(name) : here.getParent().resolve(name);
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String child(Element parent, String name) {
        for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return fail("<" + parent.getTagName() + "> has no <" + name + ">");
    }

    private static String dependencyVersion(Element project, String artifactId) {
        NodeList dependencies = project.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (child(dependency, "artifactId").equals(artifactId)) {
                return child(dependency, "version");
            }
        }
        return fail("the README's pom.xml has no dependency on " + artifactId);
    }

    private static Element plugin(Element project, String artifactId) {
        NodeList plugins = project.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if (child(plugin, "artifactId").equals(artifactId)) {
                return plugin;
            }
        }
        return fail("no " + artifactId + " in pom.xml");
    }

    private static String pluginVersion(Element project, String artifactId) {
        return child(plugin(project, artifactId), "version");
    }
}
