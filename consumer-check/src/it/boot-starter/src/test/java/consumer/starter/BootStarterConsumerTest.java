package consumer.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.loraport.PageRequest;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.spi.TrainingProviders;
import dev.loraport.watch.TaskWatcher;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.health.CompositeHealth;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Under Boot 3.5's dependency management, the starter wires the decorated Novita adapter on Boot's meter
 * registry, the watcher and the health contributor, and the class path holds one OkHttp and no class twice.
 */
@SpringBootTest(classes = BootStarterConsumerTest.App.class)
class BootStarterConsumerTest {

    /** Answers every call with Novita's 500 error body, on loopback. */
    static final HttpServer stub = start();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    private static HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", exchange -> {
                byte[] body = "{\"message\":\"down\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void stub(DynamicPropertyRegistry registry) {
        registry.add("loraport.novita.base-url", () -> "http://127.0.0.1:" + stub.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        stub.stop(0);
    }

    @Autowired
    TrainingProvider provider;

    @Autowired
    TaskWatcher watcher;

    @Autowired
    MeterRegistry meters;

    @Autowired
    HealthEndpoint health;

    @Test
    void theStarterWiresTheDecoratedAdapterMetricsAndHealth() {
        assertThat(provider.info().id()).isEqualTo("novita");
        assertThat(TrainingProviders.unwrap(provider)).isNotSameAs(provider);
        assertThat(watcher).isNotNull();
        try {
            provider.list(PageRequest.first(1));
        } catch (TrainingProviderException expected) {
            // the stub answers 500
        }
        assertThat(meters.get("loraport.requests").tag("operation", "list").timer().count()).isEqualTo(1);
        HealthComponent loraport = health.healthForPath("loraport");
        assertThat(loraport).isNotNull();
        assertThat(loraport.getStatus()).isEqualTo(Status.DOWN);
        assertThat(((CompositeHealth) loraport).getComponents()).containsKey("novita");
    }

    private static List<File> jars() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<File> out = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            File f = new File(entry);
            if (f.isFile() && f.getName().endsWith(".jar")) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void oneOkHttpOfLoraportsMajorAndNoClassTwice() throws IOException {
        List<String> okhttp = new ArrayList<>();
        Map<String, String> owner = new HashMap<>();
        List<String> twice = new ArrayList<>();
        for (File jar : jars()) {
            if (jar.getName().matches("okhttp(-jvm)?-\\d.*\\.jar")) {
                okhttp.add(jar.getName());
            }
            try (JarFile jf = new JarFile(jar)) {
                Enumeration<JarEntry> entries = jf.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                        continue;
                    }
                    String first = owner.putIfAbsent(name, jar.getName());
                    if (first != null && !first.equals(jar.getName())) {
                        twice.add(name + " in " + first + " and " + jar.getName());
                    }
                }
            }
        }
        assertThat(okhttp).singleElement().asString().startsWith("okhttp-jvm-5.");
        assertThat(twice).as("classes twice").isEmpty();
    }
}
