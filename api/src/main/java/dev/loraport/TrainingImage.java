package dev.loraport;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One input image: a local file, bytes in memory, or a URL the service can fetch, with an optional caption.
 * Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class TrainingImage {

    /** Where the image's bytes are. */
    public enum Source {
        /** A file on the local disk. */
        FILE,
        /** Bytes in memory. */
        BYTES,
        /** A URL the service fetches itself. */
        URL
    }

    private final Source source;
    private final @Nullable Path path;
    private final byte @Nullable [] bytes;
    private final @Nullable URI url;
    private final String fileName;
    private final @Nullable String caption;

    private TrainingImage(
            Source source,
            @Nullable Path path,
            byte @Nullable [] bytes,
            @Nullable URI url,
            String fileName,
            @Nullable String caption) {
        this.source = source;
        this.path = path;
        this.bytes = bytes;
        this.url = url;
        this.fileName = fileName;
        this.caption = caption;
    }

    /**
     * An image in a local file; the file is read when the job is created.
     *
     * @param path the file
     * @return the image
     */
    public static TrainingImage ofFile(Path path) {
        Objects.requireNonNull(path, "path == null");
        Path name = path.getFileName();
        return new TrainingImage(Source.FILE, path, null, null, name == null ? path.toString() : name.toString(), null);
    }

    /**
     * An image in memory.
     *
     * @param fileName a name with the image's extension ({@code face1.png}); used for the format and in errors
     * @param bytes the encoded image; copied
     * @return the image
     */
    public static TrainingImage ofBytes(String fileName, byte[] bytes) {
        Objects.requireNonNull(fileName, "fileName == null");
        Objects.requireNonNull(bytes, "bytes == null");
        return new TrainingImage(Source.BYTES, null, bytes.clone(), null, fileName, null);
    }

    /**
     * An image the service downloads itself.
     *
     * @param url an absolute http(s) URL
     * @return the image
     */
    public static TrainingImage ofUrl(URI url) {
        Objects.requireNonNull(url, "url == null");
        String p = url.getPath() == null ? "" : url.getPath();
        String name = p.substring(p.lastIndexOf('/') + 1);
        return new TrainingImage(Source.URL, null, null, url, name.isEmpty() ? url.getHost() + "" : name, null);
    }

    /**
     * A copy of this image with a caption (required for style training on some services).
     *
     * @param caption the caption, or null for none
     * @return the captioned image
     */
    public TrainingImage withCaption(@Nullable String caption) {
        return new TrainingImage(source, path, bytes, url, fileName, caption);
    }

    /**
     * Where the bytes are.
     *
     * @return the source kind
     */
    public Source source() {
        return source;
    }

    /**
     * The local file, for {@link Source#FILE}.
     *
     * @return the path, or empty
     */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    /**
     * The bytes, for {@link Source#BYTES}.
     *
     * @return a copy of the bytes, or empty
     */
    public Optional<byte[]> bytes() {
        return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
    }

    /** The bytes of a {@link Source#BYTES} image without a copy, for checks that only read them. */
    byte[] bytesNoCopy() {
        return java.util.Objects.requireNonNull(bytes, "not a BYTES image");
    }

    /**
     * The URL, for {@link Source#URL}.
     *
     * @return the URL, or empty
     */
    public Optional<URI> url() {
        return Optional.ofNullable(url);
    }

    /**
     * The file name used for the format and in error messages.
     *
     * @return the name, such as {@code face1.png}
     */
    public String fileName() {
        return fileName;
    }

    /**
     * The caption.
     *
     * @return the caption, or empty
     */
    public Optional<String> caption() {
        return Optional.ofNullable(caption);
    }

    /**
     * The image format from the file name's extension, normalised ({@code jpg} becomes {@code jpeg}).
     *
     * @return {@code png}, {@code jpeg}, {@code webp}..., or an empty string when there is no extension
     */
    public String format() {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return "";
        }
        String ext = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return ext.equals("jpg") ? "jpeg" : ext;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TrainingImage other)) {
            return false;
        }
        return source == other.source
                && Objects.equals(path, other.path)
                && Arrays.equals(bytes, other.bytes)
                && Objects.equals(url, other.url)
                && fileName.equals(other.fileName)
                && Objects.equals(caption, other.caption);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, path, Arrays.hashCode(bytes), url, fileName, caption);
    }

    /** Names the image without its bytes or URL query (which may carry a signature). */
    @Override
    public String toString() {
        return "TrainingImage{" + source + " " + fileName + (caption == null ? "" : ", captioned") + "}";
    }
}
