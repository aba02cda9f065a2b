package dev.loraport.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The baseline the adapters are measured against: a hand-written call of the same endpoint (OkHttp, or the JDK
 * client for Replicate, as each adapter uses), parsed by
 * Jackson into a plain map. No validation, no mapping, no error handling beyond the status code.
 */
public final class RawBaseline implements AutoCloseable {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient client = new OkHttpClient();
    private final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
    private final ObjectMapper mapper = new ObjectMapper();
    private final String baseUrl;
    private final String key;

    /**
     * A baseline client.
     *
     * @param baseUrl the server's base URL
     * @param key the API key to send
     */
    public RawBaseline(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    /**
     * Novita's status call: GET with a bearer token.
     *
     * @param taskId the task id
     * @return the parsed body
     */
    public Map<String, Object> novitaStatus(String taskId) {
        return execute(new Request.Builder()
                .url(baseUrl + "/v3/training/subject?task_id=" + taskId)
                .header("Authorization", "Bearer " + key)
                .build());
    }

    /**
     * Novita's list call.
     *
     * @return the parsed body
     */
    public Map<String, Object> novitaList() {
        return execute(new Request.Builder()
                .url(baseUrl + "/v3/training?pagination.limit=100&pagination.cursor=")
                .header("Authorization", "Bearer " + key)
                .build());
    }

    /**
     * ModelsLab's status call: POST with the key in the JSON body.
     *
     * @param trainingId the training id
     * @return the parsed body
     */
    public Map<String, Object> modelslabStatus(String trainingId) {
        return execute(new Request.Builder()
                .url(baseUrl + "/api/v3/fine_tune_status/" + trainingId)
                .post(RequestBody.create("{\"key\":\"" + key + "\"}", JSON))
                .build());
    }

    /**
     * ModelsLab's list call.
     *
     * @return the parsed body
     */
    public Map<String, Object> modelslabList() {
        return execute(new Request.Builder()
                .url(baseUrl + "/api/v3/finetune_list")
                .post(RequestBody.create("{\"key\":\"" + key + "\"}", JSON))
                .build());
    }

    /**
     * Replicate's status call, with the client the Replicate adapter uses (the JDK's {@code HttpClient}): its
     * baseline is the same transport, so the ratio shows the adapter's code.
     *
     * @param trainingId the training id
     * @return the parsed body
     */
    public Map<String, Object> replicateStatus(String trainingId) {
        return executeJdk("/v1/trainings/" + trainingId);
    }

    /**
     * Replicate's list call, first page.
     *
     * @return the parsed body
     */
    public Map<String, Object> replicateList() {
        return executeJdk("/v1/trainings");
    }

    private Map<String, Object> executeJdk(String path) {
        try {
            java.net.http.HttpResponse<byte[]> r = jdk.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + path))
                            .header("Authorization", "Bearer " + key)
                            .header("Accept", "application/json")
                            .GET()
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode());
            }
            return mapper.readValue(r.body(), MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> execute(Request request) {
        try (Response response = client.newCall(request).execute()) {
            ResponseBody body = response.body();
            if (!response.isSuccessful()) {
                throw new IOException("HTTP " + response.code());
            }
            return mapper.readValue(body.byteStream(), MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
