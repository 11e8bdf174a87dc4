package io.litepool.http.cli;

import io.litepool.PoolConfig;
import io.litepool.Setting;
import io.litepool.swarm.postgres.PostgresConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code serve --database postgresql://user@host:port/db}: the swarm stores on PostgreSQL instead of a SQLite file.
 * {@link PoolConfig#DATABASE} keeps its meaning for a path; a value that starts with {@code postgresql://} or
 * {@code jdbc:postgresql:} selects PostgreSQL, and these settings complete it.
 *
 * <p>The password is never a flag (a command line is visible to every user of the machine in {@code ps}) and never
 * part of the URL (which is logged and shown): it comes from {@link #PASSWORD_VARIABLES} or from
 * {@link #PASSWORD_FILE}. A URL with a password in it is refused, and the refusal shows the URL without it.
 */
final class PostgresOptions {

    /** The role, when the URL does not name one (a URL and this naming two roles is refused). */
    static final Setting<String> USER = Setting.text("databaseUser", "LITEPOOL_DATABASE_USER", null, "none",
            "PostgreSQL: the role to connect as, when the URL names none (postgresql://ROLE@host/db also works).")
            .withPlaceholder("ROLE");
    /** A file whose first line is the password, for secrets mounted as files (Docker, Kubernetes). */
    static final Setting<Path> PASSWORD_FILE = Setting.path("databasePasswordFile", "LITEPOOL_DATABASE_PASSWORD_FILE",
            "a file path", null, "none",
            "PostgreSQL: a file whose first line is the password; without it the password comes from "
                    + "LITEPOOL_PG_PASSWORD, else PGPASSWORD, else none.");
    /** A schema of the server's own (created if missing), so that several deployments can share one database. */
    static final Setting<String> SCHEMA = Setting.text("databaseSchema", "LITEPOOL_DATABASE_SCHEMA", null, "none",
            "PostgreSQL: the schema for the swarm tables, created if missing; without it the server's search_path "
                    + "decides.").withPlaceholder("NAME");

    /** Each node opens up to this many; PostgreSQL's own limit ({@code max_connections}) is shared by every node. */
    static final Setting<Integer> MAX_CONNECTIONS = Setting.integer("databaseMaxConnections",
            "LITEPOOL_DATABASE_MAX_CONNECTIONS", "connections", 1, 1000, PostgresConfig.DEFAULT_MAX_CONNECTIONS,
            "PostgreSQL: the most connections this node opens (HikariCP); every node's count together must stay "
                    + "under the server's max_connections.");
    /** How long a call waits for a free connection before it fails (and the swarm layer retries it). */
    static final Setting<Duration> ACQUIRE_TIMEOUT = Setting.duration("databaseAcquireTimeout",
            "LITEPOOL_DATABASE_ACQUIRE_TIMEOUT_MS", ChronoUnit.MILLIS, Duration.ofMillis(250), Duration.ofMinutes(10),
            PostgresConfig.DEFAULT_ACQUIRE_TIMEOUT,
            "PostgreSQL: how long a call waits for a free connection (or for the server to answer a new one) before "
                    + "it fails.");

    /** The settings that mean something only with a PostgreSQL URL, in the order --help shows them. */
    static final List<Setting<?>> SETTINGS = List.of(USER, PASSWORD_FILE, SCHEMA, MAX_CONNECTIONS, ACQUIRE_TIMEOUT);

    /** Where the password is read from when no {@link #PASSWORD_FILE} is given, first found wins. */
    static final List<String> PASSWORD_VARIABLES = List.of("LITEPOOL_PG_PASSWORD", "PGPASSWORD");

    /** {@code scheme://[user[:password]@]rest}: the user info is taken apart, the rest goes to the driver. */
    private static final Pattern USER_INFO = Pattern.compile("^((?:jdbc:)?postgresql://)([^/@?#]*)@(.*)$");

    private PostgresOptions() {
    }

    /** Whether {@code --database}'s value names PostgreSQL rather than a SQLite file. */
    static boolean isPostgres(String database) {
        String d = database.strip().toLowerCase(Locale.ROOT);
        return d.startsWith("postgresql:") || d.startsWith("jdbc:postgresql:") || d.startsWith("postgres:");
    }

    /**
     * The PostgreSQL configuration from the URL (given through {@code source}), the role setting (null when unset),
     * the password file (null when unset) and the environment; the caller sets the rest.
     *
     * @throws IllegalArgumentException naming the URL (without a password) and what is wrong
     */
    static PostgresConfig.Builder config(String source, String url, String user, Path passwordFile,
                                         Map<String, String> env) {
        String u = url.strip();
        if (u.toLowerCase(Locale.ROOT).startsWith("postgres:")) {
            throw new IllegalArgumentException(source + " must be postgresql://host[:port]/database or "
                    + "jdbc:postgresql://host[:port]/database, got '" + redact(u) + "' (write postgresql://)");
        }
        if (u.toLowerCase(Locale.ROOT).matches(".*[?&]password=.*")) {
            throw new IllegalArgumentException(source + " must not contain a password, got '" + redact(u)
                    + "': give it in " + String.join(" or ", PASSWORD_VARIABLES) + ", or in a file through "
                    + PASSWORD_FILE.flag());
        }
        Matcher m = USER_INFO.matcher(u);
        if (m.matches()) {
            String info = m.group(2);
            int lastHost = info.lastIndexOf(',');
            if (lastHost >= 0 && !info.substring(lastHost).contains(":")) { // h1[:p1],ROLE@h2: a role after a host
                throw new IllegalArgumentException(source + " has a role after a host, got '" + u + "': the role "
                        + "goes before the first host (postgresql://ROLE@host1:port1,host2:port2/database)");
            }
            if (info.contains(":")) {
                throw new IllegalArgumentException(source + " must not contain a password, got '" + redact(u)
                        + "': give it in " + String.join(" or ", PASSWORD_VARIABLES) + ", or in a file through "
                        + PASSWORD_FILE.flag());
            }
            if (info.isEmpty()) {
                throw new IllegalArgumentException(source + " has an empty role before '@', got '" + u + "'");
            }
            if (user != null && !user.equals(info)) {
                throw new IllegalArgumentException(source + " names the role '" + info + "' but " + USER.flag()
                        + " says '" + user + "'; give one");
            }
            user = info;
            u = m.group(1) + m.group(3);
        }
        PostgresConfig.Builder b;
        try {
            b = PostgresConfig.builder(u).name("litepool-pg");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        if (user != null) {
            b.user(user);
        }
        String password = password(passwordFile, env);
        if (password != null) {
            b.password(password);
        }
        return b;
    }

    /** The password from the file, else the first variable set; null if none. */
    private static String password(Path file, Map<String, String> env) {
        if (file != null) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty()) {
                    throw new IllegalArgumentException(PASSWORD_FILE.flag() + " " + file + " is empty; its first "
                            + "line must be the password");
                }
                return lines.get(0);
            } catch (IOException e) {
                throw new IllegalArgumentException(PASSWORD_FILE.flag() + " " + file + " cannot be read: "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
            }
        }
        for (String variable : PASSWORD_VARIABLES) {
            String v = env.get(variable);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** {@code url} with the password of its user info (if any) replaced by {@code ***}. */
    static String redact(String url) {
        return url.replaceFirst("^((?:jdbc:)?postgres(?:ql)?://[^/@?#:]*):[^/@?#]*@", "$1:***@")
                .replaceAll("(?i)([?&]password=)[^&#]*", "$1***");
    }
}
