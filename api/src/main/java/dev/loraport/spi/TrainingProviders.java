package dev.loraport.spi;

import dev.loraport.ProviderConfig;
import dev.loraport.TrainingProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link TrainingProviderFactory} implementations with {@link ServiceLoader} and creates providers by
 * id or from configuration. Thread-safe; every call scans the class path anew, so cache the provider, not
 * this lookup.
 *
 * <pre>{@code
 * // loraport.provider=novita, loraport.novita.api-key=...
 * TrainingProvider adapter = TrainingProviders.create(ProviderConfig.fromProperties(properties));
 * TrainingTask task = adapter.create(request);
 * }</pre>
 *
 * <p>This finds bare adapters. The decorated entry points ({@code ProviderStack.fromConfig},
 * {@code fromEnvironment}, {@code builder}) live in the {@code loraport-decorators} artifact, which builds on
 * this class; nothing here depends on it.
 *
 * <p>An unknown id, or two factories claiming one id, fail with an {@link IllegalStateException} listing
 * every id and class found. A factory that cannot be loaded is logged and reported in those messages, and
 * does not stop the others from loading.
 *
 * @since 0.1
 */
public final class TrainingProviders {

    private static final Logger log = LoggerFactory.getLogger(TrainingProviders.class);

    private TrainingProviders() {}

    /**
     * The ids of every provider on the class path.
     *
     * @return the ids, sorted
     */
    public static SortedSet<String> available() {
        return available(defaultClassLoader());
    }

    /**
     * The ids of every provider a class loader sees.
     *
     * @param classLoader the loader to search
     * @return the ids, sorted
     */
    public static SortedSet<String> available(ClassLoader classLoader) {
        return new TreeSet<>(Discovery.load(classLoader).byId.keySet());
    }

    /**
     * Creates a provider by id.
     *
     * @param id the provider id, such as {@code novita}
     * @param config the configuration
     * @return a new provider, which the caller closes
     * @throws IllegalStateException when no provider, or more than one, has that id
     */
    public static TrainingProvider create(String id, ProviderConfig config) {
        return create(id, config, defaultClassLoader());
    }

    /**
     * Creates a provider by id, searching one class loader.
     *
     * @param id the provider id
     * @param config the configuration
     * @param classLoader the loader to search
     * @return a new provider
     * @throws IllegalStateException when no provider, or more than one, has that id
     */
    public static TrainingProvider create(String id, ProviderConfig config, ClassLoader classLoader) {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(config, "config == null");
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        TrainingProviderFactory factory = Discovery.load(classLoader).factory(wanted);
        ProviderConfig effective = config.providerId().isPresent()
                ? config
                : config.toBuilder().providerId(wanted).build();
        return factory.create(effective);
    }

    /**
     * Creates the bare adapter a configuration names with {@code loraport.provider}, without decorators. For the
     * decorated stack (retry, exactly-once create, circuit breaker, rate limiter, metrics) use
     * {@code ProviderStack.fromConfig} of the {@code loraport-decorators} artifact.
     *
     * @param config the configuration; its provider id is required
     * @return a new provider, which the caller closes
     * @throws IllegalStateException when the configuration names no provider or an unknown one
     */
    public static TrainingProvider create(ProviderConfig config) {
        Objects.requireNonNull(config, "config == null");
        String id = config.providerId()
                .orElseThrow(() -> new IllegalStateException(
                        "no provider chosen: set loraport.provider (or LORAPORT_PROVIDER) to one of " + available()));
        return create(id, config);
    }

    /**
     * The innermost provider under any decorators, such as the adapter itself.
     *
     * @param provider a provider, decorated or not
     * @return the adapter at the bottom of the stack
     */
    public static TrainingProvider unwrap(TrainingProvider provider) {
        TrainingProvider p = provider;
        while (p instanceof ForwardingTrainingProvider f) {
            p = f.unwrapOnce();
        }
        return p;
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : TrainingProviders.class.getClassLoader();
    }

    /** One scan of the class path. */
    private static final class Discovery {
        final Map<String, List<TrainingProviderFactory>> byId = new LinkedHashMap<>();
        final List<String> errors = new ArrayList<>();

        static Discovery load(ClassLoader classLoader) {
            Discovery d = new Discovery();
            Iterator<TrainingProviderFactory> it = ServiceLoader.load(TrainingProviderFactory.class, classLoader)
                    .iterator();
            while (true) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    TrainingProviderFactory f = it.next();
                    d.byId.computeIfAbsent(f.id(), k -> new ArrayList<>()).add(f);
                } catch (ServiceConfigurationError | LinkageError e) {
                    // One broken factory must not hide the others (SLF4J's safelyInstantiate).
                    String message = e.getMessage() == null ? e.toString() : e.getMessage();
                    d.errors.add(message);
                    log.warn("loraport: a training provider factory could not be loaded: {}", message);
                }
            }
            return d;
        }

        TrainingProviderFactory factory(String id) {
            List<TrainingProviderFactory> found = byId.get(id);
            if (found == null) {
                throw new IllegalStateException(
                        "unknown provider '" + id + "'; available: " + describe() + errorSuffix());
            }
            if (found.size() > 1) {
                throw new IllegalStateException("provider id '" + id + "' is claimed by " + found.size()
                        + " factories: "
                        + found.stream().map(f -> f.getClass().getName()).collect(Collectors.joining(", "))
                        + "; remove one from the class path" + errorSuffix());
            }
            return found.get(0);
        }

        private String describe() {
            if (byId.isEmpty()) {
                return "none (add a loraport-provider-* artifact to the class path)";
            }
            return byId.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " ("
                            + e.getValue().stream()
                                    .map(f -> f.getClass().getName())
                                    .collect(Collectors.joining(", "))
                            + ")")
                    .collect(Collectors.joining(", "));
        }

        private String errorSuffix() {
            return errors.isEmpty() ? "" : "; factories that failed to load: " + String.join("; ", errors);
        }
    }
}
