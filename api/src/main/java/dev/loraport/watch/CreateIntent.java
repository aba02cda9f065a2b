package dev.loraport.watch;

import dev.loraport.TaskId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One create in the journal a {@link TaskStore} keeps: recorded ({@link State#SENDING}) before the create is sent,
 * so that a crash, a lost answer or a second worker can never leave a paid job that no record knows, and marked
 * {@link State#ACCEPTED} with the task id once the service has answered. An intent is keyed by
 * {@link #key()}: provider id, account fingerprint and client reference; a store holds at most one intent per
 * key, which is what lets only one worker of a fleet send a given create.
 *
 * <p>Immutable and thread-safe. It never holds an API key: {@link #account()} is {@link #fingerprint(String)}
 * of one.
 *
 * @param providerId the provider id
 * @param account the account fingerprint ({@link #fingerprint(String)})
 * @param clientReference the create's client reference, which the job carries where the service shows it
 * @param requestDigest a digest of the request, so that a reference reused for another request is noticed
 * @param state where the create stands
 * @param taskId the task the service made, once known
 * @param reason why the outcome is unknown, while it is (clipped, never the key)
 * @param createdAt when the intent was recorded
 * @param updatedAt when it last changed
 * @param correlation the provider's correlation value for this create ({@link
 *     dev.loraport.TrainingProvider#prepareCreate}), recorded before the create is sent, or null when the provider
 *     has none; a listed task carrying it ({@link dev.loraport.TrainingTask#correlation()}) is this create's job
 * @since 0.1
 */
public record CreateIntent(
        String providerId,
        String account,
        String clientReference,
        String requestDigest,
        State state,
        @Nullable TaskId taskId,
        @Nullable String reason,
        Instant createdAt,
        Instant updatedAt,
        @Nullable String correlation) {

    /** The longest {@link #reason()} kept. */
    public static final int MAX_REASON = 300;

    /** Where a create stands. */
    public enum State {
        /** Recorded before sending; the service may or may not have made the job. */
        SENDING,
        /** The service made the job; {@link #taskId()} names it. */
        ACCEPTED
    }

    /**
     * What a store keys intents by.
     *
     * @param providerId the provider id
     * @param account the account fingerprint
     * @param clientReference the client reference
     */
    public record Key(String providerId, String account, String clientReference) {
        /**
         * Checks the parts.
         *
         * @param providerId the provider id
         * @param account the account fingerprint
         * @param clientReference the client reference
         * @throws NullPointerException when a part is null
         * @throws IllegalArgumentException when a part is blank
         */
        public Key {
            nonBlank(providerId, "providerId");
            nonBlank(account, "account");
            nonBlank(clientReference, "clientReference");
        }
    }

    /**
     * Checks the parts, clips the reason to {@link #MAX_REASON} characters and the times to milliseconds.
     *
     * @param providerId the provider id
     * @param account the account fingerprint
     * @param clientReference the client reference
     * @param requestDigest a digest of the request
     * @param state where the create stands
     * @param taskId the task, exactly when accepted
     * @param reason why the outcome is unknown, or {@code null}
     * @param createdAt when recorded
     * @param updatedAt when last changed
     * @param correlation the provider's correlation value, or {@code null}
     * @throws NullPointerException when a part other than the task id, reason or correlation is null
     * @throws IllegalArgumentException when a key part is blank, or the state and task id disagree
     */
    public CreateIntent {
        nonBlank(providerId, "providerId");
        nonBlank(account, "account");
        nonBlank(clientReference, "clientReference");
        Objects.requireNonNull(requestDigest, "requestDigest == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(createdAt, "createdAt == null");
        Objects.requireNonNull(updatedAt, "updatedAt == null");
        if ((state == State.ACCEPTED) != (taskId != null)) {
            throw new IllegalArgumentException("an intent has a task id exactly when it is ACCEPTED: " + state);
        }
        // Milliseconds are all a database column keeps of every store's; the same precision everywhere lets an
        // intent read back equal the one written, which abandon's compare-and-remove relies on.
        createdAt = createdAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        updatedAt = updatedAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        if (reason != null && reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON);
        }
    }

    /**
     * An intent without a correlation value, as before 0.2.
     *
     * @param providerId the provider id
     * @param account the account fingerprint
     * @param clientReference the client reference
     * @param requestDigest the request digest
     * @param state the state
     * @param taskId the task id, once accepted
     * @param reason why the outcome is unknown
     * @param createdAt when recorded
     * @param updatedAt when last changed
     */
    public CreateIntent(
            String providerId,
            String account,
            String clientReference,
            String requestDigest,
            State state,
            @Nullable TaskId taskId,
            @Nullable String reason,
            Instant createdAt,
            Instant updatedAt) {
        this(providerId, account, clientReference, requestDigest, state, taskId, reason, createdAt, updatedAt, null);
    }

    /**
     * This intent with the provider's correlation value, recorded before the create is sent.
     *
     * @param value the value {@link dev.loraport.TrainingProvider#prepareCreate} returned
     * @param now the time
     * @return a new intent
     * @since 0.2
     */
    public CreateIntent withCorrelation(String value, Instant now) {
        return new CreateIntent(
                providerId, account, clientReference, requestDigest, state, taskId, reason, createdAt, now, value);
    }

    /**
     * The provider's correlation value, when it has one.
     *
     * @return the value, or empty
     * @since 0.2
     */
    public Optional<String> correlationValue() {
        return Optional.ofNullable(correlation);
    }

    /**
     * A new intent, {@link State#SENDING}, as recorded before a create is sent.
     *
     * @param key provider id, account and client reference
     * @param requestDigest a digest of the request
     * @param now the time
     * @return the intent
     */
    public static CreateIntent sending(Key key, String requestDigest, Instant now) {
        return new CreateIntent(
                key.providerId(),
                key.account(),
                key.clientReference(),
                requestDigest,
                State.SENDING,
                null,
                null,
                now,
                now);
    }

    /**
     * This intent's key.
     *
     * @return provider id, account and client reference
     */
    public Key key() {
        return new Key(providerId, account, clientReference);
    }

    /**
     * This intent accepted as a task.
     *
     * @param id the task the service made
     * @param now the time
     * @return a new intent, {@link State#ACCEPTED}
     */
    public CreateIntent accepted(TaskId id, Instant now) {
        return new CreateIntent(
                providerId,
                account,
                clientReference,
                requestDigest,
                State.ACCEPTED,
                id,
                null,
                createdAt,
                now,
                correlation);
    }

    /**
     * This intent still {@link State#SENDING}, with the reason its outcome is unknown.
     *
     * @param why the reason; must not contain the key
     * @param now the time
     * @return a new intent
     */
    public CreateIntent unresolved(String why, Instant now) {
        return new CreateIntent(
                providerId,
                account,
                clientReference,
                requestDigest,
                State.SENDING,
                null,
                why,
                createdAt,
                now,
                correlation);
    }

    /**
     * The task id, when {@link State#ACCEPTED}.
     *
     * @return the id, or empty while sending
     */
    public Optional<TaskId> task() {
        return Optional.ofNullable(taskId);
    }

    /**
     * The account fingerprint of an API key: the first 16 hex digits of its SHA-256, so that a journal shared by
     * several keys keeps their creates apart without holding any key.
     *
     * @param apiKey the key; {@code null} or blank gives {@code "none"}
     * @return the fingerprint
     */
    public static String fingerprint(@Nullable String apiKey) {
        if (apiKey == null || apiKey.isBlank()) {
            return "none";
        }
        return HexFormat.of().formatHex(sha256(apiKey)).substring(0, 16);
    }

    /**
     * A digest of a request's text form, to store beside an intent.
     *
     * @param text a stable description of the request
     * @return 64 hex digits
     */
    public static String digest(String text) {
        return HexFormat.of().formatHex(sha256(text));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static void nonBlank(String s, String name) {
        Objects.requireNonNull(s, name + " == null");
        if (s.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }
}
