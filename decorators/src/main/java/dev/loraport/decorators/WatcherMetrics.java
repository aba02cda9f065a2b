package dev.loraport.decorators;

import dev.loraport.watch.TaskWatcher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Publishes a {@link TaskWatcher}'s counters as meters: the gauge {@value LoraportMetrics#TASKS_WATCHED} (tasks
 * watched now) and the counter {@code loraport.watcher.polls} (status and list calls the watcher made). The
 * meters read the watcher's {@link TaskWatcher#stats()} when scraped, so they cost nothing per poll; they hold
 * the watcher weakly, as Micrometer gauges do, and read NaN once it is gone.
 *
 * <pre>{@code
 * TaskWatcher watcher = TaskWatcher.create();
 * WatcherMetrics.bind(watcher, registry);
 * }</pre>
 *
 * @since 0.1
 */
public final class WatcherMetrics {

    /** The counter of the status and list calls a watcher made. */
    public static final String WATCHER_POLLS = "loraport.watcher.polls";

    private WatcherMetrics() {}

    /** The tag that tells the meters of several watchers in one registry apart. */
    public static final String TAG_WATCHER = "watcher";

    /**
     * Registers the watcher's meters, tagged {@code watcher=default}. Thread-safe.
     *
     * @param watcher the watcher
     * @param registry where to publish
     */
    public static void bind(TaskWatcher watcher, MeterRegistry registry) {
        bind(watcher, registry, "default");
    }

    /**
     * Registers the watcher's meters under a name of its own, for applications that run several watchers on one
     * registry (Micrometer keeps only the first meter of a name and tags). Thread-safe.
     *
     * @param watcher the watcher
     * @param registry where to publish
     * @param name the value of the {@value #TAG_WATCHER} tag; a fixed name, never a task id
     */
    public static void bind(TaskWatcher watcher, MeterRegistry registry, String name) {
        Objects.requireNonNull(watcher, "watcher == null");
        Objects.requireNonNull(registry, "registry == null");
        Objects.requireNonNull(name, "name == null");
        Gauge.builder(LoraportMetrics.TASKS_WATCHED, watcher, w -> w.stats().watched())
                .tag(TAG_WATCHER, name)
                .description("training tasks a TaskWatcher follows now")
                .register(registry);
        FunctionCounter.builder(WATCHER_POLLS, watcher, w -> w.stats().polls())
                .tag(TAG_WATCHER, name)
                .description("status and list calls a TaskWatcher made")
                .register(registry);
    }
}
