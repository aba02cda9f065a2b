package dev.loraport.provider.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.loraport.MalformedResponseException;
import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers no real service sends but a broken proxy or a hostile host can: a body larger than the adapter will hold,
 * with or without a declared length; and settings this adapter does not take, which are refused, not dropped.
 */
class ReplicateHostileAnswerTest {

    private static final String TOKEN = "r8_hostile_test_token";

    private HttpServer server;
    // How many body bytes the server managed to write before the client hung up.
    private final AtomicLong written = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] chunk = ("{\"pad\":\"" + "x".repeat(8180) + "\"}").getBytes(StandardCharsets.UTF_8);
        // 64 MiB of one JSON-looking stream with no length: read whole, it would take 64 MiB of heap per call.
        server.createContext("/v1/trainings/endless", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 8192; i++) {
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // The client stopped reading, as it should.
            }
        });
        server.createContext("/v1/trainings/declared", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 1L << 30);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            } catch (IOException e) {
                // The client hung up at the header.
            }
        });
        server.createContext("/v1/trainings/small", exchange -> {
            byte[] body = "{\"id\":\"small\",\"status\":\"succeeded\",\"input\":{}}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ProviderConfig.Builder config() {
        return ProviderConfig.builder()
                .providerId("replicate")
                .apiKey(TOKEN)
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    @Test
    void aBodyLongerThanTheLimitIsRefusedWithoutReadingItAll() {
        try (ReplicateTrainingProvider p = ReplicateTrainingProvider.from(
                config().option("max-response-size", "1MiB").build())) {
            assertThatThrownBy(() -> p.status(TaskId.of("endless")))
                    .isInstanceOf(MalformedResponseException.class)
                    .hasMessageContaining("too large")
                    .hasMessageContaining("loraport.replicate.max-response-size = 1048576 bytes")
                    .hasMessageNotContaining(TOKEN);
            // An answer within the limit still reads.
            assertThat(p.status(TaskId.of("small")).id().value()).isEqualTo("small");
        }
        // The server could not push its 64 MiB: the client stopped soon after the first MiB.
        assertThat(written.get()).isLessThan(32L << 20);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedAtTheHeader() {
        try (ReplicateTrainingProvider p = ReplicateTrainingProvider.from(config().build())) {
            assertThatThrownBy(() -> p.status(TaskId.of("declared")))
                    .isInstanceOf(MalformedResponseException.class)
                    .hasMessageContaining("1073741824 bytes declared")
                    .hasMessageContaining("max-response-size = 16777216 bytes");
        }
    }

    @Test
    void settingsOtherAdaptersTakeAreRefusedNamingTheKeyAndWhy() {
        assertThatThrownBy(() -> ReplicateTrainingProvider.from(
                        config().option("upload.parallelism", "4").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loraport.replicate.upload.parallelism: is not supported by replicate (the images go up"
                        + " as one zip); must be left out");
        assertThatThrownBy(() -> ReplicateTrainingProvider.from(
                        config().option("generate.model", "sdxl").build()))
                .hasMessageStartingWith("loraport.replicate.generate.model: is not supported by replicate");
        assertThatThrownBy(() -> ReplicateTrainingProvider.from(
                        config().option("max-response-size", "512").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "loraport.replicate.max-response-size: 512 is not allowed; allowed: 1KiB to 1GiB");
        assertThatThrownBy(() -> ReplicateTrainingProvider.from(
                        config().option("max-response-size", "lots").build()))
                .hasMessageContaining("loraport.replicate.max-response-size: 'lots' is not a size");
    }
}
