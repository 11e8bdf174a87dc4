package io.litepool.http.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.litepool.PoolConfig;
import io.litepool.Setting;
import io.litepool.http.HttpLimits;
import io.litepool.http.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/http.md's table of the server's settings is the one {@link ServeOptions#serverSettings()} renders, as
 * docs/configuration.md's is the pool's: a setting's docs change with its definition, or this fails and prints the
 * table to paste.
 */
class ServeSettingsDocTest {
    static final String START = "<!-- server settings: generated from ServeOptions.serverSettings(); "
            + "ServeSettingsDocTest checks it -->\n";
    static final String END = "<!-- end of server settings -->";

    /** The docs folder, from the module's directory (Maven's working directory) or the repository's root. */
    static Path docs(String file) {
        Path here = Path.of("").toAbsolutePath();
        Path doc = here.resolve("docs").resolve(file);
        return Files.exists(doc) ? doc : here.getParent().resolve("docs").resolve(file);
    }

    @Test
    void httpDoc_holdsTheTableTheServerSettingsRender() throws Exception {
        String doc = Files.readString(docs("http.md"));
        int start = doc.indexOf(START);
        int end = doc.indexOf(END);
        assertTrue(start >= 0 && end > start, "docs/http.md lacks the markers " + START.strip() + " ... " + END);
        String expected = Setting.markdownTable(ServeOptions.serverSettings());
        assertEquals(expected, doc.substring(start + START.length(), end),
                "docs/http.md's table differs from ServeOptions.serverSettings(); it should read:\n" + expected);
    }

    @Test
    void everyServerSetting_hasItsOwnVariableAndFlag_apartFromThePools_andItsDefaultPassesItsOwnCheck() {
        Set<String> envs = new HashSet<>();
        Set<String> flags = new HashSet<>();
        for (Setting<?> s : PoolConfig.settings()) {
            envs.add(s.env());
            flags.add(s.flag());
        }
        for (Setting<?> s : ServeOptions.serverSettings()) {
            assertTrue(s.env().startsWith("LITEPOOL_"), s.toString());
            assertTrue(envs.add(s.env()), "two settings share " + s.env());
            assertTrue(flags.add(s.flag()), "two settings share " + s.flag());
            assertTrue(!s.doc().isBlank() && s.doc().endsWith("."), "one line of doc, a sentence: " + s);
            if (s.defaultValue() != null) {
                check(s);
            }
        }
        // every component of both records is a setting (ServerConfig's limits are HttpLimits'), PostgreSQL's own,
        // the database group's two, and the log level
        assertEquals(ServerConfig.class.getRecordComponents().length - 1 + HttpLimits.class.getRecordComponents().length
                + PostgresOptions.SETTINGS.size() + 2 + 1, ServeOptions.serverSettings().size());
    }

    private static <T> void check(Setting<T> s) {
        assertEquals(s.defaultValue(), s.check(s.defaultValue()), s.toString());
    }
}
