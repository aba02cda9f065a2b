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

    /** How many times the client has asked for the result so far. */
    int polls;

    /**
     * Creates the generation, not yet polled.
     *
     * @param createdAt when it was accepted
     * @param images how many images it makes
     */
    SimulatedGeneration(Instant createdAt, int images) {
        this.createdAt = createdAt;
        this.images = images;
    }
}
