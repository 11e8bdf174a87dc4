package io.litepool.swarm.postgres;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach PostgreSQL: the URL, the user and password, and the connection pool's size and timeout. Immutable;
 * built with {@link #builder(String)}, which checks every value as it is set. {@link #toString()} never shows the
 * password.
 *
 * @param url                 {@code jdbc:postgresql://host:port/database}, or the same without {@code jdbc:}
 *                            ({@code postgresql://...}); no user or password inside it. For a primary and its
 *                            standbys, pgjdbc's multi-host form, {@code jdbc:postgresql://h1:p1,h2:p2/database?
 *                            targetServerType=primary}: each new connection goes to whichever host is the primary
 * @param user                the role to connect as; null for the driver's default (the OS user)
 * @param password            the role's password; null for none (trust, peer or a {@code .pgpass} file)
 * @param name                the name every message and thread of this database starts with
 * @param schema              the schema the swarm tables live in; null for the server's {@code search_path}
 * @param maxConnections      the most connections the pool opens, from 1 to 1000
 * @param acquireTimeout      how long a call waits for a free connection, from 250 ms to 10 minutes
 */
public record PostgresConfig(String url, String user, String password, String name, String schema,
                             int maxConnections, Duration acquireTimeout) {
    /** The default pool size: PostgreSQL serves a few busy connections per core best. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10;
    /** The default wait for a free connection. */
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);
    /** The default name. */
    public static final String DEFAULT_NAME = "litepool-pg";

    private static final Pattern URL = Pattern.compile("(jdbc:)?postgresql://[^/@?#\\s]+(/[^?#\\s]*)?(\\?[^#\\s]*)?");
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PostgresConfig {
        Objects.requireNonNull(url, "url must not be null");
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(acquireTimeout, "acquireTimeout must not be null");
    }

    /** A builder for {@code url}: {@code jdbc:postgresql://host:port/database} or {@code postgresql://...}. */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** The JDBC URL the driver is given. */
    String jdbcUrl() {
        return url.startsWith("jdbc:") ? url : "jdbc:" + url;
    }

    /** The URL without its query (which may hold options a log need not show), for messages. */
    String location() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /**
     * What is legal but likely wrong in this configuration, one sentence each (the database logs them when it opens):
     * today, several hosts without {@code targetServerType}, with which pgjdbc connects to the first host that
     * answers, a standby included, which refuses every write.
     */
    public List<String> warnings() {
        int hostsStart = url.indexOf("//") + 2;
        int hostsEnd = url.indexOf('/', hostsStart);
        String hosts = url.substring(hostsStart, hostsEnd < 0 ? url.length() : hostsEnd);
        int query = url.indexOf('?');
        String options = query < 0 ? "" : url.substring(query + 1);
        boolean chooses = Arrays.stream(options.split("&")).anyMatch(o -> o.startsWith("targetServerType="));
        if (hosts.contains(",") && !chooses) {
            return List.of(location() + " names several hosts without targetServerType: the driver connects to the "
                    + "first that answers, which may be a standby that refuses every write; add "
                    + "?targetServerType=primary");
        }
        return List.of();
    }

    @Override
    public String toString() {
        return "PostgresConfig[url=" + location() + ", user=" + user + ", password=" + (password == null ? "none"
                : "(set)") + ", name=" + name + ", schema=" + schema + ", maxConnections=" + maxConnections
                + ", acquireTimeout=" + acquireTimeout + "]";
    }

    /** Builds a {@link PostgresConfig}; each setter refuses a bad value at once, naming it. Not thread-safe. */
    public static final class Builder {
        private final String url;
        private String user;
        private String password;
        private String name = DEFAULT_NAME;
        private String schema;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;

        private Builder(String url) {
            Objects.requireNonNull(url, "url must not be null");
            if (!URL.matcher(url).matches()) {
                throw new IllegalArgumentException("url must be jdbc:postgresql://host[:port]/database or "
                        + "postgresql://host[:port]/database, without a user or password (set those with user() "
                        + "and password()); got '" + (url.contains("@") ? "(a URL with credentials)" : url) + "'");
            }
            this.url = url;
        }

        /** The role to connect as. */
        public Builder user(String user) {
            this.user = Objects.requireNonNull(user, "user must not be null");
            return this;
        }

        /** The role's password; kept out of every message and log. */
        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password must not be null");
            return this;
        }

        /** The name messages and threads start with; {@value #DEFAULT_NAME} by default. */
        public Builder name(String name) {
            if (name == null || name.isBlank() || name.length() > 64) {
                throw new IllegalArgumentException("name must be a non-blank string of at most 64 characters; got "
                        + (name == null ? "null" : "'" + name + "'"));
            }
            this.name = name;
            return this;
        }

        /** The schema the swarm tables live in (created if missing); the server's search_path by default. */
        public Builder schema(String schema) {
            if (schema == null || !SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("schema must be a lower-case PostgreSQL identifier (a-z, 0-9, _, "
                        + "at most 63 characters, not starting with a digit); got "
                        + (schema == null ? "null" : "'" + schema + "'"));
            }
            this.schema = schema;
            return this;
        }

        /** The most connections, from 1 to 1000; {@value #DEFAULT_MAX_CONNECTIONS} by default. */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1 || maxConnections > 1000) {
                throw new IllegalArgumentException("maxConnections must be from 1 to 1000; got " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** How long a call waits for a free connection, from 250 ms to 10 minutes; 30 s by default. */
        public Builder acquireTimeout(Duration acquireTimeout) {
            Objects.requireNonNull(acquireTimeout, "acquireTimeout must not be null");
            if (acquireTimeout.compareTo(Duration.ofMillis(250)) < 0
                    || acquireTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("acquireTimeout must be from 250 ms to 10 minutes; got "
                        + acquireTimeout);
            }
            this.acquireTimeout = acquireTimeout;
            return this;
        }

        public PostgresConfig build() {
            return new PostgresConfig(url, user, password, name, schema, maxConnections, acquireTimeout);
        }
    }
}
