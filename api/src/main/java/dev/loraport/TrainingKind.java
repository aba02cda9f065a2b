package dev.loraport;

/**
 * What a training job learns.
 *
 * @since 0.1
 */
public enum TrainingKind {
    /** A person or object, learned from photos of it (class prompt such as {@code person}). */
    SUBJECT,
    /** A visual style, learned from captioned example images. */
    STYLE
}
