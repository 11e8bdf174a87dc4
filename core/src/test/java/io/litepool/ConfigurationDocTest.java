package io.litepool;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md's table of settings is the one {@link PoolConfig#settings()} renders: a setting's docs
 * change with its definition, or this fails and prints the table to paste.
 */
class ConfigurationDocTest {
    static final String START = "<!-- pool settings: generated from PoolConfig.settings(); ConfigurationDocTest checks it -->\n";
    static final String END = "<!-- end of pool settings -->";

    /** The docs folder, from the module's directory (Maven's working directory) or the repository's root. */
    static Path docs(String file) {
        Path here = Path.of("").toAbsolutePath();
        Path doc = here.resolve("docs").resolve(file);
        return Files.exists(doc) ? doc : here.getParent().resolve("docs").resolve(file);
    }

    @Test
    void configurationDoc_holdsTheTableTheSettingsRender() throws Exception {
        String doc = Files.readString(docs("configuration.md"));
        int start = doc.indexOf(START);
        int end = doc.indexOf(END);
        assertTrue(start >= 0 && end > start, "docs/configuration.md lacks the markers " + START.strip() + " ... " + END);
        String expected = Setting.markdownTable(PoolConfig.settings());
        assertEquals(expected, doc.substring(start + START.length(), end),
                "docs/configuration.md's table differs from PoolConfig.settings(); it should read:\n" + expected);
    }

    @Test
    void everySetting_hasItsOwnVariableAndFlag_andItsDefaultPassesItsOwnCheck() {
        java.util.Set<String> envs = new java.util.HashSet<>();
        java.util.Set<String> flags = new java.util.HashSet<>();
        for (Setting<?> s : PoolConfig.settings()) {
            assertTrue(s.env().startsWith("POOL_"), s.toString());
            assertTrue(envs.add(s.env()), "two settings share " + s.env());
            assertTrue(flags.add(s.flag()), "two settings share " + s.flag());
            assertTrue(!s.doc().isBlank() && s.doc().endsWith("."), "one line of doc, a sentence: " + s);
            if (s.defaultValue() != null) {
                check(s);
            }
        }
        assertEquals(26, PoolConfig.settings().size(), "every record component is a setting");
        assertEquals(PoolConfig.class.getRecordComponents().length, PoolConfig.settings().size());
    }

    private static <T> void check(Setting<T> s) {
        assertEquals(s.defaultValue(), s.check(s.defaultValue()), s.toString());
    }
}
