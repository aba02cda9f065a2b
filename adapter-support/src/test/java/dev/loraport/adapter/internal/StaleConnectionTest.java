package dev.loraport.adapter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.ProviderUnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import retrofit2.Call;
import retrofit2.http.GET;
import retrofit2.http.POST;

/**
 * Servers close keep-alive connections a client still pools: after an idle timeout, or after every answer
 * without saying so (HTTP/1.0 style). A read must not fail on such a connection.
 */
@Tag("issue-14")
class StaleConnectionTest {

    interface Api {
        @GET("thing")
        Call<ResponseBody> thing();

        @POST("create")
        Call<ResponseBody> create();
    }

    static final class TestHttp extends AdapterHttp {
        final Api api;

        TestHttp(AdapterHttp.Setup setup) {
            super(setup);
            this.api = create(Api.class);
        }
    }

    /**
     * Answers each request with a small JSON body and keep-alive framing (no {@code Connection: close}), then
     * closes the connection after {@code idleCloseMillis} without a new request, or at once when it is 0.
     */
    static final class ClosingServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        private final Thread thread;

        ClosingServer(int idleCloseMillis) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                        serve(s, idleCloseMillis);
                    } catch (IOException e) {
                        // Closed by the test, or by the client: accept the next connection.
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(Socket s, int idleCloseMillis) throws IOException {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            s.setSoTimeout(idleCloseMillis == 0 ? 5_000 : idleCloseMillis);
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                int length = 0;
                for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                    if (h.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                }
                for (int i = 0; i < length; i++) {
                    in.read();
                }
                int n = requests.incrementAndGet();
                byte[] body = ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                if (idleCloseMillis == 0) {
                    // Closes without a Connection: close header, as HTTP/1.0-style servers do.
                    return;
                }
                // Otherwise the read timeout below is the server's idle timeout.
            }
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private TestHttp http;

    private TestHttp http(ClosingServer server) {
        AdapterSettings settings = AdapterSettings.builder("test", URI.create(server.url()), "m")
                .apiKey("k")
                .build();
        http = new TestHttp(AdapterHttp.setup(settings, new AdapterHttpTest.Errors(), StaleConnectionTest.class));
        return http;
    }

    @AfterEach
    void close() {
        if (http != null) {
            http.close();
        }
    }

    @Test
    void fiftyReadsSucceedAgainstAServerThatClosesAfterEveryAnswer() throws IOException {
        try (ClosingServer server = new ClosingServer(0)) {
            TestHttp h = http(server);
            for (int i = 0; i < 50; i++) {
                assertThat(h.execute("status", h.api.thing()).has("n")).isTrue();
            }
            assertThat(server.requests).hasValue(50);
        }
    }

    @Test
    void aReadAfterTheServersIdleTimeoutSucceeds() throws Exception {
        try (ClosingServer server = new ClosingServer(200)) {
            TestHttp h = http(server);
            h.execute("list", h.api.thing());
            // Longer than the server's idle timeout, far shorter than the pool's: the pooled connection is dead.
            Thread.sleep(600);

            assertThat(h.execute("status", h.api.thing()).has("n")).isTrue();
            assertThat(server.connections.get()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aCreateOnADeadConnectionIsNotResent() throws IOException {
        try (ClosingServer server = new ClosingServer(0)) {
            TestHttp h = http(server);
            h.execute("status", h.api.thing());

            // The create may have reached the service: the reconciler decides, never a silent resend here.
            assertThatThrownBy(() -> h.execute("create", h.api.create()))
                    .isInstanceOf(ProviderUnavailableException.class);
            assertThat(server.requests).hasValue(1);
        }
    }

    @Test
    void thePoolKeepsIdleConnectionsShorterThanCommonServerTimeouts() {
        assertThat(AdapterHttp.POOL_KEEP_ALIVE).isLessThan(Duration.ofSeconds(30));
    }
}
