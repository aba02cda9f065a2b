package dev.loraport.watch;

import dev.loraport.TaskId;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Everything needed to find a training job again after a restart: which provider runs it, its id, the
 * caller's own reference and when it was submitted. Immutable and thread-safe.
 *
 * <p>{@link #toString()} gives a short, URL-safe string that {@link #parse(String)} reads back, such as
 * {@code novita:abc-123?at=2026-11-24T10:00:00Z&ref=lp-1}. The provider id, task id and reference are
 * URL-encoded, so ids holding {@code :}, {@code ?}, {@code &}, spaces or non-ASCII characters survive the round
 * trip. Parameters this version does not know are ignored when parsing, so later versions may add some; a ref
 * written without {@code ended} (as before 0.1's {@link #endedBy()}) reads with none.
 *
 * @param providerId the provider id, such as {@code novita}; never blank
 * @param taskId the service's job id
 * @param clientReference the caller's own reference for the job, or null
 * @param createdAt when the job was submitted (or first watched, when that is all that is known)
 * @param endedBy why the last watch of the job ended without a terminal status, or null; see {@link #endedBy()}
 * @since 0.1
 */
public record TaskRef(
        String providerId,
        TaskId taskId,
        @Nullable String clientReference,
        Instant createdAt,
        @Nullable String endedBy) {

    /** The longest {@link #endedBy()} kept; longer text is clipped. */
    public static final int MAX_ENDED_BY = 200;

    /**
     * Rejects null parts and a blank provider id. A blank {@code endedBy} becomes null; line breaks and other
     * control characters in it become spaces, and it is clipped to {@value #MAX_ENDED_BY} characters.
     *
     * @param providerId the provider id, such as {@code novita}; never blank
     * @param taskId the service's job id
     * @param clientReference the caller's own reference for the job, or null
     * @param createdAt when the job was submitted
     * @param endedBy why the last watch ended without a terminal status, or null
     */
    public TaskRef {
        Objects.requireNonNull(providerId, "providerId == null");
        Objects.requireNonNull(taskId, "taskId == null");
        Objects.requireNonNull(createdAt, "createdAt == null");
        if (providerId.isBlank()) {
            throw new IllegalArgumentException("providerId is blank");
        }
        endedBy = clean(endedBy);
    }

    /**
     * A reference to a job whose watch has not ended without a terminal status.
     *
     * @param providerId the provider id, such as {@code novita}; never blank
     * @param taskId the service's job id
     * @param clientReference the caller's own reference for the job, or null
     * @param createdAt when the job was submitted
     */
    public TaskRef(String providerId, TaskId taskId, @Nullable String clientReference, Instant createdAt) {
        this(providerId, taskId, clientReference, createdAt, null);
    }

    /**
     * Why the last watch of this job ended while the job was not seen terminal, as a {@link TaskWatcher} with a
     * {@link TaskStore} records it: {@code timed out at <instant>} or {@code poll failed: <error type>: <message>}
     * (secrets scrubbed, at most {@value #MAX_ENDED_BY} characters). Such a job may still run, and bill; its ref
     * stays stored so that {@link TaskWatcher#resume} picks it up, and resume clears the mark.
     *
     * @return the reason, or null when the job is watched, was never watched, or its watch was stopped by
     *     closing the watcher
     */
    @Override
    public @Nullable String endedBy() {
        return endedBy;
    }

    /**
     * This reference with another {@link #endedBy()}.
     *
     * @param reason why the watch ended, or null to clear the mark
     * @return the reference; this one when nothing changes
     */
    public TaskRef withEndedBy(@Nullable String reason) {
        String cleaned = clean(reason);
        return Objects.equals(cleaned, endedBy)
                ? this
                : new TaskRef(providerId, taskId, clientReference, createdAt, cleaned);
    }

    private static @Nullable String clean(@Nullable String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_ENDED_BY));
        for (int i = 0; i < text.length() && sb.length() < MAX_ENDED_BY; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (sb.length() > 0 && Character.isHighSurrogate(sb.charAt(sb.length() - 1))) {
            sb.setLength(sb.length() - 1);
        }
        String out = sb.toString().strip();
        return out.isEmpty() ? null : out;
    }

    /**
     * A reference without client reference.
     *
     * @param providerId the provider id
     * @param taskId the service's job id
     * @param createdAt when the job was submitted
     * @return the reference
     */
    public static TaskRef of(String providerId, TaskId taskId, Instant createdAt) {
        return new TaskRef(providerId, taskId, null, createdAt);
    }

    /**
     * Reads the form written by {@link #toString()}.
     *
     * @param text the serialized reference
     * @return the reference
     * @throws IllegalArgumentException naming what is missing or unreadable
     */
    public static TaskRef parse(String text) {
        Objects.requireNonNull(text, "text == null");
        int colon = text.indexOf(':');
        int query = text.indexOf('?');
        if (colon <= 0 || query < colon + 2) {
            throw new IllegalArgumentException(
                    "task ref '" + text + "' is not of the form <provider>:<task id>?at=<instant>[&ref=<reference>]");
        }
        String providerId = decode(text.substring(0, colon));
        String taskId = decode(text.substring(colon + 1, query));
        Instant at = null;
        String ref = null;
        String ended = null;
        for (String param : text.substring(query + 1).split("&", -1)) {
            int eq = param.indexOf('=');
            String key = eq < 0 ? param : param.substring(0, eq);
            String value = eq < 0 ? "" : decode(param.substring(eq + 1));
            if (key.equals("at")) {
                try {
                    at = Instant.parse(value);
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(
                            "task ref '" + text + "': at='" + value + "' is not an ISO-8601 instant", e);
                }
            } else if (key.equals("ref")) {
                ref = value;
            } else if (key.equals("ended")) {
                ended = value;
            }
        }
        if (at == null) {
            throw new IllegalArgumentException("task ref '" + text + "' has no 'at' parameter");
        }
        if (providerId.isBlank() || taskId.isBlank()) {
            throw new IllegalArgumentException("task ref '" + text + "' has a blank provider id or task id");
        }
        return new TaskRef(providerId, TaskId.of(taskId), ref, at, ended);
    }

    /**
     * Whether this reference names the same job as another, whatever their reference, creation time and mark.
     *
     * @param other the other reference
     * @return {@code true} when provider id and task id are equal
     */
    public boolean sameTask(TaskRef other) {
        return providerId.equals(other.providerId) && taskId.equals(other.taskId);
    }

    /**
     * The short serialized form, read back by {@link #parse(String)}.
     *
     * @return such as {@code novita:abc-123?at=2026-11-24T10:00:00Z&ref=lp-1}, with
     *     {@code &ended=<reason>} after it when {@link #endedBy()} is set
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder()
                .append(encode(providerId))
                .append(':')
                .append(encode(taskId.value()))
                .append("?at=")
                .append(createdAt);
        if (clientReference != null) {
            sb.append("&ref=").append(encode(clientReference));
        }
        if (endedBy != null) {
            sb.append("&ended=").append(encode(endedBy));
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task ref part '" + s + "' is not URL-encoded text", e);
        }
    }
}
