package dev.loraport.simulators;

/**
 * The settings every simulator's builder takes: clock, API key, port and task durations. Each simulator's public
 * {@code Builder} extends it, adds its quirk flags and {@code build()}, and hands itself to the
 * {@link SimulatorServer} constructor, which reads the settings from it. Package-private so that the public
 * builders stay the only API; their setters appear in the Javadoc as the builders' own. Not thread-safe, like the
 * builders.
 *
 * @param <B> the concrete builder, returned by every setter so that calls chain in any order
 */
abstract class SimulatorBuilder<B extends SimulatorBuilder<B>> {

    VirtualClock clock = VirtualClock.manual();
    String apiKey;
    int port;
    TaskDurations durations;

    /**
     * Starts from the simulator's defaults.
     *
     * @param apiKey the key accepted unless {@link #apiKey(String)} says otherwise
     * @param durations the durations used unless {@link #durations(TaskDurations)} says otherwise
     */
    SimulatorBuilder(String apiKey, TaskDurations durations) {
        this.apiKey = apiKey;
        this.durations = durations;
    }

    /**
     * Sets the clock (default: a manual clock).
     *
     * @param clock the clock tasks move on
     * @return this builder
     */
    public B clock(VirtualClock clock) {
        this.clock = clock;
        return self();
    }

    /**
     * Sets the accepted API key (default: {@code sim-key-} and the provider id, as in {@code sim-key-novita}).
     *
     * @param apiKey the key
     * @return this builder
     */
    public B apiKey(String apiKey) {
        this.apiKey = apiKey;
        return self();
    }

    /**
     * Sets the port (default 0: any free one).
     *
     * @param port the port
     * @return this builder
     */
    public B port(int port) {
        this.port = port;
        return self();
    }

    /**
     * Sets the job durations (default: the simulator's {@code DEFAULT_DURATIONS}).
     *
     * @param durations the profile
     * @return this builder
     */
    public B durations(TaskDurations durations) {
        this.durations = durations;
        return self();
    }

    // Safe: the only subclasses are the simulators' builders, each declared as SimulatorBuilder<itself>.
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
