package dev.loraport.provider.novita.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.adapter.internal.JsonFields;
import dev.loraport.internal.HttpErrors;
import dev.loraport.internal.ImageUploads;
import dev.loraport.internal.LocalImages.Local;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Uploads training images: one presigned URL per image, then a PUT of the bytes without Novita's
 * Authorization header (the URL carries its own signature). Each image is retried on its own with a fresh
 * URL; the final failure names the image.
 */
public final class NovitaUploader {

    private final NovitaApi api;
    private final NovitaHttp http;
    private final OkHttpClient uploadClient;
    private final ImageUploads uploads;

    /**
     * Creates the uploader.
     *
     * @param http the call runner; its upload client carries no Authorization header
     * @param uploads the parallel, per-image retrying runner
     */
    public NovitaUploader(NovitaHttp http, ImageUploads uploads) {
        this.api = http.api();
        this.http = http;
        this.uploadClient = http.uploadClient();
        this.uploads = uploads;
    }

    /**
     * Uploads every image.
     *
     * @param images the images, already read and checked
     * @return the assets ids, in the same order
     */
    public List<String> upload(List<Local> images) {
        return uploads.run(images, this::uploadOne);
    }

    private String uploadOne(Local image) {
        JsonNode slot = http.execute("upload", api.assetUrl(http.body(Map.of("file_extension", image.format()))));
        String assetsId = JsonFields.text(slot, "assets_id");
        String url = JsonFields.text(slot, "upload_url");
        if (assetsId == null || url == null) {
            throw new MalformedResponseException(
                    NovitaHttp.ID, "upload", "no assets_id or upload_url in the response", null, null, null);
        }
        put(image, slot, url);
        return assetsId;
    }

    private void put(Local image, JsonNode slot, String url) {
        String method = JsonFields.text(slot, "method");
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
                            NovitaHttp.ID, "upload", "the upload URL refused the image", code, null, null);
                }
                throw new InvalidRequestException(
                        NovitaHttp.ID, "upload", "the upload URL rejected the image", code, null, null);
            }
        } catch (IOException e) {
            throw HttpErrors.fromIo(NovitaHttp.ID, "upload", e);
        }
    }
}
