package io.litepool;

import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One configuration value, defined once: its name (the builder method and record component), its environment
 * variable and command-line flag, its unit and bounds, its default and one line of documentation. The builder's
 * setter, the record's constructor, the environment parsing, the server's flags and {@code --help}, and the table in
 * docs/configuration.md all come from this one definition, so they cannot drift apart.
 *
 * <p>Messages name what the value came through - the setting ("maxReaders must be from 1 to 64, got 0"), the
 * variable or the flag ("POOL_MAX_READERS must be an integer from 1 to 64, got 'abc'") - the value, and what is
 * allowed. Immutable and thread-safe.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {
    private final String name;
    private final String env;
    private final String unit;
    private final T defaultValue;
    private final String defaultText;
    private final String doc;
    private final String placeholder;
    private final Kind<T> kind;

    private Setting(String name, String env, String unit, T defaultValue, String defaultText, String doc,
                    String placeholder, Kind<T> kind) {
        this.placeholder = placeholder;
        this.name = name;
        this.env = env;
        this.unit = unit;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.doc = doc;
        this.kind = kind;
    }

    /** How one type of value is checked, read from text and described. */
    private interface Kind<T> {
        /** {@code value} if allowed, else an exception whose message starts with {@code what}. */
        T check(String what, T value);

        /** The value {@code text} stands for; the message of a refusal starts with {@code source}. */
        T parse(String source, String text);

        /** What is allowed, as the docs and {@code --help} show it: "1 - 64", "true or false". */
        String allowed();
    }

    /** An {@code int} from {@code min} to {@code max}. */
    public static Setting<Integer> integer(String name, String env, String unit, int min, int max, int defaultValue,
                                           String doc) {
        Kind<Long> range = new Whole(min, max);
        return new Setting<>(name, env, unit, defaultValue, Integer.toString(defaultValue), doc, number(unit),
                new Kind<>() {
            @Override
            public Integer check(String what, Integer value) {
                Objects.requireNonNull(value, what + " must not be null");
                return range.check(what, (long) value).intValue();
            }

            @Override
            public Integer parse(String source, String text) {
                return range.parse(source, text).intValue();
            }

            @Override
            public String allowed() {
                return range.allowed();
            }
        });
    }

    /** A {@code long} from {@code min} to {@code max}. */
    public static Setting<Long> longInteger(String name, String env, String unit, long min, long max,
                                            long defaultValue, String doc) {
        return new Setting<>(name, env, unit, defaultValue, Long.toString(defaultValue), doc, number(unit),
                new Whole(min, max));
    }

    /**
     * A duration from {@code min} to {@code max}, given in whole {@code unit}s (milliseconds or seconds) through the
     * variable and the flag, so that huge values cannot overflow anything downstream (Duration.toNanos does past
     * 292 years; SQLite takes an int of milliseconds).
     */
    public static Setting<Duration> duration(String name, String env, java.time.temporal.ChronoUnit unit,
                                             Duration min, Duration max, Duration defaultValue, String doc) {
        Durations kind = new Durations(unit, min, max);
        return new Setting<>(name, env, kind.unitName, defaultValue, Long.toString(kind.toUnits(defaultValue)), doc,
                kind.unitName.equals("ms") ? "MS" : "SECONDS", kind);
    }

    /** {@code true} or {@code false} (also {@code 1}/{@code 0}, {@code yes}/{@code no} as text). */
    public static Setting<Boolean> bool(String name, String env, boolean defaultValue, String doc) {
        return new Setting<>(name, env, "", defaultValue, Boolean.toString(defaultValue), doc, "BOOL", new Kind<>() {
            @Override
            public Boolean check(String what, Boolean value) {
                return Objects.requireNonNull(value, what + " must not be null");
            }

            @Override
            public Boolean parse(String source, String text) {
                return switch (text.strip().toLowerCase(Locale.ROOT)) {
                    case "true", "1", "yes" -> true;
                    case "false", "0", "no" -> false;
                    default -> throw bad(source, "true or false", text);
                };
            }

            @Override
            public String allowed() {
                return "`true`/`false` (also `1`/`0`, `yes`/`no`)";
            }
        });
    }

    /** Text that is not blank. */
    public static Setting<String> text(String name, String env, String defaultValue, String doc) {
        return new Setting<>(name, env, "", defaultValue, defaultValue, doc, "TEXT", new Kind<>() {
            @Override
            public String check(String what, String value) {
                Objects.requireNonNull(value, what + " must not be null");
                if (value.isBlank()) {
                    throw new IllegalArgumentException(what + " must not be blank, got '" + value + "'");
                }
                return value;
            }

            @Override
            public String parse(String source, String text) {
                if (text.isBlank()) {
                    throw bad(source, "a non-empty value", text);
                }
                return text.strip();
            }

            @Override
            public String allowed() {
                return "any text";
            }
        });
    }

    /**
     * A path ({@code what} says of what: "a file path"); {@code defaultText} describes the default when it is
     * derived from other settings.
     */
    public static Setting<Path> path(String name, String env, String what, Path defaultValue, String defaultText,
                                     String doc) {
        return new Setting<>(name, env, "", defaultValue, defaultText, doc, "PATH", new Kind<>() {
            @Override
            public Path check(String name, Path value) {
                return Objects.requireNonNull(value, name + " must not be null");
            }

            @Override
            public Path parse(String source, String text) {
                if (text.isBlank()) {
                    throw bad(source, "a non-empty value", text);
                }
                try {
                    return Path.of(text.strip());
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException(source + " must be " + what + ", got '" + printable(text)
                            + "': " + e.getReason(), e);
                }
            }

            @Override
            public String allowed() {
                return what;
            }
        });
    }

    /** One of an enum's constants, by name in any case. */
    public static <E extends Enum<E>> Setting<E> choice(String name, String env, Class<E> type, E defaultValue,
                                                        String doc) {
        String names = alternatives(Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
        return new Setting<>(name, env, "", defaultValue, defaultValue.name(), doc, "MODE", new Kind<>() {
            @Override
            public E check(String what, E value) {
                return Objects.requireNonNull(value, what + " must not be null");
            }

            @Override
            public E parse(String source, String text) {
                try {
                    return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw bad(source, names, text);
                }
            }

            @Override
            public String allowed() {
                return alternatives(Arrays.stream(type.getEnumConstants()).map(c -> "`" + c.name() + "`").toList());
            }
        });
    }

    /**
     * A set of names compared without regard to case ({@code what} says of what: "browser origins"): each is
     * stripped and lower-cased, and a blank one is refused. As text it is comma-separated, and empty items are
     * skipped, so {@code "a, b,"} is {@code {a, b}}. The default is the empty set, which {@code defaultText}
     * describes ("loopback origins only").
     */
    public static Setting<Set<String>> names(String name, String env, String what, String defaultText, String doc) {
        return new Setting<>(name, env, "", Set.of(), defaultText, doc, "LIST", new Kind<>() {
            @Override
            public Set<String> check(String source, Set<String> values) {
                Objects.requireNonNull(values, source + " must not be null");
                Set<String> out = new TreeSet<>();
                for (String v : values) {
                    if (v == null || v.isBlank()) {
                        throw new IllegalArgumentException(source + " must not contain blank entries, got " + values);
                    }
                    out.add(v.strip().toLowerCase(Locale.ROOT));
                }
                return Set.copyOf(out);
            }

            @Override
            public Set<String> parse(String source, String text) {
                Set<String> values = new LinkedHashSet<>();
                for (String item : text.split(",")) {
                    if (!item.isBlank()) {
                        values.add(item.strip());
                    }
                }
                return values;
            }

            @Override
            public String allowed() {
                return "comma-separated " + what;
            }
        });
    }

    /**
     * A secret, such as a bearer token: at least {@code minLength} visible ASCII characters, no default (null:
     * none). A refusal gives its length, never the text, so the secret cannot reach a log line or a terminal.
     */
    public static Setting<String> secret(String name, String env, int minLength, String doc) {
        String allowed = "at least " + minLength + " visible ASCII characters";
        return new Setting<>(name, env, "", null, "none", doc, "SECRET", new Kind<>() {
            @Override
            public String check(String source, String value) {
                Objects.requireNonNull(value, source + " must not be null");
                if (value.length() < minLength || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                    throw new IllegalArgumentException(source + " must be " + allowed + ", got " + value.length()
                            + " characters");
                }
                return value;
            }

            @Override
            public String parse(String source, String text) {
                return text; // as given: the check that follows refuses spaces and controls, it does not strip them
            }

            @Override
            public String allowed() {
                return allowed;
            }
        });
    }

    /** The builder method and record component: {@code maxReaders}. */
    public String name() {
        return name;
    }

    /** The environment variable: {@code POOL_MAX_READERS}; null for a setting made in code only. */
    public String env() {
        return env;
    }

    /**
     * The command-line flag: the variable without its prefix, in lower case with dashes ({@code --max-readers});
     * null for a setting that has no variable.
     */
    public String flag() {
        if (env == null) {
            return null;
        }
        String rest = env;
        for (String prefix : new String[] {"POOL_", "LITEPOOL_HTTP_", "LITEPOOL_"}) {
            if (rest.startsWith(prefix)) {
                rest = rest.substring(prefix.length());
                break;
            }
        }
        return "--" + rest.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What a flag's value is called in {@code --help}: {@code N}, {@code BYTES}, {@code MS}, {@code PATH}, ... */
    public String placeholder() {
        return placeholder;
    }

    /**
     * This setting with another name for its value in {@code --help}, where the kind's own ({@code TEXT}, {@code N})
     * says less than the setting's ({@code ADDRESS}, {@code PORT}).
     */
    public Setting<T> withPlaceholder(String placeholder) {
        return new Setting<>(name, env, unit, defaultValue, defaultText, doc,
                Objects.requireNonNull(placeholder, "placeholder must not be null"), kind);
    }

    private static String number(String unit) {
        return unit.equals("bytes") ? "BYTES" : "N";
    }

    /** The unit of the variable's and flag's number ("ms", "bytes", "connections"), or empty. */
    public String unit() {
        return unit;
    }

    /** What values are allowed, as the docs show it. */
    public String allowed() {
        return kind.allowed();
    }

    /** The default value (null where it is derived from other settings; see {@link #defaultText()}). */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as the variable would spell it, or a description of how it is derived. */
    public String defaultText() {
        return defaultText;
    }

    /** One line of documentation: what the setting does. */
    public String doc() {
        return doc;
    }

    /**
     * {@code value} if it is allowed.
     *
     * @throws NullPointerException     for null: "maxReaders must not be null"
     * @throws IllegalArgumentException otherwise: "maxReaders must be from 1 to 64, got 0"
     */
    public T check(T value) {
        return kind.check(name, value);
    }

    /**
     * The value {@code text} stands for, read from the environment variable or a flag named {@code source}.
     *
     * @throws IllegalArgumentException naming {@code source}, the text and what is allowed
     */
    public T parse(String source, String text) {
        Objects.requireNonNull(text, source + " must not be null");
        return kind.check(source, kind.parse(source, text));
    }

    @Override
    public String toString() {
        return name + " (" + env + ")";
    }

    /**
     * {@code settings} as the Markdown table the docs hold (docs/configuration.md, docs/http.md): a test compares
     * the two, so a setting's docs change with its definition.
     */
    public static String markdownTable(List<Setting<?>> settings) {
        StringBuilder b = new StringBuilder("""
                | setting | variable | flag | default | unit | allowed | what it does |
                |---|---|---|---|---|---|---|
                """);
        for (Setting<?> s : settings) {
            b.append("| `").append(s.name).append("` | `").append(s.env).append("` | `").append(s.flag())
                    .append("` | ").append(s.defaultText).append(" | ").append(s.unit).append(" | ")
                    .append(s.allowed()).append(" | ").append(s.doc).append(" |\n");
        }
        return b.toString();
    }

    /** "A or B", "A, B or C". */
    private static String alternatives(List<String> options) {
        int last = options.size() - 1;
        return last < 1 ? String.join("", options)
                : String.join(", ", options.subList(0, last)) + " or " + options.get(last);
    }

    private static IllegalArgumentException bad(String source, String expected, String text) {
        return new IllegalArgumentException(source + " must be " + expected + ", got '" + printable(text) + "'");
    }

    /** {@code value} with each control character (a NUL, a newline) as a Java escape, safe in a log line. */
    static String printable(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Whole numbers from min to max; the variable's text must be one. */
    private record Whole(long min, long max) implements Kind<Long> {
        @Override
        public Long check(String what, Long value) {
            Objects.requireNonNull(value, what + " must not be null");
            if (value < min || value > max) {
                throw new IllegalArgumentException(what + " must be from " + min + " to " + max + ", got " + value);
            }
            return value;
        }

        @Override
        public Long parse(String source, String text) {
            try {
                long v = Long.parseLong(text.strip());
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // the message below says what is allowed
            }
            throw bad(source, unbounded() ? "an integer" : "an integer from " + min + " to " + max, text);
        }

        private boolean unbounded() {
            return min == Integer.MIN_VALUE && max == Integer.MAX_VALUE
                    || min == Long.MIN_VALUE && max == Long.MAX_VALUE;
        }

        @Override
        public String allowed() {
            return unbounded() ? "any integer" : max == Long.MAX_VALUE ? ">= " + min : min + " - " + max;
        }
    }

    /** Durations, whole units through text. */
    private static final class Durations implements Kind<Duration> {
        /** The units of {@link #readable}, longest first. */
        private enum Unit {
            DAYS("d", 86_400_000_000_000L), HOURS("h", 3_600_000_000_000L), MINUTES("m", 60_000_000_000L),
            SECONDS("s", 1_000_000_000L), MILLIS("ms", 1_000_000L), MICROS("us", 1_000L), NANOS("ns", 1L);

            final String symbol;
            final BigInteger nanos;

            Unit(String symbol, long nanos) {
                this.symbol = symbol;
                this.nanos = BigInteger.valueOf(nanos);
            }
        }

        /** Below this, whole days are written as hours: a bound of a day reads "24h", as people write it. */
        private static final BigInteger TWO_DAYS = Unit.DAYS.nanos.shiftLeft(1);

        private final java.time.temporal.ChronoUnit unit;
        private final String unitName;
        private final Duration min;
        private final Duration max;

        Durations(java.time.temporal.ChronoUnit unit, Duration min, Duration max) {
            if (unit != java.time.temporal.ChronoUnit.MILLIS && unit != java.time.temporal.ChronoUnit.SECONDS) {
                throw new IllegalArgumentException("durations are given in milliseconds or seconds, not " + unit);
            }
            this.unit = unit;
            this.unitName = unit == java.time.temporal.ChronoUnit.MILLIS ? "ms" : "s";
            this.min = min;
            this.max = max;
        }

        long toUnits(Duration d) {
            return unit == java.time.temporal.ChronoUnit.MILLIS ? d.toMillis() : d.toSeconds();
        }

        @Override
        public Duration check(String what, Duration value) {
            Objects.requireNonNull(value, what + " must not be null");
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(what + " must be from " + readable(min) + " to " + readable(max)
                        + ", got " + readable(value));
            }
            return value;
        }

        @Override
        public Duration parse(String source, String text) {
            try {
                long n = Long.parseLong(text.strip());
                if (n >= toUnits(min) && n <= toUnits(max)) {
                    return Duration.of(n, unit);
                }
            } catch (NumberFormatException e) {
                // the message below says what is allowed
            }
            throw bad(source, "an integer from " + toUnits(min) + " to " + toUnits(max) + " ("
                    + (unitName.equals("ms") ? "milliseconds" : "seconds") + ", at most " + readable(max) + ")", text);
        }

        @Override
        public String allowed() {
            return toUnits(min) + " - " + toUnits(max) + " (" + readable(min) + " to " + readable(max) + ")";
        }
    }

    /**
     * {@code value} in days (from two days up), hours, minutes, seconds and smaller units, leaving out the zero ones
     * ("24h", "36h1s", "365d", "-5ms", "500us"); exact for every Duration, including those too long for
     * {@link Duration#toMillis}.
     */
    public static String readable(Duration value) {
        BigInteger nanos = BigInteger.valueOf(value.getSeconds()).multiply(Durations.Unit.SECONDS.nanos)
                .add(BigInteger.valueOf(value.getNano()));
        if (nanos.signum() == 0) {
            return "0ms";
        }
        StringBuilder b = new StringBuilder(nanos.signum() < 0 ? "-" : "");
        BigInteger rest = nanos.abs();
        for (Durations.Unit u : Durations.Unit.values()) {
            if (u == Durations.Unit.DAYS && rest.compareTo(Durations.TWO_DAYS) < 0) {
                continue;
            }
            BigInteger[] split = rest.divideAndRemainder(u.nanos);
            if (split[0].signum() > 0) {
                b.append(split[0]).append(u.symbol);
            }
            rest = split[1];
        }
        return b.toString();
    }
}
