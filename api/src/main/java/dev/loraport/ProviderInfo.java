package dev.loraport;

import java.util.Objects;

/**
 * What a provider is and what it can do.
 *
 * @param id the stable lowercase id, such as {@code novita}: also the configuration prefix and metric tag
 * @param displayName a name for people, such as {@code Novita AI}
 * @param capabilities what the service supports
 * @since 0.1
 */
public record ProviderInfo(String id, String displayName, ProviderCapabilities capabilities) {

    /**
     * Rejects null parts.
     *
     * @param id the stable lowercase id, such as {@code novita}: also the configuration prefix and metric tag
     * @param displayName a name for people, such as {@code Novita AI}
     * @param capabilities what the service supports
     */
    public ProviderInfo {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(displayName, "displayName == null");
        Objects.requireNonNull(capabilities, "capabilities == null");
    }
}
