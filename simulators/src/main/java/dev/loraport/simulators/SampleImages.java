package dev.loraport.simulators;

import dev.loraport.TrainingImage;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Small generated PNG "faces" (flat shapes, ours, no real person) for demos and tests.
 *
 * @since 0.1
 */
public final class SampleImages {

    private SampleImages() {}

    /**
     * Captioned sample images as bytes.
     *
     * @param count how many, 1 or more
     * @return images named {@code face-1.png}...
     */
    public static List<TrainingImage> pngs(int count) {
        List<TrainingImage> out = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            out.add(TrainingImage.ofBytes("face-" + i + ".png", png(i))
                    .withCaption("a photo of ohwx person, pose " + i));
        }
        return out;
    }

    /**
     * One sample image in a given format, for simulated generation results that must be what the client asked
     * for. JPEG is drawn like {@link #png(int)}; the JDK has no WebP writer, so WebP is one fixed 1×1 lossless
     * image (valid, decodable, the same for every variant).
     *
     * @param variant any number
     * @param format {@code png}, {@code jpeg} or {@code webp}
     * @return the encoded image
     * @throws IllegalArgumentException for another format
     */
    public static byte[] image(int variant, String format) {
        switch (format) {
            case "png":
                return png(variant);
            case "webp":
                return Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");
            case "jpeg":
                return encode(draw(variant), "jpeg");
            default:
                throw new IllegalArgumentException("format: " + format + "; allowed png, jpeg, webp");
        }
    }

    /**
     * One 64×64 PNG, different for each variant.
     *
     * @param variant any number
     * @return the encoded PNG
     */
    public static byte[] png(int variant) {
        return encode(draw(variant), "png");
    }

    private static BufferedImage draw(int variant) {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(new Color(Color.HSBtoRGB((variant * 0.13f) % 1f, 0.35f, 0.95f)));
            g.fillRect(0, 0, 64, 64);
            g.setColor(new Color(0xE0B090));
            g.fillOval(16, 10 + variant % 4, 32, 40);
            g.setColor(Color.DARK_GRAY);
            g.fillOval(24, 24, 4, 4);
            g.fillOval(36, 24, 4, 4);
            g.drawArc(26, 34 + variant % 3, 12, 6, 180, 180);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
