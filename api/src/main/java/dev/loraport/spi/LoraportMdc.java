package dev.loraport.spi;

/**
 * The SLF4J MDC keys loraport sets while a decorated call or a watcher's listener callback runs, so a log line
 * of the library or of a listener can be traced to its provider and job. The decorators of {@code
 * loraport-decorators} set them around every call and the task watcher around every listener callback; both
 * restore the values a key had before (usually none) when the call returns, so no key leaks to the thread's
 * next work. A value is absent when it is unknown (a list call has no task id). The API key is never put in the
 * MDC.
 *
 * <p>Strings only, so this type needs no SLF4J class: a logging pattern can use them as {@code
 * %X{loraport.provider}}.
 *
 * @since 0.1
 */
public final class LoraportMdc {

    /** The provider id, such as {@code novita}. */
    public static final String PROVIDER = "loraport.provider";

    /** The service's job id, when the call or callback concerns one job. */
    public static final String TASK_ID = "loraport.task.id";

    /** The caller's own reference for the job (the create idempotency key), when known. */
    public static final String CLIENT_REFERENCE = "loraport.client.reference";

    private LoraportMdc() {}
}
