package dev.loraport.watch;

import dev.loraport.PageRequest;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;

/**
 * Counters of a {@link TaskWatcher}, for logs and for a metrics gauge. Immutable: a snapshot.
 *
 * @param watched tasks watched now
 * @param statusCalls {@link TrainingProvider#status(TaskId)} calls made, failed ones included
 * @param listCalls {@link TrainingProvider#list(PageRequest)} calls made (one per page), failed ones included
 * @param retries polls that failed with a retryable error and were scheduled again
 * @param completed watches that ended with a terminal task
 * @param failed watches that ended exceptionally: deadline, or an error that cannot be retried
 * @param stalls stalls reported to listeners
 * @since 0.1
 */
public record WatcherStats(
        int watched, long statusCalls, long listCalls, long retries, long completed, long failed, long stalls) {

    /**
     * Every call made to providers.
     *
     * @return {@code statusCalls + listCalls}
     */
    public long polls() {
        return statusCalls + listCalls;
    }
}
