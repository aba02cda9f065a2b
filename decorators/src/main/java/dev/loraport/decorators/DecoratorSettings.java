package dev.loraport.decorators;

import dev.loraport.ProviderConfig;
import dev.loraport.internal.config.ConfigValues;
import java.time.Duration;

/**
 * One provider's decorator options, each read with its range checked, so a bad value fails when the stack is built
 * and its message names {@code loraport.<id>.<key>} with the id of the provider being wrapped (the configuration may
 * name none when the adapter is built in code). Defaults are not checked: they are ours. Immutable.
 */
final class DecoratorSettings {

    private final ProviderConfig config;
    private final String id;

    DecoratorSettings(ProviderConfig config, String id) {
        this.config = config;
        this.id = id;
    }

    String key(String option) {
        return "loraport." + id + "." + option;
    }

    boolean flag(String option, boolean defaultValue) {
        return config.option(option)
                .map(v -> ConfigValues.parseBoolean(key(option), v))
                .orElse(defaultValue);
    }

    int wholeNumber(String option, int defaultValue, int min, int max) {
        return config.option(option)
                .map(v -> ConfigValues.checkInt(key(option), ConfigValues.parseInt(key(option), v), min, max))
                .orElse(defaultValue);
    }

    double number(String option, double defaultValue, double min, double max) {
        return config.option(option)
                .map(v -> ConfigValues.checkDouble(key(option), ConfigValues.parseDouble(key(option), v), min, max))
                .orElse(defaultValue);
    }

    Duration duration(String option, Duration defaultValue, Duration min, Duration max) {
        return config.option(option)
                .map(v -> ConfigValues.checkDuration(key(option), ConfigValues.parseDuration(key(option), v), min, max))
                .orElse(defaultValue);
    }
}
