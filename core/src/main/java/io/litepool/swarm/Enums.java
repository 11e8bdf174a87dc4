package io.litepool.swarm;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parses the stored lowercase names of the swarm enums, with one message shape for every enum. */
final class Enums {
    private Enums() {
    }

    /**
     * The constant of {@code values} whose stored name is {@code text}, ignoring case.
     *
     * @throws IllegalArgumentException naming {@code field}, the value and the allowed values
     */
    static <E extends Enum<E>> E parse(E[] values, Function<E, String> stored, String field, String text) {
        if (text != null) {
            String wanted = text.toLowerCase(Locale.ROOT);
            for (E e : values) {
                if (stored.apply(e).equals(wanted)) {
                    return e;
                }
            }
        }
        throw new IllegalArgumentException(field + " must be one of " + allowed(values, stored) + "; got "
                + (text == null ? "null" : "'" + Validation.abbreviate(text) + "'"));
    }

    static <E extends Enum<E>> String allowed(E[] values, Function<E, String> stored) {
        return Arrays.stream(values).map(stored).collect(Collectors.joining(", "));
    }
}
