package io.litepool.http;

import io.litepool.PoolConfig;
import io.litepool.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code serve} command's options: every one is a flag and an environment variable; a flag wins over the
 * variable, the variable over the default. Pool options are the engine's {@code POOL_*} variables, validated by
 * {@link PoolConfig.Builder#applyEnvironment}, so the two stay in step. Immutable once parsed.
 *
 * @param server   the HTTP server's configuration
 * @param pool     the pool's configuration
 * @param logLevel slf4j-simple's level: trace, debug, info, warn or error
 */
record ServeOptions(ServerConfig server, PoolConfig pool, String logLevel) {

    /** A command line or environment the server cannot start with; the message says which value and why. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** One option: flag, variable, placeholder, default (as shown), what it does, and how it applies. */
    private record Option(String flag, String env, String arg, String defaultShown, String help, Apply apply) {
        Option(String flag, String env, String arg, String defaultShown, String help,
               BiConsumer<Draft, String> apply) {
            this(flag, env, arg, defaultShown, help, (d, source, v) -> apply.accept(d, v));
        }
    }

    /** How an option's value reaches the draft; {@code source} names the flag or variable it came through. */
    @FunctionalInterface
    private interface Apply {
        void accept(Draft draft, String source, String value);
    }

    /** The values collected while parsing. */
    private static final class Draft {
        final ServerConfig.Builder server = ServerConfig.builder();
        final PoolConfig.Builder pool = PoolConfig.builder(PoolConfig.DATABASE.defaultValue());
        HttpLimits limits = HttpLimits.DEFAULTS;
        String logLevel = "info";
    }

    private static final List<Option> SERVER_OPTIONS = List.of(
            new Option("--host", "LITEPOOL_HTTP_HOST", "ADDRESS", ServerConfig.DEFAULT_HOST,
                    "Address to listen on. Any non-loopback address requires a bearer token.",
                    (d, v) -> d.server.host(v)),
            new Option("--port", "LITEPOOL_HTTP_PORT", "PORT", Integer.toString(ServerConfig.DEFAULT_PORT),
                    "TCP port; 0 picks a free one (the log says which).",
                    (d, v) -> d.server.port(integer(v, 0, 65_535))),
            new Option("--token", "LITEPOOL_HTTP_TOKEN", "SECRET", "none",
                    "Bearer token every endpoint but /health then requires (at least "
                            + ServerConfig.MIN_TOKEN_LENGTH + " characters). Prefer the variable: flags show in ps.",
                    (d, v) -> d.server.bearerToken(ServerConfig.checkToken(v))),
            new Option("--allowed-origins", "LITEPOOL_HTTP_ALLOWED_ORIGINS", "LIST", "loopback origins only",
                    "Comma-separated browser origins allowed besides loopback ones, e.g. https://app.example.com.",
                    (d, v) -> d.server.allowedOrigins(list(v))),
            new Option("--allowed-hosts", "LITEPOOL_HTTP_ALLOWED_HOSTS", "LIST", "loopback names only",
                    "Comma-separated Host names allowed besides localhost/127.0.0.1/[::1]. When listening on a "
                            + "non-loopback address and empty, any Host is allowed.",
                    (d, v) -> d.server.allowedHosts(list(v))),
            new Option("--max-body-bytes", "LITEPOOL_HTTP_MAX_BODY_BYTES", "BYTES",
                    Integer.toString(HttpLimits.DEFAULT_MAX_BODY_BYTES),
                    "Largest request body; a larger one is answered 413.",
                    (d, v) -> d.limits = d.limits.withMaxBodyBytes(integer(v, 1, Integer.MAX_VALUE - 1))),
            new Option("--max-connections", "LITEPOOL_HTTP_MAX_CONNECTIONS", "N",
                    Integer.toString(HttpLimits.DEFAULT_MAX_CONNECTIONS),
                    "Open connections at most; one over the limit is closed unanswered.",
                    (d, v) -> d.limits = d.limits.withMaxConnections(integer(v, 1, 1_000_000))),
            new Option("--max-header-bytes", "LITEPOOL_HTTP_MAX_HEADER_BYTES", "BYTES",
                    Integer.toString(HttpLimits.DEFAULT_MAX_HEADER_BYTES),
                    "Largest request header section.",
                    (d, v) -> d.limits = d.limits.withMaxHeaderBytes(integer(v, 1_024, 16 * 1024 * 1024))),
            new Option("--request-timeout-secs", "LITEPOOL_HTTP_REQUEST_TIMEOUT_SECS", "SECONDS",
                    Long.toString(HttpLimits.DEFAULT_REQUEST_READ_TIMEOUT.toSeconds()),
                    "Longest time a client may take to send one request, headers and body.",
                    (d, v) -> d.limits = d.limits.withRequestReadTimeout(seconds(v))),
            new Option("--response-timeout-secs", "LITEPOOL_HTTP_RESPONSE_TIMEOUT_SECS", "SECONDS",
                    Long.toString(HttpLimits.DEFAULT_RESPONSE_WRITE_TIMEOUT.toSeconds()),
                    "Longest time a client may take to read one response.",
                    (d, v) -> d.limits = d.limits.withResponseWriteTimeout(seconds(v))),
            new Option("--idle-timeout-secs", "LITEPOOL_HTTP_IDLE_TIMEOUT_SECS", "SECONDS",
                    Long.toString(HttpLimits.DEFAULT_IDLE_TIMEOUT.toSeconds()),
                    "How long a keep-alive connection may stay idle.",
                    (d, v) -> d.limits = d.limits.withIdleTimeout(seconds(v))),
            new Option("--session-idle-timeout-secs", "LITEPOOL_HTTP_SESSION_IDLE_TIMEOUT_SECS", "SECONDS",
                    Long.toString(ServerConfig.DEFAULT_SESSION_IDLE_TIMEOUT.toSeconds()),
                    "An MCP session unused this long ends (its client gets 404 and initializes again).",
                    (d, v) -> d.server.sessionIdleTimeout(seconds(v))),
            new Option("--max-sessions", "LITEPOOL_HTTP_MAX_SESSIONS", "N",
                    Integer.toString(ServerConfig.DEFAULT_MAX_SESSIONS),
                    "Open MCP sessions at most; a new one ends the least recently used.",
                    (d, v) -> d.server.maxSessions(integer(v, 1, 1_000_000))),
            new Option("--shutdown-grace-secs", "LITEPOOL_HTTP_SHUTDOWN_GRACE_SECS", "SECONDS",
                    Long.toString(ServerConfig.DEFAULT_SHUTDOWN_GRACE.toSeconds()),
                    "On SIGTERM/SIGINT, how long requests in flight may take to finish.",
                    (d, v) -> d.server.shutdownGrace(Duration.ofSeconds(integer(v, 0, 3_600)))),
            new Option("--log-level", "LITEPOOL_LOG_LEVEL", "LEVEL", "info",
                    "trace, debug, info, warn or error.",
                    (d, v) -> d.logLevel = oneOf(v, "trace", "debug", "info", "warn", "error")));

    /** The pool's options: one per {@link PoolConfig#settings() pool setting}, with its flag, variable and doc. */
    private static final List<Option> POOL_OPTIONS = PoolConfig.settings().stream().map(ServeOptions::pool).toList();

    /**
     * Parses the arguments after {@code serve}, over the environment.
     *
     * @throws UsageException naming the flag or variable, the value, and what it must be
     */
    static ServeOptions parse(List<String> args, Map<String, String> env) throws UsageException {
        Draft draft = new Draft();
        Map<String, Option> byFlag = new LinkedHashMap<>();
        for (Option o : all()) {
            byFlag.put(o.flag(), o);
        }
        Map<Option, String> values = new LinkedHashMap<>();
        for (Option o : all()) {
            String v = env.get(o.env());
            if (v != null) {
                values.put(o, v);
            }
        }
        Map<Option, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            Option o = byFlag.get(arg);
            if (o == null) {
                throw new UsageException("unknown option '" + arg + "'; see serve --help");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("option " + arg + " needs a value (" + o.arg() + ")");
                }
                value = args.get(++i);
            }
            flags.put(o, value);
        }
        values.putAll(flags);
        for (Map.Entry<Option, String> e : values.entrySet()) {
            Option o = e.getKey();
            boolean flag = flags.containsKey(o);
            try {
                o.apply().accept(draft, flag ? o.flag() : o.env(), e.getValue());
            } catch (IllegalArgumentException ex) {
                String message = ex.getMessage();
                // a pool setting's message already starts with the flag or variable it came through
                boolean named = message.startsWith(o.flag() + " ") || message.startsWith(o.env() + " ");
                throw new UsageException(named ? message : (flag ? "option " + o.flag() : o.env()) + ": " + message);
            }
        }
        try {
            PoolConfig pool = draft.pool.build();
            ServerConfig server = draft.server.limits(draft.limits).build();
            return new ServeOptions(server, pool, draft.logLevel);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The text of {@code --help}: every option with its variable and default. */
    static String help() {
        StringBuilder b = new StringBuilder();
        b.append("""
                Usage: java -jar litepool.jar serve [OPTIONS]
                       java -jar litepool.jar --help

                Serves one SQLite database over HTTP: MCP (Streamable HTTP, protocol 2025-11-25) at POST /mcp,
                GET /health and GET /metrics (Prometheus). Stops gracefully on SIGTERM or Ctrl-C.
                Every option is also an environment variable; the option wins. --opt VALUE and --opt=VALUE both work.

                Server:
                """);
        SERVER_OPTIONS.forEach(o -> describe(b, o));
        b.append("\nPool (the engine's POOL_* variables):\n");
        POOL_OPTIONS.forEach(o -> describe(b, o));
        b.append("\nExample: java --enable-native-access=ALL-UNNAMED -jar http/target/litepool.jar serve "
                + "--port 3000\n");
        return b.toString();
    }

    private static void describe(StringBuilder b, Option o) {
        String head = "  " + o.flag() + " " + o.arg();
        b.append(head).append(" ".repeat(Math.max(1, 40 - head.length()))).append(o.env())
                .append("  (default: ").append(o.defaultShown()).append(")\n")
                .append(wrap(o.help(), "      ", 110)).append('\n');
    }

    /** Words of {@code text} on lines of at most {@code width} columns, each starting with {@code indent}. */
    static String wrap(String text, String indent, int width) {
        StringBuilder b = new StringBuilder(indent);
        int column = indent.length();
        for (String word : text.split(" ")) {
            if (column > indent.length() && column + 1 + word.length() > width) {
                b.append('\n').append(indent);
                column = indent.length();
            } else if (column > indent.length()) {
                b.append(' ');
                column++;
            }
            b.append(word);
            column += word.length();
        }
        return b.toString();
    }

    private static List<Option> all() {
        List<Option> all = new ArrayList<>(SERVER_OPTIONS);
        all.addAll(POOL_OPTIONS);
        return all;
    }

    /** A pool option, from its setting: the value is checked (naming the flag or variable) when applied. */
    private static Option pool(Setting<?> setting) {
        String shown = setting == PoolConfig.DATABASE ? "./" + setting.defaultValue() : setting.defaultText();
        return new Option(setting.flag(), setting.env(), setting.placeholder(), shown, setting.doc(),
                (d, source, v) -> d.pool.set(setting, source, v));
    }

    private static int integer(String v, int min, int max) {
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("must be an integer from " + min + " to " + max + ", got '" + v + "'");
    }

    private static String oneOf(String v, String... allowed) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(s)) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return s;
    }

    private static Set<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static Duration seconds(String v) {
        return Duration.ofSeconds(integer(v, 1, 86_400));
    }
}
