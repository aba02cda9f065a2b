package dev.loraport;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing.
 *
 * @param items the items of this page, in the service's order; unmodifiable
 * @param nextCursor the cursor of the next page, or null when this is the last page
 * @param <T> the item type
 * @since 0.1
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

    /**
     * Copies the items and treats an empty cursor as the end of the listing.
     *
     * @param items the items of this page, in the service's order; unmodifiable
     * @param nextCursor the cursor of the next page, or null when this is the last page
     */
    public Page {
        items = List.copyOf(Objects.requireNonNull(items, "items == null"));
        if (nextCursor != null && nextCursor.isEmpty()) {
            nextCursor = null;
        }
    }

    /**
     * Whether another page follows.
     *
     * @return {@code true} when {@link #nextCursor()} is set
     */
    public boolean hasNext() {
        return nextCursor != null;
    }
}
