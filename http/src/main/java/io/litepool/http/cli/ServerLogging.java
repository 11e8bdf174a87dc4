package io.litepool.http.cli;

import io.litepool.Setting;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's logging: slf4j-simple's level ({@code --log-level}, {@code LITEPOOL_LOG_LEVEL}) and format. The
 * provider reads its settings once, at the first logger any class creates, so {@link Main} sets them before it
 * touches anything else; this class must therefore create no logger and load no class that does (the options'
 * classes do: reading the level through them started the provider with its defaults, and the level was ignored).
 */
final class ServerLogging {
    /** slf4j-simple's levels, most verbose first. */
    enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    /** Read by {@link Main} before anything logs, and checked with the other options by {@link ServeOptions#parse}. */
    static final Setting<Level> LEVEL = Setting.choice("logLevel", "LITEPOOL_LOG_LEVEL", Level.class,
            Level.INFO, "How much the server logs (slf4j-simple's level).").withPlaceholder("LEVEL");

    private ServerLogging() {
    }

    /** The level asked for by the command line or the environment, unchecked (parsing checks it). */
    static String requestedLevel(List<String> args, Map<String, String> env) {
        String flag = LEVEL.flag();
        String level = env.getOrDefault(LEVEL.env(), LEVEL.defaultText());
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).startsWith(flag + "=")) {
                level = args.get(i).substring(flag.length() + 1);
            } else if (args.get(i).equals(flag) && i + 1 < args.size()) {
                level = args.get(i + 1);
            }
        }
        return level.strip().toLowerCase(Locale.ROOT);
    }

    /** Sets slf4j-simple's level and format, unless a {@code -D} on the command line already did. */
    static void configure(String level) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
