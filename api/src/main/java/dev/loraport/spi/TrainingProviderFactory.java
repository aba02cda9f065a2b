package dev.loraport.spi;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;

/**
 * Creates one kind of {@link TrainingProvider}; the type {@link java.util.ServiceLoader} finds. Register an
 * implementation in {@code META-INF/services/dev.loraport.spi.TrainingProviderFactory}.
 *
 * <p>Implementations have a public no-argument constructor, are stateless and thread-safe.
 *
 * @since 0.1
 */
public interface TrainingProviderFactory {

    /**
     * The stable lowercase id: the configuration prefix ({@code loraport.<id>.*}) and metric tag.
     *
     * @return the id, such as {@code novita}
     */
    String id();

    /**
     * Creates a configured provider.
     *
     * @param config the configuration; its provider id, if set, equals {@link #id()}
     * @return a new provider, owned by the caller, who closes it
     * @throws IllegalStateException when required configuration (such as the API key) is missing
     */
    TrainingProvider create(ProviderConfig config);
}
