package io.litepool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool's MXBean as a JMX client (jconsole, jcmd) sees it: found on the platform MBean server by its documented
 * name, attributes read by name, records as {@link CompositeData}; gone once the pool closes.
 */
class PoolMXBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @RegisterExtension
    final TestDatabase database = new TestDatabase("jmx");

    @Test
    void openPool_isRegisteredUnderItsName_withStatsAndHealth_andUnregisteredAtClose() throws Exception {
        ObjectName name = new ObjectName("io.litepool:type=Pool,name=jmx");
        LitePool pool = database.open();
        pool.write("CREATE TABLE t(v)");
        pool.write("INSERT INTO t VALUES (1)");
        pool.read("SELECT v FROM t");

        assertTrue(SERVER.isRegistered(name), "registered as " + name);
        assertEquals("jmx", SERVER.getAttribute(name, "Name"));
        assertEquals(database.file().toAbsolutePath().toString(), SERVER.getAttribute(name, "DatabasePath"));
        CompositeData stats = (CompositeData) SERVER.getAttribute(name, "Stats");
        CompositeData counts = (CompositeData) stats.get("counts");
        assertEquals(2L, counts.get("writes"));
        assertEquals(1L, counts.get("reads"));
        CompositeData writeLatency = (CompositeData) ((CompositeData) stats.get("latency")).get("writes");
        assertEquals(2L, writeLatency.get("count"));
        assertEquals(pool.config().walSizeLimit(), ((CompositeData) stats.get("wal")).get("limitBytes"));

        assertEquals("healthy", SERVER.getAttribute(name, "Status"));
        assertEquals(true, SERVER.getAttribute(name, "Healthy"));
        assertArrayEquals(new String[0], (String[]) SERVER.getAttribute(name, "Problems"));
        CompositeData[] roles = (CompositeData[]) SERVER.getAttribute(name, "Roles");
        assertEquals("WRITER READERS WORKERS", roles[0].get("role") + " " + roles[1].get("role") + " "
                + roles[2].get("role"));
        assertEquals(4, roles[1].get("size"));
        pool.checkHealth();
        assertEquals(pool.health().lastHealthCheck().toString(), SERVER.getAttribute(name, "LastHealthCheck"));

        pool.close();
        assertFalse(SERVER.isRegistered(name), "unregistered at close");
    }

    @Test
    void degradedPool_showsItsStatusAndProblems() throws Exception {
        ObjectName name = new ObjectName("io.litepool:type=Pool,name=jmx");
        LitePool pool = database.open();
        Path nowhere = database.dir().resolve("missing").resolve("copy.db");
        assertThrows(LitePoolException.class, () -> pool.backup(nowhere));

        assertEquals("degraded", SERVER.getAttribute(name, "Status"));
        assertEquals(true, SERVER.getAttribute(name, "Healthy"), "a degraded pool still serves");
        String[] problems = (String[]) SERVER.getAttribute(name, "Problems");
        assertEquals(1, problems.length, java.util.Arrays.toString(problems));
        assertTrue(problems[0].startsWith("last backup failed: ") && problems[0].contains("copy.db"), problems[0]);
    }

    @Test
    void registerMbeanFalse_registersNothing() throws Exception {
        database.open(c -> c.registerMbean(false));
        assertFalse(SERVER.isRegistered(new ObjectName("io.litepool:type=Pool,name=jmx")));
    }

    @Test
    void secondPoolOfTheSameName_opensWithoutAnMXBean_andLeavesTheFirstOnesAlone() throws Exception {
        ObjectName name = new ObjectName("io.litepool:type=Pool,name=jmx");
        LitePool first = database.open();
        Path other = Files.createDirectory(database.dir().resolve("other"));
        try (LitePool second = LitePool.open(TestDatabase.config(other, "jmx").build())) {
            second.write("CREATE TABLE t(v)");
            assertEquals(database.file().toAbsolutePath().toString(), SERVER.getAttribute(name, "DatabasePath"),
                    "the name stays the first pool's");
        }
        assertTrue(SERVER.isRegistered(name), "closing the second pool left the first one's MXBean");
        first.close();
        assertFalse(SERVER.isRegistered(name));
    }

    @Test
    void poolNameWithReservedCharacters_isQuotedInTheObjectName() throws Exception {
        LitePool pool = database.open(c -> c.name("orders, eu=1"));
        ObjectName name = new ObjectName("io.litepool:type=Pool,name=\"orders, eu=1\"");
        assertEquals(name, PoolMXBeanRegistration.objectName("orders, eu=1"));
        assertEquals(ObjectName.quote(",first"), PoolMXBeanRegistration.objectName(",first").getKeyProperty("name"),
                "a reserved character first in the name is quoted too");
        assertEquals("orders, eu=1", SERVER.getAttribute(name, "Name"));
        pool.close();
        assertFalse(SERVER.isRegistered(name));
    }
}
