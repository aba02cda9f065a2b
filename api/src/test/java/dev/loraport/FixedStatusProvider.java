package dev.loraport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double that reports one status forever, counting status calls. It is public, unlike the tests, because
 * {@code AwaitTest} here and {@code watch.AwaitReadyTest} both wait on it.
 *
 * <p>A few task ids script faults for the await tests: {@code missing} is never found, {@code breaker} answers
 * its first call like an open circuit breaker (unavailable, not retryable), and {@code flaky} its first call
 * with a retryable HTTP 503. A FAILED task carries the reason {@code "bad images"}.
 */
public final class FixedStatusProvider implements TrainingProvider {

    /** How many times {@link #status} was called. */
    public final AtomicInteger calls = new AtomicInteger();

    private final TrainingStatus status;

    /**
     * A provider whose every task reports the status.
     *
     * @param status the status each task reports
     */
    public FixedStatusProvider(TrainingStatus status) {
        this.status = status;
    }

    @Override
    public ProviderInfo info() {
        return new ProviderInfo("fixed", "Fixed", ProviderCapabilities.builder().build());
    }

    @Override
    public TrainingTask create(TrainingRequest request) {
        throw new UnsupportedOperationException("test double");
    }

    @Override
    public Page<TrainingTask> list(PageRequest page) {
        throw new UnsupportedOperationException("test double");
    }

    @Override
    public TrainingTask status(TaskId taskId) {
        calls.incrementAndGet();
        if (taskId.value().equals("missing")) {
            throw new TaskNotFoundException("fixed", "status", "no such task", 404, null, null);
        }
        if (taskId.value().equals("breaker") && calls.get() == 1) {
            // Like an open circuit breaker: unavailable, and not to be retried at once.
            throw new ProviderUnavailableException("fixed", "status", "breaker open", null, null, null) {
                private static final long serialVersionUID = 1L;

                @Override
                public boolean isRetryable() {
                    return false;
                }
            };
        }
        if (taskId.value().equals("flaky") && calls.get() == 1) {
            throw new ProviderUnavailableException("fixed", "status", "HTTP 503", 503, null, null);
        }
        return TrainingTask.builder()
                .id(taskId)
                .providerId("fixed")
                .status(status)
                .failureReason(status == TrainingStatus.FAILED ? "bad images" : null)
                .build();
    }
}
