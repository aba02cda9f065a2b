package dev.loraport.testkit;

import dev.loraport.GenerationRequest;
import dev.loraport.InvalidRequestException;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One piece of bad input for {@link BadInputContract}: a training or generation request, a setting, or a builder
 * call, with the exception it must raise, the field or key the message must name and, where a rule exists, the
 * words that tell the caller what is allowed. Immutable; build with the static factories and {@link #allowing}.
 *
 * <pre>{@code
 * BadInputCase.training("numbers", "steps = -1", "steps", f -> f.training().steps(-1).build());
 * BadInputCase.setting("retry.jitter = 5", "retry.jitter", "5");
 * BadInputCase.builderNull("name(null)", "name", () -> TrainingRequest.builder().name(null));
 * }</pre>
 *
 * @since 0.1
 */
public final class BadInputCase {

    /** What a case feeds the provider. */
    public enum Kind {
        /** A training or generation request, refused with {@link InvalidRequestException}. */
        REQUEST,
        /** A configuration value, refused with {@link IllegalArgumentException} naming the full key. */
        SETTING,
        /** A null given to a builder, refused with {@link NullPointerException} naming the field. */
        BUILDER
    }

    /** What a case does with the provider stack built for it. */
    @FunctionalInterface
    public interface Action {
        /**
         * Runs the case.
         *
         * @param provider the stack built from the case's settings
         * @param fixture valid requests and files to start from
         * @throws Exception whatever the provider throws
         */
        void run(TrainingProvider provider, BadInputContract.Fixture fixture) throws Exception;
    }

    /** Words that name an allowed value in request messages: the capability checks write "allowed". */
    static final List<String> REQUEST_ALLOWED = List.of("allowed", "fields it takes", "options:", "required");

    /** Words that name an allowed value in setting messages: "must be ...", "use ...", "allowed ...". */
    static final List<String> SETTING_ALLOWED = List.of("must be", "use ", "allowed", "expected");

    private final Kind kind;
    private final String group;
    private final String name;
    private final String field;
    private final Class<? extends Throwable> expected;
    private final List<String> allowed;
    private final Map<String, String> settings;
    private final Action action;

    private BadInputCase(
            Kind kind,
            String group,
            String name,
            String field,
            Class<? extends Throwable> expected,
            List<String> allowed,
            Map<String, String> settings,
            Action action) {
        this.kind = kind;
        this.group = Objects.requireNonNull(group, "group == null");
        this.name = Objects.requireNonNull(name, "name == null");
        this.field = Objects.requireNonNull(field, "field == null");
        this.expected = expected;
        this.allowed = List.copyOf(allowed);
        this.settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.action = action;
    }

    /**
     * A training request that {@code create} must refuse with {@link InvalidRequestException}.
     *
     * @param group the group the case is listed under, such as {@code training request: numbers}
     * @param name what is wrong, such as {@code steps = -1}
     * @param field the field the message must name, such as {@code steps} or {@code images[0]}
     * @param request builds the bad request, usually from {@link BadInputContract.Fixture#training()}
     * @return the case; the message must also say what is allowed ({@link #allowing} changes the words)
     */
    public static BadInputCase training(
            String group, String name, String field, Function<BadInputContract.Fixture, TrainingRequest> request) {
        Objects.requireNonNull(request, "request == null");
        return new BadInputCase(
                Kind.REQUEST,
                group,
                name,
                field,
                InvalidRequestException.class,
                REQUEST_ALLOWED,
                Map.of(),
                (p, f) -> p.create(request.apply(f)));
    }

    /**
     * A training request with one bad provider option, which {@code create} must refuse naming {@code
     * providerOptions.<key>} and what is allowed; listed under {@code training request: options}.
     *
     * @param key the option, such as {@code optimizer}
     * @param value the bad value
     * @param allowed words the message must hold when it says what is allowed, such as {@code adamw8bit}
     * @return the case
     * @since 0.2
     */
    public static BadInputCase trainingOption(String key, String value, String... allowed) {
        return training(
                        "training request: options",
                        key + " = '" + value + "'",
                        "providerOptions." + key,
                        x -> x.training().providerOption(key, value).build())
                .allowing(allowed);
    }

    /**
     * A generation request that {@code generate} must refuse with {@link InvalidRequestException}.
     *
     * @param group the group the case is listed under
     * @param name what is wrong
     * @param field the field the message must name
     * @param request builds the bad request, usually from {@link BadInputContract.Fixture#generation()}
     * @return the case
     */
    public static BadInputCase generation(
            String group, String name, String field, Function<BadInputContract.Fixture, GenerationRequest> request) {
        Objects.requireNonNull(request, "request == null");
        return new BadInputCase(
                Kind.REQUEST,
                group,
                name,
                field,
                InvalidRequestException.class,
                REQUEST_ALLOWED,
                Map.of(),
                (p, f) -> p.generate(request.apply(f)));
    }

    /**
     * A setting the provider stack must refuse with {@link IllegalArgumentException} naming the full key, when it
     * is built or at the latest before the first call of a valid {@code create}.
     *
     * @param name what is wrong, such as {@code retry.jitter = 5}
     * @param key the key relative to {@code loraport.<id>.}, such as {@code retry.jitter}; a key starting with
     *     {@code loraport.} is taken as it is (a global key such as {@code loraport.metrics.enabled})
     * @param value the bad value
     * @return the case, in the group {@code settings}; the message must name {@code loraport.<id>.<key>}
     */
    public static BadInputCase setting(String name, String key, String value) {
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(value, "value == null");
        return new BadInputCase(
                Kind.SETTING,
                "settings",
                name,
                key,
                IllegalArgumentException.class,
                SETTING_ALLOWED,
                Map.of(key, value),
                (p, f) -> p.create(f.training().build()));
    }

    /**
     * A null given to a builder, which must throw {@link NullPointerException} naming the field (Java's
     * convention), without any call.
     *
     * @param name what is wrong, such as {@code name(null)}
     * @param field the field the message must name
     * @param call the builder call
     * @return the case, in the group {@code builders}; no allowed values are asked for
     */
    public static BadInputCase builderNull(String name, String field, Runnable call) {
        Objects.requireNonNull(call, "call == null");
        return new BadInputCase(
                Kind.BUILDER,
                "builders",
                name,
                field,
                NullPointerException.class,
                List.of(),
                Map.of(),
                (p, f) -> call.run());
    }

    /**
     * A copy whose message must contain at least one of these words to count as naming what is allowed.
     *
     * @param anyOf the words, such as {@code "1..50"}; none means no rule applies
     * @return the copy
     */
    public BadInputCase allowing(String... anyOf) {
        return new BadInputCase(kind, group, name, field, expected, List.of(anyOf), settings, action);
    }

    /**
     * A copy that also sets one more setting before it runs (a valid one, say, that the bad value depends on).
     *
     * @param key the key, as in {@link #setting}
     * @param value the value
     * @return the copy
     */
    public BadInputCase withSetting(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(settings);
        more.put(key, value);
        return new BadInputCase(kind, group, name, field, expected, allowed, more, action);
    }

    /**
     * What the case feeds the provider.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The group the case is listed under.
     *
     * @return the group
     */
    public String group() {
        return group;
    }

    /**
     * What is wrong, as the test is named.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The field, or for a setting the key relative to {@code loraport.<id>.}, the message must name.
     *
     * @return the field
     */
    public String field() {
        return field;
    }

    /**
     * The exception type the case must raise.
     *
     * @return the type
     */
    public Class<? extends Throwable> expected() {
        return expected;
    }

    /**
     * Words of which the message must contain one; empty when no rule applies.
     *
     * @return the words
     */
    public List<String> allowed() {
        return allowed;
    }

    /**
     * Settings laid over the valid configuration, keys as in {@link #setting}.
     *
     * @return an unmodifiable map
     */
    public Map<String, String> settings() {
        return settings;
    }

    /**
     * What the case does.
     *
     * @return the action
     */
    public Action action() {
        return action;
    }

    @Override
    public String toString() {
        return group + " / " + name;
    }
}
