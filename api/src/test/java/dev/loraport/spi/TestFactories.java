package dev.loraport.spi;

import dev.loraport.Page;
import dev.loraport.PageRequest;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderInfo;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;

/** Factories registered in the test resources' services file. */
final class TestFactories {

    private TestFactories() {}

    /** A provider that only reports who it is and which config it got. */
    static final class EchoProvider implements TrainingProvider {
        final ProviderConfig config;
        private final String id;

        EchoProvider(String id, ProviderConfig config) {
            this.id = id;
            this.config = config;
        }

        @Override
        public ProviderInfo info() {
            return new ProviderInfo(id, id, ProviderCapabilities.builder().build());
        }

        @Override
        public TrainingTask create(TrainingRequest request) {
            throw new UnsupportedOperationException("test double");
        }

        @Override
        public TrainingTask status(TaskId taskId) {
            throw new UnsupportedOperationException("test double");
        }

        @Override
        public Page<TrainingTask> list(PageRequest page) {
            throw new UnsupportedOperationException("test double");
        }
    }

    /** Registered as {@code alpha}. */
    public static final class AlphaFactory implements TrainingProviderFactory {
        @Override
        public String id() {
            return "alpha";
        }

        @Override
        public TrainingProvider create(ProviderConfig config) {
            return new EchoProvider(id(), config);
        }
    }

    /** Registered as {@code beta}. */
    public static final class BetaFactory implements TrainingProviderFactory {
        @Override
        public String id() {
            return "beta";
        }

        @Override
        public TrainingProvider create(ProviderConfig config) {
            return new EchoProvider(id(), config);
        }
    }

    /** Claims {@code alpha} too; only registered by tests that want a conflict. */
    public static final class SecondAlphaFactory implements TrainingProviderFactory {
        @Override
        public String id() {
            return "alpha";
        }

        @Override
        public TrainingProvider create(ProviderConfig config) {
            return new EchoProvider(id(), config);
        }
    }
}
