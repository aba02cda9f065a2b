package dev.loraport.internal;

import dev.loraport.InvalidRequestException;
import dev.loraport.InvalidRequestException.Violation;
import dev.loraport.ProviderCapabilities;
import dev.loraport.TrainingImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads local training images and checks that each file really is the image type its name says, before any
 * network call. Not API.
 */
public final class LocalImages {

    /**
     * One image read into memory.
     *
     * @param index its position in the request
     * @param image the request's image
     * @param bytes the encoded bytes
     * @param format {@code png}, {@code jpeg} or {@code webp}, from the bytes
     */
    public record Local(int index, TrainingImage image, byte[] bytes, String format) {

        /**
         * How errors name this image.
         *
         * @return {@code images[2] 'face.png'}
         */
        public String label() {
            return "images[" + index + "] '" + image.fileName() + "'";
        }
    }

    private LocalImages() {}

    /**
     * Reads every FILE or BYTES image; URL images are skipped (the caller decides what to do with them).
     *
     * @param providerId the provider id, for the exception
     * @param images the request's images
     * @param formats the formats the service accepts
     * @param maxBytes the largest accepted image, or 0 for no limit
     * @return the local images, in request order
     * @throws InvalidRequestException naming every unreadable, mislabelled, unsupported or oversized image
     */
    public static List<Local> read(String providerId, List<TrainingImage> images, Set<String> formats, long maxBytes) {
        List<Local> out = new ArrayList<>();
        List<Violation> problems = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            TrainingImage image = images.get(i);
            String field = "images[" + i + "]";
            if (image.source() == TrainingImage.Source.URL) {
                continue;
            }
            byte[] bytes;
            try {
                long size = image.source() == TrainingImage.Source.FILE
                        ? Files.size(image.path().orElseThrow())
                        : 0;
                if (maxBytes > 0 && size > maxBytes) {
                    // Checked before reading: a huge file is refused without filling the heap.
                    problems.add(new Violation(
                            field, "'" + image.fileName() + "' is " + size + " bytes; allowed at most " + maxBytes));
                    continue;
                }
                bytes = image.source() == TrainingImage.Source.FILE
                        ? Files.readAllBytes(image.path().orElseThrow())
                        : image.bytes().orElseThrow();
            } catch (IOException e) {
                problems.add(new Violation(
                        field,
                        "cannot read '" + image.fileName() + "': "
                                + e.getClass().getSimpleName()));
                continue;
            }
            String actual = sniff(bytes);
            String named = image.format();
            if (actual == null) {
                problems.add(new Violation(field, "'" + image.fileName() + "' is not a PNG, JPEG or WebP image"));
            } else if (!named.isEmpty() && !named.equals(actual)) {
                problems.add(new Violation(
                        field, "'" + image.fileName() + "' is named ." + named + " but its bytes are " + actual));
            } else if (!formats.isEmpty() && !formats.contains(actual)) {
                problems.add(new Violation(field, "format '" + actual + "' is not supported; allowed: " + formats));
            } else if (maxBytes > 0 && bytes.length > maxBytes) {
                problems.add(new Violation(
                        field,
                        "'" + image.fileName() + "' is " + bytes.length + " bytes; allowed at most " + maxBytes));
            } else {
                out.add(new Local(i, image, bytes, actual));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(providerId, "create", problems);
        }
        return out;
    }

    /**
     * The image type from the first bytes.
     *
     * @param b the encoded image
     * @return {@code png}, {@code jpeg}, {@code webp}, or null when none of them
     */
    public static @Nullable String sniff(byte[] b) {
        return ProviderCapabilities.imageFormatOf(b).orElse(null);
    }
}
