package dev.loraport.internal;

import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingProviderException;
import dev.loraport.internal.LocalImages.Local;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads images with bounded parallelism, retrying each image on its own; the final failure names the image.
 * Adapters supply how one image is uploaded. Not API.
 */
public final class ImageUploads {

    /** Uploads one image and returns what the service calls it (an assets id, a link). */
    @FunctionalInterface
    public interface Upload {
        /**
         * Uploads.
         *
         * @param image the image
         * @return the service's reference to it
         */
        String upload(Local image);
    }

    /** Waits between an image's attempts; replaced in tests. */
    @FunctionalInterface
    public interface Pause {
        /**
         * Waits.
         *
         * @param d how long
         * @throws InterruptedException when interrupted
         */
        void sleep(Duration d) throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(ImageUploads.class);

    private final String providerId;
    private final int parallelism;
    private final int maxAttempts;
    private final Pause pause;
    private final AtomicInteger retries = new AtomicInteger();

    /**
     * Creates the runner.
     *
     * @param providerId the provider id, for errors and thread names
     * @param parallelism concurrent uploads, 1 or more
     * @param maxAttempts attempts per image, 1 or more
     * @param pause the wait between attempts
     */
    public ImageUploads(String providerId, int parallelism, int maxAttempts, Pause pause) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("loraport." + providerId + ".upload.parallelism: " + parallelism
                    + " is out of range; allowed 1 or more");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("loraport." + providerId + ".upload.max-attempts: " + maxAttempts
                    + " is out of range; allowed 1 or more");
        }
        this.providerId = providerId;
        this.parallelism = parallelism;
        this.maxAttempts = maxAttempts;
        this.pause = pause;
    }

    /**
     * How many single-image retries happened so far.
     *
     * @return the count
     */
    public int retries() {
        return retries.get();
    }

    /**
     * Uploads every image.
     *
     * @param images the images, already read and checked
     * @param upload how one image is uploaded
     * @return the service's references, in the same order
     */
    public List<String> run(List<Local> images, Upload upload) {
        if (images.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, images.size()), r -> {
            Thread t = new Thread(r, "loraport-" + providerId + "-upload");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (Local image : images) {
                futures.add(pool.submit(() -> one(image, upload)));
            }
            List<String> refs = new ArrayList<>();
            for (Future<String> f : futures) {
                refs.add(f.get());
            }
            return refs;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException(providerId, "upload", "interrupted", null, null, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private String one(Local image, Upload upload) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return upload.upload(image);
            } catch (TrainingProviderException e) {
                if (!e.isRetryable() || attempt >= maxAttempts) {
                    throw withImage(e, image, attempt);
                }
                retries.incrementAndGet();
                log.debug(
                        "{} upload: {} attempt {} failed ({}); retrying",
                        providerId,
                        image.label(),
                        attempt,
                        e.getClass().getSimpleName());
                pause.sleep(Duration.ofMillis(500L * attempt));
            }
        }
    }

    private TrainingProviderException withImage(TrainingProviderException e, Local image, int attempts) {
        String d = image.label() + " failed after " + attempts + " attempt(s): " + e.getMessage();
        Integer status = e.httpStatus().isPresent() ? e.httpStatus().getAsInt() : null;
        String pm = e.providerMessage().orElse(null);
        if (e instanceof AuthenticationException) {
            return new AuthenticationException(providerId, "upload", d, status, pm, e);
        }
        if (e instanceof QuotaExceededException) {
            return new QuotaExceededException(providerId, "upload", d, status, pm, e);
        }
        if (e instanceof InvalidRequestException || e instanceof TaskNotFoundException) {
            return new InvalidRequestException(providerId, "upload", d, status, pm, e);
        }
        if (e instanceof RateLimitedException r) {
            return new RateLimitedException(
                    providerId, "upload", d, status, pm, r.retryAfter().orElse(null), e);
        }
        if (e instanceof MalformedResponseException) {
            return new MalformedResponseException(providerId, "upload", d, status, pm, e);
        }
        return new ProviderUnavailableException(providerId, "upload", d, status, pm, e);
    }
}
