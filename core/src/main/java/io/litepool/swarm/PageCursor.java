package io.litepool.swarm;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * The cursors of {@link Page}: a listing's position (a row's place in its order, an integer) with a checksum of the
 * listing it belongs to (the method and its arguments), as unpadded base64url text. The checksum lets a cursor
 * passed to the wrong listing - another swarm, another status filter, another kind of row - be refused with a
 * message rather than silently start somewhere else. Opaque to callers, so its form may change.
 */
final class PageCursor {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private PageCursor() {
    }

    /** The cursor of {@code listing} that starts after {@code position}. */
    static String encode(String listing, long position) {
        String text = position + "." + Long.toHexString(checksum(listing));
        return ENCODER.encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The position {@code cursor} names in {@code listing}, or {@code first} when {@code cursor} is null.
     *
     * @param description what the listing is, for the message ("memory of agent 'a1'")
     * @throws IllegalArgumentException if {@code cursor} was not returned by this listing
     */
    static long decode(String listing, String description, String cursor, long first) {
        if (cursor == null) {
            return first;
        }
        try {
            String text = new String(DECODER.decode(cursor), StandardCharsets.US_ASCII);
            int dot = text.indexOf('.');
            if (dot > 0 && Long.parseUnsignedLong(text.substring(dot + 1), 16) == checksum(listing)) {
                return Long.parseLong(text.substring(0, dot));
            }
        } catch (IllegalArgumentException e) { // bad base64 or number
            // fall through to the message
        }
        String shown = Validation.unpairedSurrogate(cursor) == null ? "'" + Validation.abbreviate(cursor) + "'"
                : "(text that is not valid Unicode)";
        throw new IllegalArgumentException("cursor " + shown + " was not returned by the listing of " + description
                + "; pass the nextCursor of its previous page, or null for the first");
    }

    private static long checksum(String listing) {
        CRC32 crc = new CRC32();
        crc.update(listing.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
