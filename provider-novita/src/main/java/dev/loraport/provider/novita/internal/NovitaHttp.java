package dev.loraport.provider.novita.internal;

import dev.loraport.adapter.internal.AdapterHttp;
import dev.loraport.adapter.internal.AdapterSettings;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;

/**
 * How Novita is reached: the key as {@code Authorization: Bearer} on every API call (never on presigned upload
 * URLs), redirects never followed (a 3xx is an error naming where it pointed), JSON bodies, and errors read
 * by {@link NovitaErrors}.
 */
public final class NovitaHttp extends AdapterHttp {

    /** The provider id. */
    public static final String ID = "novita";

    private final NovitaApi api;

    /**
     * Sets up the clients.
     *
     * @param settings the adapter's settings
     */
    public NovitaHttp(AdapterSettings settings) {
        super(AdapterHttp.setup(settings, NovitaErrors.CALLS, NovitaHttp.class)
                .header("Authorization", "Bearer " + settings.apiKey()));
        this.api = create(NovitaApi.class);
    }

    /**
     * Novita's endpoints.
     *
     * @return the Retrofit implementation
     */
    public NovitaApi api() {
        return api;
    }

    /**
     * A client without the Authorization header, for presigned upload URLs: they carry their own signature.
     *
     * @return the client
     */
    public OkHttpClient uploadClient() {
        return plainClient();
    }

    /**
     * Serialises a request body.
     *
     * @param value a JSON tree or a map
     * @return the body
     */
    public RequestBody body(Object value) {
        return json(value);
    }
}
