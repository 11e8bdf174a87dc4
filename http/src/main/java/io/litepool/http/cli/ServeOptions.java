package io.litepool.http.cli;

import io.litepool.LitePoolGroup;
import io.litepool.PoolConfig;
import io.litepool.Setting;
import io.litepool.http.HttpLimits;
import io.litepool.http.ServerConfig;
import io.litepool.swarm.postgres.PostgresConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code serve} command's options: every one is a {@link Setting} - the server's own ({@link ServerConfig},
 * {@link HttpLimits}, {@link ServerLogging#LEVEL}) and the pool's ({@link PoolConfig#settings()}) - so each is a flag and an
 * environment variable, checked, described in {@code --help} and tabled in the docs from one definition. A flag wins
 * over the variable, the variable over the default. Immutable once parsed.
 *
 * @param server   the HTTP server's configuration
 * @param pool     the pool's configuration
 * @param logLevel slf4j-simple's level: trace, debug, info, warn or error
 * @param postgres where the swarm stores live when {@code --database} names PostgreSQL; null for SQLite (then
 *                 {@code pool} says where the file is)
 * @param databases the SQLite files {@code --database NAME=PATH} named, in order; empty when one file is served
 *                  (then {@code pool} says which). With several, {@code pool} is their template and its reader, worker
 *                  and queue counts are their shared budgets ({@link io.litepool.LitePoolGroup})
 * @param maxOpen   with several databases, how many may be open at once; 0 for all
 * @param idleClose with several databases, how long one (but the first) may go unused before it is closed; zero:
 *                  never
 */
record ServeOptions(ServerConfig server, PoolConfig pool, String logLevel, PostgresConfig postgres,
                    Map<String, Path> databases, int maxOpen, Duration idleClose) {

    ServeOptions {
        databases = Collections.unmodifiableMap(new LinkedHashMap<>(databases));
    }

    ServeOptions(ServerConfig server, PoolConfig pool, String logLevel) {
        this(server, pool, logLevel, null, Map.of(), 0, LitePoolGroup.IDLE_CLOSE.defaultValue());
    }

    /** {@code NAME=PATH}: a database named for a server of several. */
    private static final Pattern NAMED = Pattern.compile("(" + LitePoolGroup.DATABASE_NAME.pattern() + ")=(.+)");


    /** A command line or environment the server cannot start with; the message says which value and why. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** One option: its setting, its default as {@code --help} shows it, and how its value reaches the draft. */
    private record Option(Setting<?> setting, String defaultShown, Apply apply) {
        Option(Setting<?> setting, Apply apply) {
            this(setting, setting.defaultText(), apply);
        }
    }

    /** How an option's text reaches the draft; {@code source} names the flag or variable it came through. */
    @FunctionalInterface
    private interface Apply {
        void accept(Draft draft, String source, String text);
    }

    /** The values collected while parsing. */
    private static final class Draft {
        final ServerConfig.Builder server = ServerConfig.builder();
        final HttpLimits.Builder limits = HttpLimits.builder();
        final PoolConfig.Builder pool = PoolConfig.builder(PoolConfig.DATABASE.defaultValue());
        ServerLogging.Level logLevel = ServerLogging.LEVEL.defaultValue();
        /** {@code --database}'s value when it names PostgreSQL, and the flag or variable it came through. */
        String postgresUrl;
        String postgresSource;
        /** The files {@code --database NAME=PATH} named, and the flag or variable the first came through. */
        final Map<String, Path> databases = new LinkedHashMap<>();
        String databasesSource;
        /** Where a lone {@code --database PATH} came from, to refuse mixing it with named ones. */
        String unnamedSource;
        int maxOpen = LitePoolGroup.MAX_OPEN.defaultValue();
        String maxOpenSource;
        Duration idleClose = LitePoolGroup.IDLE_CLOSE.defaultValue();
        /** The settings of {@link PostgresOptions#SETTINGS} given, with the flag or variable each came through. */
        final Map<Setting<?>, Object> postgres = new LinkedHashMap<>();
        final Map<Setting<?>, String> postgresSources = new LinkedHashMap<>();

        /** The PostgreSQL configuration; null on SQLite, where a PostgreSQL setting is refused. */
        PostgresConfig postgres(Map<String, String> env, Path sqliteFile) {
            if (postgresUrl == null) {
                if (!postgres.isEmpty()) {
                    Setting<?> first = postgres.keySet().iterator().next();
                    throw new IllegalArgumentException(postgresSources.get(first) + " applies to PostgreSQL only, but "
                            + PoolConfig.DATABASE.flag() + " names the SQLite file " + sqliteFile
                            + "; give it a postgresql:// URL, or drop " + postgresSources.get(first));
                }
                return null;
            }
            PostgresConfig.Builder b = PostgresOptions.config(postgresSource, postgresUrl,
                    (String) postgres.get(PostgresOptions.USER), (Path) postgres.get(PostgresOptions.PASSWORD_FILE),
                    env);
            if (postgres.containsKey(PostgresOptions.SCHEMA)) {
                b.schema((String) postgres.get(PostgresOptions.SCHEMA));
            }
            if (postgres.containsKey(PostgresOptions.MAX_CONNECTIONS)) {
                b.maxConnections((Integer) postgres.get(PostgresOptions.MAX_CONNECTIONS));
            }
            if (postgres.containsKey(PostgresOptions.ACQUIRE_TIMEOUT)) {
                b.acquireTimeout((Duration) postgres.get(PostgresOptions.ACQUIRE_TIMEOUT));
            }
            return b.build();
        }
    }

    /** The server's options: {@link ServerConfig}'s settings, {@link HttpLimits}', then the log level. */
    private static final List<Option> SERVER_OPTIONS = serverOptions();

    /** The pool's options: one per {@link PoolConfig#settings() pool setting}. */
    private static final List<Option> POOL_OPTIONS = PoolConfig.settings().stream().map(ServeOptions::pool).toList();

    /** The server's own settings, in the order {@code --help} and docs/http.md list them. */
    static List<Setting<?>> serverSettings() {
        return SERVER_OPTIONS.stream().<Setting<?>>map(Option::setting).toList();
    }

    /**
     * Parses the arguments after {@code serve}, over the environment.
     *
     * @throws UsageException naming the flag or variable, the value, and what it must be
     */
    static ServeOptions parse(List<String> args, Map<String, String> env) throws UsageException {
        return parse(all(), args, env);
    }

    /**
     * Parses the arguments after {@code mcp}: the pool's options and the log level only (the server's do not
     * apply to stdio, and are refused as unknown options; their variables are not read).
     *
     * @throws UsageException naming the flag or variable, the value, and what it must be
     */
    static ServeOptions parseMcp(List<String> args, Map<String, String> env) throws UsageException {
        List<Option> options = new ArrayList<>(POOL_OPTIONS);
        options.add(SERVER_OPTIONS.get(SERVER_OPTIONS.size() - 1)); // the log level
        ServeOptions parsed = parse(options, args, env);
        if (parsed.postgres() != null) {
            throw new UsageException("mcp serves a SQLite file only; for PostgreSQL (" + parsed.postgres().url()
                    + ") run serve and connect to its /mcp");
        }
        if (!parsed.databases().isEmpty()) {
            throw new UsageException("mcp serves one SQLite file, given as --database PATH; for several ("
                    + String.join(", ", parsed.databases().keySet()) + ") run serve and connect to /db/NAME/mcp");
        }
        return parsed;
    }

    private static ServeOptions parse(List<Option> options, List<String> args, Map<String, String> env)
            throws UsageException {
        Draft draft = new Draft();
        Map<String, Option> byFlag = new LinkedHashMap<>();
        for (Option o : options) {
            byFlag.put(o.setting().flag(), o);
        }
        Map<Option, String> values = new LinkedHashMap<>();
        for (Option o : options) {
            String v = env.get(o.setting().env());
            if (v != null) {
                values.put(o, v);
            }
        }
        Map<Option, String> flags = new LinkedHashMap<>();
        List<String> databaseFlags = new ArrayList<>(); // the one repeatable option
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
                throw new UsageException("unknown option '" + arg + "'; see --help");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException("option " + arg + " needs a value (" + o.setting().placeholder() + ")");
                }
                value = args.get(++i);
            }
            if (o.setting() == PoolConfig.DATABASE) {
                databaseFlags.add(value);
            }
            flags.put(o, value);
        }
        values.putAll(flags);
        for (Map.Entry<Option, String> e : values.entrySet()) {
            Option o = e.getKey();
            boolean flag = flags.containsKey(o);
            List<String> texts = flag && o.setting() == PoolConfig.DATABASE ? databaseFlags : List.of(e.getValue());
            for (String text : texts) {
                try {
                    o.apply().accept(draft, flag ? o.setting().flag() : o.setting().env(), text);
                } catch (IllegalArgumentException ex) {
                    throw new UsageException(ex.getMessage()); // a setting's refusal names the flag or variable
                }
            }
        }
        try {
            PoolConfig pool = draft.pool.build();
            ServerConfig server = draft.server.limits(draft.limits.build()).build();
            PostgresConfig postgres = draft.postgres(env, pool.databasePath());
            checkGroup(draft, pool);
            return new ServeOptions(server, pool, draft.logLevel.name().toLowerCase(Locale.ROOT), postgres,
                    draft.databases, draft.maxOpen, draft.idleClose);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Several databases: the group's own checks of their names and files (two names for one file), then the shared
     * budgets, named by flag: each open database needs one reader and one worker.
     */
    private static void checkGroup(Draft draft, PoolConfig pool) {
        LitePoolGroup.Builder group = LitePoolGroup.builder(pool); // opens nothing: the checks ServeCommand will meet
        draft.databases.forEach((name, file) -> {
            try {
                group.database(name, file);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(draft.databasesSource + ": " + e.getMessage(), e);
            }
        });
        if (draft.maxOpen == 1 && draft.databases.size() > 1) {
            throw new IllegalArgumentException(draft.maxOpenSource + " 1 leaves no place for the other databases: "
                    + "the first (" + draft.databases.keySet().iterator().next() + ") stays open while the server "
                    + "runs; give at least 2, or 0 for all");
        }
        int n = draft.maxOpen == 0 ? draft.databases.size() : Math.min(draft.maxOpen, draft.databases.size());
        if (n > Math.min(pool.maxReaders(), pool.maxWorkers())) {
            throw new IllegalArgumentException(n + " databases open at once (" + (draft.maxOpen == 0
                    ? draft.databasesSource : draft.maxOpenSource) + ") share "
                    + pool.maxReaders() + " readers (" + PoolConfig.MAX_READERS.flag() + ") and " + pool.maxWorkers()
                    + " workers (" + PoolConfig.MAX_WORKERS.flag() + "), but each needs at least one of each; raise "
                    + "both to at least " + n + " or lower " + LitePoolGroup.MAX_OPEN.flag());
        }
    }

    /** The text of {@code --help}: every option with its variable, default, doc and allowed values. */
    static String help() {
        StringBuilder b = new StringBuilder();
        b.append("""
                Usage: java --enable-native-access=ALL-UNNAMED -jar litepool.jar serve [OPTIONS]
                       java --enable-native-access=ALL-UNNAMED -jar litepool.jar mcp [POOL OPTIONS]
                       java -jar litepool.jar --help
                (java: a JDK 21 or newer, e.g. "$JAVA_HOME/bin/java"; from a checkout: .ci/litepool serve|mcp ...)

                serve: serves one SQLite database (or, with --database postgresql://ROLE@HOST:PORT/DB, the swarm
                stores on PostgreSQL; the password from LITEPOOL_PG_PASSWORD, PGPASSWORD or --database-password-file)
                over HTTP: MCP (Streamable HTTP, protocol 2025-11-25) at POST /mcp,
                GET /health and GET /metrics (Prometheus). Stops gracefully on SIGTERM or Ctrl-C.
                Several SQLite files: --database NAME=PATH, repeated; each is served at /db/NAME/ (MCP, health,
                metrics, dashboard), the first also at /, GET /databases lists them; they share the pool's readers,
                workers and queue bounds, and all but the first close when idle (--database-idle-close-secs).
                mcp: serves the same MCP tools over standard input and output, one JSON-RPC message per line, for an
                MCP client that launches the server as a child process; logs go to standard error. Takes the pool's
                options and --log-level; ends when its input ends.
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
        Setting<?> s = o.setting();
        String head = "  " + s.flag() + " " + s.placeholder();
        b.append(head).append(" ".repeat(Math.max(1, 40 - head.length()))).append(s.env())
                .append("  (default: ").append(o.defaultShown()).append(")\n")
                .append(wrap(s.doc() + " Allowed: " + s.allowed().replace("`", "") + ".", "      ", 110))
                .append('\n');
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

    private static List<Option> serverOptions() {
        List<Option> options = new ArrayList<>();
        ServerConfig.settings().forEach(s -> options.add(new Option(s, (d, source, v) -> d.server.set(s, source, v))));
        HttpLimits.settings().forEach(s -> options.add(new Option(s, (d, source, v) -> d.limits.set(s, source, v))));
        PostgresOptions.SETTINGS.forEach(s -> options.add(new Option(s, (d, source, v) -> {
            d.postgres.put(s, s.parse(source, v));
            d.postgresSources.put(s, source);
        })));
        options.add(new Option(LitePoolGroup.MAX_OPEN, (d, source, v) -> {
            d.maxOpen = LitePoolGroup.MAX_OPEN.parse(source, v);
            d.maxOpenSource = source;
        }));
        options.add(new Option(LitePoolGroup.IDLE_CLOSE,
                (d, source, v) -> d.idleClose = LitePoolGroup.IDLE_CLOSE.parse(source, v)));
        options.add(new Option(ServerLogging.LEVEL, (d, source, v) -> d.logLevel = ServerLogging.LEVEL.parse(source, v)));
        return List.copyOf(options);
    }

    /**
     * {@code --database}: a PostgreSQL URL, one SQLite file, or (repeated) {@code NAME=PATH} for each of several
     * files; a URL or a lone path may not be mixed with named files.
     */
    private static void database(Draft d, String source, String v) {
        Matcher named = NAMED.matcher(v);
        if (!PostgresOptions.isPostgres(v) && named.matches()) {
            if (d.unnamedSource != null || d.postgresUrl != null) {
                throw new IllegalArgumentException(source + " '" + v + "' names a database, but " + source
                        + " also gave " + (d.postgresUrl != null ? d.postgresUrl : "an unnamed file")
                        + "; name every file (NAME=PATH) or give just one");
            }
            String name = named.group(1);
            Path file = PoolConfig.DATABASE.parse(source, named.group(2));
            if (d.databases.containsKey(name)) {
                throw new IllegalArgumentException(source + " names database '" + name + "' twice ("
                        + d.databases.get(name) + " and " + file + ")");
            }
            if (d.databases.isEmpty()) {
                d.pool.set(PoolConfig.DATABASE, source, named.group(2)); // the template's file: the first one's
                d.databasesSource = source;
            }
            d.databases.put(name, file);
            return;
        }
        if (!d.databases.isEmpty()) {
            throw new IllegalArgumentException(source + " '" + v + "' does not name its database, but " + source
                    + " named " + String.join(", ", d.databases.keySet()) + "; give it as NAME=PATH");
        }
        if (PostgresOptions.isPostgres(v)) {
            d.postgresUrl = v;
            d.postgresSource = source;
        } else {
            d.postgresUrl = null;
            d.unnamedSource = source;
            d.pool.set(PoolConfig.DATABASE, source, v);
        }
    }

    /** A pool option, from its setting: the value is checked (naming the flag or variable) when applied. */
    private static Option pool(Setting<?> setting) {
        if (setting == PoolConfig.DATABASE) {
            return new Option(setting, "./" + setting.defaultValue(), ServeOptions::database);
        }
        return new Option(setting, (d, source, v) -> d.pool.set(setting, source, v));
    }
}
