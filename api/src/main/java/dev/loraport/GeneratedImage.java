package dev.loraport;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One generated image: where to fetch it, until when, and its bytes if the adapter fetched them.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class GeneratedImage {

    private final URI url;
    private final @Nullable Instant expiresAt;
    private final byte @Nullable [] bytes;

    private GeneratedImage(URI url, @Nullable Instant expiresAt, byte @Nullable [] bytes) {
        this.url = Objects.requireNonNull(url, "url == null");
        this.expiresAt = expiresAt;
        this.bytes = bytes == null ? null : bytes.clone();
    }

    /**
     * An image at a URL.
     *
     * @param url where the service serves it
     * @param expiresAt when the URL stops working, or null when unknown
     * @return the image
     */
    public static GeneratedImage of(URI url, @Nullable Instant expiresAt) {
        return new GeneratedImage(url, expiresAt, null);
    }

    /**
     * A copy of this image that carries its downloaded bytes.
     *
     * @param bytes the encoded image; copied
     * @return the image with bytes
     */
    public GeneratedImage withBytes(byte[] bytes) {
        return new GeneratedImage(url, expiresAt, Objects.requireNonNull(bytes, "bytes == null"));
    }

    /**
     * Where the service serves the image.
     *
     * @return the URL
     */
    public URI url() {
        return url;
    }

    /**
     * When the URL stops working.
     *
     * @return the expiry, or empty when the service did not say
     */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /**
     * The image's bytes, if they were downloaded.
     *
     * @return a copy of the bytes, or empty
     */
    public Optional<byte[]> bytes() {
        return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof GeneratedImage other
                && url.equals(other.url)
                && Objects.equals(expiresAt, other.expiresAt)
                && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, expiresAt, Arrays.hashCode(bytes));
    }

    /** Names the host only: the full URL may carry a signature. */
    @Override
    public String toString() {
        return "GeneratedImage{host=" + url.getHost() + ", expiresAt=" + expiresAt + ", bytes="
                + (bytes == null ? "none" : bytes.length) + "}";
    }
}
