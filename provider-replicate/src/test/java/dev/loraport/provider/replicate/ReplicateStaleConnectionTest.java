package dev.loraport.provider.replicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.loraport.PageRequest;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TrainingProviderException;
import dev.loraport.TrainingTask;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Servers close keep-alive connections the JDK client still pools: after an idle timeout, or just as the next
 * request arrives on one. A read must not fail on such a connection, and a create must never be sent twice:
 * it may have reached the service, and only a reconciler may decide that (the OkHttp side's
 * {@code StaleConnectionTest}, for the adapter on {@code java.net.http}).
 */
@Tag("issue-14")
class ReplicateStaleConnectionTest {

    private static final String TRAININGS_POST = "POST /v1/models/ostris/flux-dev-lora-trainer/versions/v1/trainings";

    /**
     * Answers Replicate's endpoints with small JSON bodies and keep-alive framing, each connection on its own
     * thread. A connection is closed silently after {@code idleCloseMillis} without a request, and a second
     * request on one connection that {@link #dropOnReuse} matches is read, counted and then left unanswered:
     * the connection closes, as when a server's idle timeout wins the race with the client's next request.
     */
    static final class KeepAliveServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        /** Every request line that reached the server, answered or not. */
        final List<String> arrived = new CopyOnWriteArrayList<>();
        /** The request lines left unanswered on a reused connection. */
        final List<String> dropped = new CopyOnWriteArrayList<>();

        volatile Predicate<String> dropOnReuse = line -> false;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final int idleCloseMillis;

        KeepAliveServer(int idleCloseMillis) throws IOException {
            this.idleCloseMillis = idleCloseMillis;
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "stale-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    open.add(s);
                    // The client may open a second connection while the server still holds the first one.
                    Thread t = new Thread(() -> serve(s), "stale-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    // Closed by the test.
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                s.setSoTimeout(idleCloseMillis);
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                for (int n = 0; ; n++) {
                    String line = in.readLine();
                    if (line == null) {
                        return;
                    }
                    int length = 0;
                    for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                        if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(h.substring(15).trim());
                        }
                    }
                    // ISO-8859-1 maps each byte to one char, so this reads the body's bytes, a zip's too.
                    for (int i = 0; i < length; i++) {
                        in.read();
                    }
                    String request = line.substring(0, line.lastIndexOf(' '));
                    arrived.add(request);
                    if (n > 0 && dropOnReuse.test(request)) {
                        dropped.add(request);
                        return;
                    }
                    answer(out, request);
                }
            } catch (SocketTimeoutException e) {
                // The idle timeout: the socket closes without a word, as a keep-alive server's does.
            } catch (IOException e) {
                // The client went away.
            }
        }

        private void answer(OutputStream out, String request) throws IOException {
            String training = "{\"id\":\"%s\",\"status\":\"starting\",\"created_at\":\"2026-01-01T00:00:00Z\","
                    + "\"input\":{\"input_images\":\"" + url() + "v1/files/f1\"}}";
            int status = 200;
            String body;
            if (request.equals("POST /v1/files")) {
                status = 201;
                body = "{\"id\":\"f1\",\"urls\":{\"get\":\"" + url() + "v1/files/f1\"}}";
            } else if (request.equals("POST /v1/models")) {
                status = 201;
                body = "{\"owner\":\"me\",\"name\":\"my-cat\"}";
            } else if (request.equals(TRAININGS_POST)) {
                status = 201;
                body = String.format(Locale.ROOT, training, "t-new");
            } else if (request.equals("GET /v1/trainings")) {
                body = "{\"results\":[" + String.format(Locale.ROOT, training, "t1") + "],\"next\":null}";
            } else if (request.startsWith("GET /v1/trainings/")) {
                body = String.format(Locale.ROOT, training, request.substring("GET /v1/trainings/".length()));
            } else {
                status = 404;
                body = "{\"detail\":\"not found\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
                            + "Content-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }

        long count(String request) {
            return arrived.stream().filter(request::equals).count();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/";
        }

        @Override
        public void close() throws IOException {
            socket.close();
            // Connections still open would otherwise keep their threads until the idle timeout.
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private ReplicateTrainingProvider provider;

    private ReplicateTrainingProvider provider(KeepAliveServer server) {
        provider = ReplicateTrainingProvider.builder()
                .apiKey("r8_test")
                .baseUrl(URI.create(server.url()))
                // A fixed owner and trainer version keep a create to upload, model and training.
                .destinationOwner("me")
                .trainerVersion("v1")
                .build();
        return provider;
    }

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    @Test
    void aStatusAfterTheServersIdleTimeoutSucceeds() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(200)) {
            ReplicateTrainingProvider p = provider(server);
            p.status(TaskId.of("t1"));
            // Longer than the server's idle timeout: the pooled connection is dead by now.
            Thread.sleep(600);

            assertThat(p.status(TaskId.of("t2")).id()).isEqualTo(TaskId.of("t2"));
            assertThat(p.list(PageRequest.first(10)).items()).hasSize(1);
            assertThat(server.connections.get()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aStatusWhoseConnectionDiesOnArrivalSucceeds() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(10_000)) {
            server.dropOnReuse = "GET /v1/trainings/t2"::equals;
            ReplicateTrainingProvider p = provider(server);
            p.status(TaskId.of("t1"));

            assertThat(p.status(TaskId.of("t2")).id()).isEqualTo(TaskId.of("t2"));
            assertThat(server.dropped).containsExactly("GET /v1/trainings/t2");
            // A read may be sent again: it changes nothing on the service.
            assertThat(server.count("GET /v1/trainings/t2")).isEqualTo(2);
        }
    }

    @Test
    void aListWhoseConnectionDiesOnArrivalSucceeds() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(10_000)) {
            server.dropOnReuse = "GET /v1/trainings"::equals;
            ReplicateTrainingProvider p = provider(server);
            p.status(TaskId.of("t1"));

            assertThat(p.list(PageRequest.first(10)).items())
                    .extracting(TrainingTask::id)
                    .containsExactly(TaskId.of("t1"));
            assertThat(server.dropped).containsExactly("GET /v1/trainings");
        }
    }

    @Test
    void aCreateWhoseConnectionDiesOnArrivalIsNotResent() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(10_000)) {
            server.dropOnReuse = TRAININGS_POST::equals;
            ReplicateTrainingProvider p = provider(server);
            p.status(TaskId.of("t1"));

            Throwable thrown = catchThrowable(() -> p.create(ReplicateAdapterTest.request("My Cat")));

            assertThat(server.dropped)
                    .as("the create met a dead pooled connection")
                    .containsExactly(TRAININGS_POST);
            // The create may have reached the service: the reconciler decides, never a silent resend here.
            assertThat(server.count(TRAININGS_POST)).isEqualTo(1);
            assertThat(thrown).isInstanceOf(ProviderUnavailableException.class);
        }
    }

    @Test
    void aCreateAfterTheServersIdleTimeoutIsSentOnce() throws Exception {
        try (KeepAliveServer server = new KeepAliveServer(200)) {
            ReplicateTrainingProvider p = provider(server);
            p.status(TaskId.of("t1"));
            Thread.sleep(600);

            Throwable thrown = catchThrowable(() -> p.create(ReplicateAdapterTest.request("My Cat")));

            assertThat(server.count(TRAININGS_POST)).isLessThanOrEqualTo(1);
            assertThat(thrown)
                    .as("a create after an idle close succeeds once, or fails with loraport's exception")
                    .satisfiesAnyOf(
                            t -> assertThat(t).isNull(),
                            t -> assertThat(t).isInstanceOf(TrainingProviderException.class));
        }
    }
}
