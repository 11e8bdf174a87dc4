package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's packages keep to the layers their overviews declare: each {@code package-info.java} says, after
 * "May depend on:", which packages of this module it may use, and every reference in its main sources (imports and
 * qualified names, comments and strings aside) stays within that; the declared arrows form no cycle; and only the
 * transport, {@code io.litepool.http}, touches the JDK's HTTP server.
 */
class PackageLayersTest {
    private static final String ROOT = "io.litepool.http";
    private static final Pattern DEPENDS = Pattern.compile("May depend on:(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern PACKAGE_NAME = Pattern.compile("io\\.litepool\\.http(\\.[a-z]\\w*)*");
    /** A reference to a class of this module: its package, then the class's capitalised name. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.litepool\\.http(?:\\.[a-z]\\w*)*)\\.[A-Z]");
    private static final Pattern COMMENT_OR_STRING = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'", Pattern.DOTALL);

    /** The main sources, from the module's directory (Maven's working directory) or the repository's root. */
    private static Path sources() {
        Path here = Path.of("").toAbsolutePath();
        Path main = here.resolve("src/main/java/io/litepool/http");
        return Files.isDirectory(main) ? main : here.resolve("http/src/main/java/io/litepool/http");
    }

    /** Every package of the module, by name, with its source files. */
    private static Map<String, List<Path>> packages() {
        Map<String, List<Path>> packages = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources())) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                String relative = sources().relativize(f.getParent()).toString().replace('/', '.');
                String name = relative.isEmpty() ? ROOT : ROOT + "." + relative;
                packages.computeIfAbsent(name, k -> new ArrayList<>()).add(f);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return packages;
    }

    /** What a package's overview says it may depend on, within this module. */
    private static Set<String> declared(String pkg, List<Path> files) {
        Path info = files.stream().filter(f -> f.getFileName().toString().equals("package-info.java")).findFirst()
                .orElseThrow(() -> new AssertionError(pkg + " has no package-info.java saying what it is"));
        Matcher m = DEPENDS.matcher(read(info));
        assertTrue(m.find(), pkg + "'s package-info.java does not say what it may depend on (\"May depend on:\")");
        Set<String> allowed = new TreeSet<>();
        Matcher name = PACKAGE_NAME.matcher(m.group(1));
        while (name.find()) {
            allowed.add(name.group());
        }
        return allowed;
    }

    /** The module's packages that {@code file}'s code refers to. */
    private static Set<String> used(Path file) {
        String code = COMMENT_OR_STRING.matcher(read(file)).replaceAll(" ");
        Set<String> used = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            used.add(m.group(1));
        }
        return used;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyPackage_usesOnlyWhatItsOverviewAllows() {
        Map<String, List<Path>> packages = packages();
        List<String> breaches = new ArrayList<>();
        for (Map.Entry<String, List<Path>> p : packages.entrySet()) {
            Set<String> allowed = declared(p.getKey(), p.getValue());
            assertTrue(packages.keySet().containsAll(allowed), p.getKey() + " declares an unknown package: " + allowed);
            for (Path file : p.getValue()) {
                for (String used : used(file)) {
                    if (!used.equals(p.getKey()) && !allowed.contains(used)) {
                        breaches.add(file.getFileName() + " (" + p.getKey() + ") uses " + used);
                    }
                }
            }
        }
        assertEquals(List.of(), breaches, "references outside the declared layers");
        assertTrue(packages.size() >= 7, "the module's packages: " + packages.keySet());
    }

    @Test
    void declaredArrows_formNoCycle() {
        Map<String, Set<String>> arrows = new TreeMap<>();
        packages().forEach((pkg, files) -> arrows.put(pkg, declared(pkg, files)));
        Set<String> done = new HashSet<>();
        for (String pkg : arrows.keySet()) {
            visit(pkg, arrows, new ArrayList<>(), done);
        }
        assertEquals(arrows.keySet(), done);
    }

    private static void visit(String pkg, Map<String, Set<String>> arrows, List<String> path, Set<String> done) {
        assertFalse(path.contains(pkg), "a cycle: " + String.join(" -> ", path) + " -> " + pkg);
        if (done.contains(pkg)) {
            return;
        }
        path.add(pkg);
        for (String next : arrows.getOrDefault(pkg, Set.of())) {
            visit(next, arrows, path, done);
        }
        path.removeLast();
        done.add(pkg);
    }

    @Test
    void onlyTheTransport_touchesTheJdkHttpServer() {
        List<String> outside = new ArrayList<>();
        packages().forEach((pkg, files) -> files.stream()
                .filter(f -> !pkg.equals(ROOT) && read(f).contains("com.sun.net.httpserver"))
                .forEach(f -> outside.add(pkg + "." + f.getFileName())));
        assertEquals(List.of(), outside);
    }
}
