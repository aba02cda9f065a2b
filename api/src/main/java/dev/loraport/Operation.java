package dev.loraport;

import java.util.Locale;

/**
 * The remote operations of a {@link TrainingProvider}, one name each for errors, meters, logs and decorators.
 * {@link #id()} is the lowercase name that appears in messages ({@code "novita create: ..."}) and in the
 * {@code operation} tag of loraport's meters.
 *
 * @since 0.1
 */
public enum Operation {
    /** {@link TrainingProvider#create(TrainingRequest)}. */
    CREATE,
    /** {@link TrainingProvider#status(TaskId)}. */
    STATUS,
    /** {@link TrainingProvider#list(PageRequest)}. */
    LIST,
    /** {@link TrainingProvider#cancel(TaskId)}. */
    CANCEL,
    /** {@link TrainingProvider#delete(TaskId)}. */
    DELETE,
    /** {@link TrainingProvider#generate(GenerationRequest)}. */
    GENERATE,
    /** An image upload an adapter makes as part of {@link #CREATE}. */
    UPLOAD;

    private final String id = name().toLowerCase(Locale.ROOT);

    /**
     * The lowercase name used in messages and meter tags.
     *
     * @return such as {@code "create"}
     */
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
