package dev.loraport.provider.novita.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loraport.AuthenticationException;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.RateLimitedException;
import dev.loraport.TaskNotFoundException;
import dev.loraport.TrainingProviderException;
import dev.loraport.internal.HttpErrors;
import dev.loraport.internal.LocalImages.Local;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads training images: one presigned URL per image, then a PUT of the bytes without Novita's
 * Authorization header (the URL carries its own signature). Each image is retried on its own with a fresh
 * URL; the final failure names the image.
 */
public final class NovitaUploader {

    /** Sleeps between an image's attempts; replaced in tests. */
    public interface Pause {
        /**
         * Waits.
         *
         * @param d how long
         * @throws InterruptedException when interrupted
         */
        void sleep(Duration d) throws InterruptedException;
    }

    private static final Logger log = LoggerFactory.getLogger(NovitaUploader.class);

    private final NovitaApi api;
    private final NovitaHttp http;
    private final OkHttpClient uploadClient;
    private final int parallelism;
    private final int maxAttempts;
    private final Pause pause;
    private final AtomicInteger retries = new AtomicInteger();

    /**
     * Creates the uploader.
     *
     * @param api the Novita API
     * @param http the call runner
     * @param uploadClient a client WITHOUT the Authorization interceptor
     * @param parallelism concurrent uploads
     * @param maxAttempts attempts per image
     * @param pause the wait between attempts
     */
    public NovitaUploader(
            NovitaApi api, NovitaHttp http, OkHttpClient uploadClient, int parallelism, int maxAttempts, Pause pause) {
        this.api = api;
        this.http = http;
        this.uploadClient = uploadClient;
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
     * @return the assets ids, in the same order
     */
    public List<String> upload(List<Local> images) {
        if (images.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, images.size()), r -> {
            Thread t = new Thread(r, "loraport-novita-upload");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (Local image : images) {
                futures.add(pool.submit(() -> uploadOne(image)));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : futures) {
                ids.add(f.get());
            }
            return ids;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderUnavailableException(NovitaErrors.ID, "upload", "interrupted", null, null, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private String uploadOne(Local image) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                JsonNode slot =
                        http.execute("upload", api.assetUrl(http.body(Map.of("file_extension", image.format()))));
                String assetsId = NovitaErrors.text(slot, "assets_id");
                String url = NovitaErrors.text(slot, "upload_url");
                if (assetsId == null || url == null) {
                    throw new MalformedResponseException(
                            NovitaErrors.ID, "upload", "no assets_id or upload_url in the response", null, null, null);
                }
                put(image, slot, url);
                return assetsId;
            } catch (TrainingProviderException e) {
                if (!e.isRetryable() || attempt >= maxAttempts) {
                    throw withImage(e, image, attempt);
                }
                retries.incrementAndGet();
                log.debug(
                        "novita upload: {} attempt {} failed ({}); retrying with a new URL",
                        image.label(),
                        attempt,
                        e.getClass().getSimpleName());
                pause.sleep(Duration.ofMillis(500L * attempt));
            }
        }
    }

    private void put(Local image, JsonNode slot, String url) {
        String method = NovitaErrors.text(slot, "method");
        Request.Builder rb = new Request.Builder()
                .url(url)
                .method(
                        method == null ? "PUT" : method.toUpperCase(Locale.ROOT),
                        RequestBody.create(image.bytes(), MediaType.get("image/" + image.format())));
        JsonNode headers = slot.get("headers");
        if (headers != null && headers.isObject()) {
            headers.fields().forEachRemaining(h -> {
                // OkHttp sets Host from the URL (the signed host); Authorization must never reach the bucket.
                if (!h.getKey().equalsIgnoreCase("Host") && !h.getKey().equalsIgnoreCase("Authorization")) {
                    JsonNode values = h.getValue().get("values");
                    if (values != null && values.isArray() && !values.isEmpty()) {
                        rb.header(h.getKey(), values.get(0).asText());
                    }
                }
            });
        }
        try (Response r = uploadClient.newCall(rb.build()).execute()) {
            if (!r.isSuccessful()) {
                int code = r.code();
                // An expired presigned URL answers 403: a new URL fixes it, so it is retryable here.
                if (code == 403 || code == 408 || code == 429 || code >= 500) {
                    throw new ProviderUnavailableException(
                            NovitaErrors.ID, "upload", "the upload URL refused the image", code, null, null);
                }
                throw new InvalidRequestException(
                        NovitaErrors.ID, "upload", "the upload URL rejected the image", code, null, null);
            }
        } catch (IOException e) {
            throw HttpErrors.fromIo(NovitaErrors.ID, "upload", e);
        }
    }

    private static TrainingProviderException withImage(TrainingProviderException e, Local image, int attempts) {
        String d = image.label() + " failed after " + attempts + " attempt(s): " + e.getMessage();
        Integer status = e.httpStatus().isPresent() ? e.httpStatus().getAsInt() : null;
        String pm = e.providerMessage().orElse(null);
        if (e instanceof AuthenticationException) {
            return new AuthenticationException(NovitaErrors.ID, "upload", d, status, pm, e);
        }
        if (e instanceof QuotaExceededException) {
            return new QuotaExceededException(NovitaErrors.ID, "upload", d, status, pm, e);
        }
        if (e instanceof InvalidRequestException || e instanceof TaskNotFoundException) {
            return new InvalidRequestException(NovitaErrors.ID, "upload", d, status, pm, e);
        }
        if (e instanceof RateLimitedException r) {
            return new RateLimitedException(
                    NovitaErrors.ID, "upload", d, status, pm, r.retryAfter().orElse(null), e);
        }
        if (e instanceof MalformedResponseException) {
            return new MalformedResponseException(NovitaErrors.ID, "upload", d, status, pm, e);
        }
        return new ProviderUnavailableException(NovitaErrors.ID, "upload", d, status, pm, e);
    }
}
