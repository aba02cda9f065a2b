package dev.loraport.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server answering each path prefix with a fixed documented body: the same bytes for the raw
 * baseline and the adapters, so the benchmarks compare client code and nothing else.
 */
public final class LoopbackServer implements AutoCloseable {

    /** Novita {@code GET /v3/training/subject} body (providers.md A.5), mid-training. */
    public static final String NOVITA_STATUS = """
            {"task_id":"d660cdd0-ab9b-4a55-8b78-4bc851051fb0","task_name":"bench-lp0123456789",\
            "task_type":"subject","task_status":"TRAINING","model_type":"lora","created_at":1699325415,\
            "models":[],"extra":{"progress_percent":42,"eta_relative":300}}""";

    /** Novita {@code GET /v3/training} body (providers.md A.6), one page of three tasks. */
    public static final String NOVITA_LIST = """
            {"tasks":[{"task_name":"test_01","task_id":"a0c4cc90-0296-4972-a1d8-e6e227daf094","task_type":"subject",\
            "task_status":"SUCCESS","created_at":1699325415,"models":[{"model_name":\
            "model_1699325939_E83A88DAC5.safetensors","model_status":"SERVING"}]},{"task_name":"test_02",\
            "task_id":"b0c4cc90-0296-4972-a1d8-e6e227daf095","task_type":"style","task_status":"TRAINING",\
            "created_at":1699325400,"models":[]},{"task_name":"test_03","task_id":\
            "7bd205ab-63e9-452b-9a66-39c597000eaa","task_type":"subject","task_status":"FAILED",\
            "created_at":1699264338,"models":[]}],"pagination":{"next_cursor":""}}""";

    /** ModelsLab {@code POST /api/v3/fine_tune_status/{id}} body (providers.md B.5, seed 003). */
    public static final String MODELSLAB_STATUS = """
            {"status":"success","messege":"training_started","data":"Step:1 Training Started, 5 Steps to go : \
            ETA : 30 minutes\\nStep:2 Training Done, 4 Steps to go : ETA : 15 minutes"}""";

    /** ModelsLab {@code POST /api/v3/finetune_list} body (providers.md B.6). */
    public static final String MODELSLAB_LIST = """
            {"status":"success","messege":"model list","data":["F5jvdzGnYi","jN3lL5g74V","Q9x2LmPq7Z"]}""";

    /** Replicate {@code GET /v1/trainings/{id}} body (providers.md Part C), processing with a log line. */
    public static final String REPLICATE_STATUS = """
            {"id":"zz4ibbonubfz7carwiefibzgga","model":"ostris/flux-dev-lora-trainer","version":            "e440909d3512c31646ee2e0c7d6f6f4923224863a6a10c494606e79fb5844497","status":"processing",            "input":{"input_images":"https://api.replicate.com/v1/files/abc/download","trigger_word":"TOK",            "steps":1000},"output":null,"error":null,"logs":"flux_train_replicate:  42%|####2     | 420/1000             [05:00<06:54,  1.40it/s, lr: 4.0e-04 loss: 3.81e-01]","created_at":"2024-08-14T12:00:00.000Z",            "started_at":"2024-08-14T12:00:30.000Z","completed_at":null,"source":"api","urls":{"get":            "https://api.replicate.com/v1/trainings/zz4ibbonubfz7carwiefibzgga","cancel":            "https://api.replicate.com/v1/trainings/zz4ibbonubfz7carwiefibzgga/cancel"}}""";

    /** Replicate {@code GET /v1/trainings} body: one page of the same training, no next page. */
    public static final String REPLICATE_LIST = "{\"next\":null,\"previous\":null,\"results\":["
            + REPLICATE_STATUS + ","
            + REPLICATE_STATUS.replace("zz4ibbonubfz7carwiefibzgga", "aa4ibbonubfz7carwiefibzgga")
            + "]}";

    private final HttpServer server;

    private LoopbackServer(Map<String, String> bodies) {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet delayed ACKs: every call
        // would then take about 40 ms and measure the kernel, not the clients.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bodies.forEach((prefix, body) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            server.createContext(prefix, exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
        });
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "loopback-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /**
     * Starts a server for both providers' status and list endpoints.
     *
     * @return the running server
     */
    public static LoopbackServer start() {
        return new LoopbackServer(Map.of(
                "/v3/training/subject", NOVITA_STATUS,
                "/v3/training", NOVITA_LIST,
                "/api/v3/fine_tune_status/", MODELSLAB_STATUS,
                "/api/v3/finetune_list", MODELSLAB_LIST,
                "/v1/trainings/", REPLICATE_STATUS,
                "/v1/trainings", REPLICATE_LIST));
    }

    /**
     * The base URL, {@code http://127.0.0.1:<port>}.
     *
     * @return the URL without a trailing slash
     */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
