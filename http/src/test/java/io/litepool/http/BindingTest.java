package io.litepool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.litepool.LitePool;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding before serving: a binding that is never started gives its port back; one that is serves once. */
class BindingTest {

    @Test
    void binding_closedWithoutStarting_releasesThePort() throws Exception {
        int port;
        try (LitePoolServer.Binding binding = LitePoolServer.bind(ServerConfig.builder().port(0).build())) {
            port = binding.address().getPort();
        }

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void binding_startedOnce_servesAndRefusesASecondStart(@TempDir Path dir) throws Exception {
        try (LitePool pool = LitePool.open(TestServer.poolConfig(dir));
             LitePoolServer.Binding binding = LitePoolServer.bind(ServerConfig.builder().port(0).build());
             LitePoolServer server = binding.start(pool)) {
            RawHttp.Response health = RawHttp.exchange(server.port(), "GET /health HTTP/1.1\r\nHost: localhost\r\n"
                    + "Connection: close\r\n\r\n");

            assertEquals(200, health.status(), health.body());
            assertEquals(binding.address().getPort(), server.port());
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> binding.start(pool));
            assertEquals("this binding of " + binding.address() + " was started or closed already",
                    twice.getMessage());
        }
    }
}
