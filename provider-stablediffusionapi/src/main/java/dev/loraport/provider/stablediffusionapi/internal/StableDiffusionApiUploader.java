package dev.loraport.provider.stablediffusionapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loraport.MalformedResponseException;
import dev.loraport.TrainingImage;
import dev.loraport.adapter.internal.JsonFields;
import dev.loraport.internal.ImageUploads;
import dev.loraport.internal.LocalImages.Local;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Turns training images into the public URLs ModelsLab trains from: each local image is uploaded as a data URI
 * through {@code base64_crop} (retried on its own; the final failure names the image), URL images are sent as they
 * are.
 */
public final class StableDiffusionApiUploader {

    private final StableDiffusionApiApi api;
    private final StableDiffusionApiHttp http;
    private final ImageUploads uploads;

    /**
     * Creates the uploader.
     *
     * @param http the call runner
     * @param uploads the parallel, per-image retrying runner
     */
    public StableDiffusionApiUploader(StableDiffusionApiHttp http, ImageUploads uploads) {
        this.api = http.api();
        this.http = http;
        this.uploads = uploads;
    }

    /**
     * The URL of every image, in request order.
     *
     * @param images the request's images
     * @param local its FILE and BYTES images, already read and checked
     * @return the URLs
     */
    public List<String> upload(List<TrainingImage> images, List<Local> local) {
        List<String> links = uploads.run(local, this::crop);
        List<String> urls = new ArrayList<>();
        int next = 0;
        for (TrainingImage image : images) {
            urls.add(
                    image.source() == TrainingImage.Source.URL
                            ? image.url().orElseThrow().toString()
                            : links.get(next++));
        }
        return urls;
    }

    private String crop(Local image) {
        ObjectNode body = http.mapper().createObjectNode();
        body.put(
                "image",
                "data:image/" + image.format() + ";base64,"
                        + Base64.getEncoder().encodeToString(image.bytes()));
        body.put("crop", "true");
        JsonNode response = http.execute("upload", api.crop(http.body(body)));
        String link = JsonFields.nonBlank(response, "link");
        if (link == null) {
            throw new MalformedResponseException(
                    StableDiffusionApiHttp.ID, "upload", "no link in the base64_crop response", 200, null, null);
        }
        return link;
    }
}
