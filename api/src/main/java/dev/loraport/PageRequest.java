package dev.loraport;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which page of the account's jobs to list.
 *
 * @param cursor the opaque cursor from the previous {@link Page#nextCursor()}, or null for the first page
 * @param limit how many items at most, 1 to {@value #MAX_LIMIT}
 * @since 0.1
 */
public record PageRequest(@Nullable String cursor, int limit) {

    /** The largest page any provider is asked for. */
    public static final int MAX_LIMIT = 100;

    /**
     * Rejects a limit outside 1..{@value #MAX_LIMIT} and an empty cursor.
     *
     * @param cursor the opaque cursor from the previous {@link Page#nextCursor()}, or null for the first page
     * @param limit how many items at most, 1 to {@value #MAX_LIMIT}
     */
    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: " + limit + " is out of range; allowed 1.." + MAX_LIMIT);
        }
        if (cursor != null && cursor.isEmpty()) {
            cursor = null;
        }
    }

    /**
     * The first page.
     *
     * @param limit items per page, 1 to {@value #MAX_LIMIT}
     * @return a request without cursor
     */
    public static PageRequest first(int limit) {
        return new PageRequest(null, limit);
    }

    /**
     * The page after a cursor.
     *
     * @param cursor the cursor a previous page returned
     * @param limit items per page, 1 to {@value #MAX_LIMIT}
     * @return a request for the next page
     */
    public static PageRequest after(String cursor, int limit) {
        return new PageRequest(cursor, limit);
    }

    /**
     * The cursor, if this is not the first page.
     *
     * @return the cursor, or empty for the first page
     */
    public Optional<String> cursorValue() {
        return Optional.ofNullable(cursor);
    }
}
