package dev.loraport;

/** The watcher behind {@link TrainingProvider#await}: created on first use, never closed, daemon threads. */
final class SharedWatcher {

    private SharedWatcher() {}

    private static final class Holder {
        static final TaskWatcher INSTANCE = TaskWatcher.builder().build();
    }

    static TaskWatcher get() {
        return Holder.INSTANCE;
    }
}
