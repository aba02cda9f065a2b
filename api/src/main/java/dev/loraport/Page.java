package dev.loraport;

import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing. {@link #streamAll(TrainingProvider, int)} streams every task of an account across pages,
 * fetching one page at a time.
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

    /**
     * The most pages {@link #streamAll(TrainingProvider, int)} reads before it stops: a million tasks at 100 per
     * page, far beyond any real account, and a bound on a service that hands out new cursors forever.
     */
    public static final int DEFAULT_MAX_PAGES = 10_000;

    /**
     * Every task of the account, page by page, at most {@value #DEFAULT_MAX_PAGES} pages. Lazy: a page is fetched
     * only when the stream reaches it, and only one page is held at a time.
     *
     * @param provider the provider
     * @param pageSize items per page, 1 to {@value PageRequest#MAX_LIMIT}
     * @return a sequential stream of tasks
     * @throws MalformedResponseException (while streaming) when the service returns a cursor it returned
     *     before, which would loop forever, or more pages than the cap
     */
    public static Stream<TrainingTask> streamAll(TrainingProvider provider, int pageSize) {
        Objects.requireNonNull(provider, "provider == null");
        return streamAll(provider.info().id(), provider::list, pageSize, DEFAULT_MAX_PAGES);
    }

    /**
     * Every item of any paged listing.
     *
     * @param providerId the provider id, for error messages
     * @param fetch fetches one page
     * @param pageSize items per page, 1 to {@value PageRequest#MAX_LIMIT}
     * @param maxPages the most pages to read, 1 or more
     * @param <T> the item type
     * @return a sequential stream of items
     * @throws MalformedResponseException (while streaming) on a repeated cursor, or when a page past
     *     {@code maxPages} would be needed
     */
    public static <T> Stream<T> streamAll(
            String providerId, Function<PageRequest, Page<T>> fetch, int pageSize, int maxPages) {
        Objects.requireNonNull(providerId, "providerId == null");
        Objects.requireNonNull(fetch, "fetch == null");
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages: " + maxPages + " is out of range; allowed 1 or more");
        }
        PageRequest first = PageRequest.first(pageSize);
        Iterator<T> it = new Iterator<>() {
            // Only cursors are remembered, never items, so memory grows with pages, not tasks.
            private final Set<String> seen = new HashSet<>();
            private @Nullable PageRequest next = first;
            private Iterator<T> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && next != null) {
                    Page<T> page = fetch.apply(next);
                    current = page.items().iterator();
                    String cursor = page.nextCursor();
                    if (cursor == null) {
                        next = null;
                    } else if (seen.size() + 1 >= maxPages) {
                        throw new MalformedResponseException(
                                providerId,
                                "list",
                                "the listing goes on past " + maxPages
                                        + " pages; stopping (the service may be handing out new cursors forever)",
                                null,
                                null,
                                null);
                    } else if (!seen.add(cursor)) {
                        throw new MalformedResponseException(
                                providerId,
                                "list",
                                "the service returned cursor '" + cursor
                                        + "' twice; stopping to avoid an endless listing",
                                null,
                                null,
                                null);
                    } else {
                        next = PageRequest.after(cursor, pageSize);
                    }
                }
                return current.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }
}
