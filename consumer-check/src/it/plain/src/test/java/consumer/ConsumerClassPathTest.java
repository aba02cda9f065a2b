package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.loraport.TaskId;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingProviderException;
import dev.loraport.decorators.ProviderStack;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What a user's build gets from loraport: one OkHttp, no class twice, and adapters that work at run time. */
class ConsumerClassPathTest {

    private static final Pattern OKHTTP = Pattern.compile("okhttp(-jvm)?-\\d.*\\.jar");

    private static List<File> jars() {
        // Surefire runs tests from a manifest-only jar; it names the real class path in this property.
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
    void exactlyOneOkHttpOfTheMajorLoraportTestsWith() {
        List<String> okhttp = new ArrayList<>();
        for (File jar : jars()) {
            if (OKHTTP.matcher(jar.getName()).matches()) {
                okhttp.add(jar.getName());
            }
        }
        assertEquals(1, okhttp.size(), "OkHttp jars on the class path: " + okhttp);
        assertTrue(okhttp.get(0).startsWith("okhttp-jvm-5."), "expected OkHttp 5 (okhttp-jvm), got " + okhttp);
    }

    @Test
    void noClassIsOnTheClassPathTwice() throws IOException {
        Map<String, String> owner = new HashMap<>();
        List<String> twice = new ArrayList<>();
        for (File jar : jars()) {
            try (JarFile jf = new JarFile(jar)) {
                Enumeration<JarEntry> entries = jf.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                        continue;
                    }
                    String first = owner.putIfAbsent(name, jar.getName());
                    if (first != null && !first.equals(jar.getName()) && !shadedWireMockCopy(name, first, jar)) {
                        twice.add(name + " in " + first + " and " + jar.getName());
                    }
                }
            }
        }
        assertTrue(twice.isEmpty(), twice.size() + " classes twice, such as " + twice.subList(0, Math.min(5, twice.size())));
    }

    /**
     * The shaded WireMock under the testkit relocates everything but jspecify's four annotation classes; those are
     * the same API as the jspecify jar's, so a second copy is harmless.
     */
    private static boolean shadedWireMockCopy(String name, String first, File jar) {
        return name.startsWith("org/jspecify/annotations/")
                && (first.startsWith("wiremock-standalone-") || jar.getName().startsWith("wiremock-standalone-"));
    }

    @Test
    void bothDecoratedAdaptersMakeRealCallsOnThisClassPath() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"message\":\"not found\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            for (String id : new String[] {"novita", "stablediffusionapi"}) {
                Map<String, String> config = Map.of(
                        "loraport.provider", id,
                        "loraport." + id + ".api-key", "consumer-key",
                        "loraport." + id + ".base-url", url,
                        "loraport." + id + ".retry.max-attempts", "1");
                int before = requests.get();
                try (TrainingProvider provider = ProviderStack.fromConfig(config)) {
                    assertThrows(TrainingProviderException.class, () -> provider.status(TaskId.of("no-such-task")));
                }
                assertTrue(requests.get() > before, id + " sent no request");
            }
        } finally {
            server.stop(0);
        }
    }
}
