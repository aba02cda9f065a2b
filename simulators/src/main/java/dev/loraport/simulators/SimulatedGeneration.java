package dev.loraport.simulators;

import java.time.Instant;

/**
 * One asynchronous image generation a simulator has accepted: when, how many images, and how often the client
 * has asked for the result, since both services finish a generation after a few virtual seconds or a few looks,
 * whichever comes first. Not thread-safe: used only under the owning simulator's lock.
 */
final class SimulatedGeneration {

    /** When the generation was accepted, on the simulator's clock. */
    final Instant createdAt;

    /** How many images it makes. */
    final int images;

    /** The service's name for what kind of generation it is (Novita: {@code TXT_TO_IMG}, {@code IMG_TO_IMG}). */
    final String taskType;

    /** The image format the client asked for ({@code png}, {@code jpeg}, {@code webp}). */
    final String imageType;

    /** Whether the client asked for NSFW detection; the result echoes it. */
    final boolean nsfwDetection;

    /** How many times the client has asked for the result so far. */
    int polls;

    /**
     * Creates a PNG text-to-image generation, not yet polled.
     *
     * @param createdAt when it was accepted
     * @param images how many images it makes
     */
    SimulatedGeneration(Instant createdAt, int images) {
        this(createdAt, images, "TXT_TO_IMG", "png", false);
    }

    /**
     * Creates the generation, not yet polled.
     *
     * @param createdAt when it was accepted
     * @param images how many images it makes
     * @param taskType the service's name for its kind
     * @param imageType the format asked for
     * @param nsfwDetection whether NSFW detection was asked for
     */
    SimulatedGeneration(Instant createdAt, int images, String taskType, String imageType, boolean nsfwDetection) {
        this.createdAt = createdAt;
        this.images = images;
        this.taskType = taskType;
        this.imageType = imageType;
        this.nsfwDetection = nsfwDetection;
    }
}
