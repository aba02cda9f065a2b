package dev.loraport.spring.boot;

import dev.loraport.TrainingProvider;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.watch.TaskListener;
import dev.loraport.watch.TaskRef;
import dev.loraport.watch.TaskStore;
import dev.loraport.watch.TaskWatcher;
import dev.loraport.watch.WatchOptions;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Watches again, when the application starts, the jobs a previous run of it left in the {@link TaskStore}: those of
 * the configured provider that had not ended. Every {@link TaskListener} bean of the application hears of them, in
 * their order, as it would of a job it watched itself; one listener that throws does not keep the others from
 * hearing. Created by the auto-configuration unless {@code loraport.watcher.resume-on-start=false}.
 *
 * <p>In a fleet whose instances share one store, each instance resumes every job: the polls multiply by the
 * instances. Turn it off there, or resume from one instance only.
 *
 * <p>Thread-safety: started and stopped by Spring; the listener calls come on the watcher's threads.
 *
 * @since 0.2
 */
public final class StoredTaskResumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StoredTaskResumer.class);

    private final @Nullable TaskWatcher watcher;
    private final @Nullable TrainingProvider provider;
    private final TaskStore store;
    private final List<TaskListener> listeners;
    private volatile boolean running;
    private volatile int resumed;

    /**
     * Creates the resumer.
     *
     * @param watcher the watcher that follows the jobs, or null when the application has none (nothing is resumed)
     * @param provider the configured provider, or null when there is none or more than one (nothing is resumed);
     *     jobs of other providers in the store are left alone
     * @param store where the previous run recorded its jobs
     * @param listeners the application's listeners, in order; may be empty
     */
    public StoredTaskResumer(
            @Nullable TaskWatcher watcher,
            @Nullable TrainingProvider provider,
            TaskStore store,
            List<TaskListener> listeners) {
        this.watcher = watcher;
        this.provider = provider;
        this.store = Objects.requireNonNull(store, "store == null");
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void start() {
        running = true;
        TaskWatcher watcher = this.watcher;
        TrainingProvider provider = this.provider;
        if (watcher == null || provider == null) {
            return;
        }
        String id = provider.info().id();
        List<TaskRef> refs =
                store.load().stream().filter(r -> r.providerId().equals(id)).toList();
        if (!refs.isEmpty()) {
            watcher.resume(
                    refs,
                    pid -> pid.equals(id) ? provider : null,
                    WatchOptions.builder().listener(new Fanout(listeners)).build());
            log.info("loraport: resumed watching {} {} job(s) left by an earlier run", refs.size(), id);
        }
        resumed = refs.size();
    }

    @Override
    public void stop() {
        // The watcher bean closes with the context; the refs stay in the store for the next start.
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * How many jobs the last start resumed.
     *
     * @return 0 or more
     */
    public int resumed() {
        return resumed;
    }

    /** Every listener hears every call; one that throws is logged and does not silence the rest. */
    private static final class Fanout implements TaskListener {
        private final List<TaskListener> listeners;

        Fanout(List<TaskListener> listeners) {
            this.listeners = listeners;
        }

        private void each(String what, java.util.function.Consumer<TaskListener> call) {
            for (TaskListener l : listeners) {
                try {
                    call.accept(l);
                } catch (RuntimeException e) {
                    log.warn("loraport: a TaskListener failed in {}; the others still hear of it", what, e);
                }
            }
        }

        @Override
        public void onProgress(TrainingTask task) {
            each("onProgress", l -> l.onProgress(task));
        }

        @Override
        public void onStatus(TrainingTask task, @Nullable TrainingStatus previous) {
            each("onStatus", l -> l.onStatus(task, previous));
        }

        @Override
        public void onTerminal(TrainingTask task) {
            each("onTerminal", l -> l.onTerminal(task));
        }

        @Override
        public void onStalled(TrainingTask task, Instant since) {
            each("onStalled", l -> l.onStalled(task, since));
        }

        @Override
        public void onError(TaskRef ref, RuntimeException error) {
            each("onError", l -> l.onError(ref, error));
        }
    }
}
