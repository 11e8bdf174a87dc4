package io.litepool.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP over a plain socket, for requests {@code HttpClient} will not send (foreign Host, exact curl headers). */
public final class RawHttp {

    /** A parsed response: the status code, the header section and the body. */
    public record Response(int status, String head, String body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} and reads one response. */
    public static Response exchange(int port, String request) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Response exchange(int port, byte[] request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one response: the head, then Content-Length bytes of body (or everything until the server closes). */
    public static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("no complete response head: '" + headBytes + "'");
            }
            headBytes.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String head = headBytes.toString(StandardCharsets.ISO_8859_1).strip();
        int status = Integer.parseInt(head.split(" ")[1]);
        Response headOnly = new Response(status, head, "");
        String length = headOnly.header("Content-Length");
        byte[] body = length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length));
        return new Response(status, head, new String(body, StandardCharsets.UTF_8));
    }

    /** The request curl sends for {@code curl -X POST http://localhost:PORT/mcp -d 'BODY'}. */
    public static String curlPost(int port, String path, String body) {
        return "POST " + path + " HTTP/1.1\r\n"
                + "Host: localhost:" + port + "\r\n"
                + "User-Agent: curl/8.5.0\r\n"
                + "Accept: */*\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Connection: close\r\n"
                + "\r\n"
                + body;
    }
}
