package dev.loraport.provider.stablediffusionapi.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loraport.adapter.internal.AdapterHttp;
import dev.loraport.adapter.internal.AdapterSettings;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * How ModelsLab is reached: every call a POST whose JSON body carries the key, redirects never followed (a 307 or
 * 308 would re-send the body, key included, to whatever host it names), and errors read by
 * {@link StableDiffusionApiErrors} whatever the HTTP status, 200 included.
 */
public final class StableDiffusionApiHttp extends AdapterHttp {

    /** The provider id. */
    public static final String ID = "stablediffusionapi";

    private final String key;
    private final StableDiffusionApiApi api;

    /**
     * Sets up the client.
     *
     * @param settings the adapter's settings
     */
    public StableDiffusionApiHttp(AdapterSettings settings) {
        super(AdapterHttp.setup(settings, StableDiffusionApiErrors.CALLS, StableDiffusionApiHttp.class)
                .followRedirects(false));
        this.key = settings.apiKey();
        this.api = create(StableDiffusionApiApi.class);
    }

    /**
     * ModelsLab's endpoints.
     *
     * @return the Retrofit implementation
     */
    public StableDiffusionApiApi api() {
        return api;
    }

    /**
     * A JSON body carrying the key and the given fields.
     *
     * @param fields the fields, or null for a key-only body
     * @return the body
     */
    public RequestBody body(@Nullable ObjectNode fields) {
        ObjectNode node = mapper().createObjectNode();
        node.put("key", key);
        if (fields != null) {
            node.setAll(fields);
        }
        return json(node);
    }
}
