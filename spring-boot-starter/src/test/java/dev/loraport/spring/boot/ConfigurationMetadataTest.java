package dev.loraport.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.PollPolicy;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/**
 * The metadata IDEs complete {@code loraport.*} from: every key described, every key with a default of its own has
 * it, and the decorator defaults are ProviderStack's (its documented table), the watcher's PollPolicy's.
 */
@Tag("issue-18")
class ConfigurationMetadataTest {

    /** Keys whose default is someone else's (the adapter's, the service's) or none: described, no value. */
    private static final Set<String> NO_DEFAULT =
            Set.of("api-key", "base-url", "connect-timeout", "read-timeout", "call-timeout", "options");

    private static Map<String, JsonNode> properties() throws Exception {
        try (InputStream in =
                ConfigurationMetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the configuration processor ran").isNotNull();
            Map<String, JsonNode> out = new LinkedHashMap<>();
            new ObjectMapper()
                    .readTree(in)
                    .get("properties")
                    .forEach(p -> out.put(p.get("name").asText(), p));
            return out;
        }
    }

    @Test
    void everyKeyIsDescribedAndHasItsDefault() throws Exception {
        Map<String, JsonNode> all = properties();
        assertThat(all).containsKeys("loraport.provider", "loraport.store.type", "loraport.health.cache-ttl");
        for (String id : ProviderSettings.IDS) {
            assertThat(all)
                    .containsKeys(
                            "loraport." + id + ".api-key",
                            "loraport." + id + ".options",
                            "loraport." + id + ".retry.max-attempts",
                            "loraport." + id + ".circuitbreaker.permitted-calls-in-half-open-state");
        }
        Set<String> undescribed = new TreeSet<>();
        Set<String> withoutDefault = new TreeSet<>();
        all.forEach((name, p) -> {
            if (!p.hasNonNull("description") || p.get("description").asText().isBlank()) {
                undescribed.add(name);
            }
            String leaf = name.substring(name.lastIndexOf('.') + 1);
            if (!p.has("defaultValue") && !NO_DEFAULT.contains(leaf) && !name.equals("loraport.provider")) {
                withoutDefault.add(name);
            }
            assertThat(p.path("description").asText()).as(name).doesNotContain("{@");
        });
        assertThat(undescribed).isEmpty();
        assertThat(withoutDefault).isEmpty();
    }

    @Test
    void theDecoratorDefaultsAreProviderStacksAndTheWatchersPollPolicys() throws Exception {
        // The table in ProviderStack's Javadoc is the documented contract of its defaults.
        String source =
                Files.readString(Path.of("../decorators/src/main/java/dev/loraport/decorators/ProviderStack.java"));
        Matcher row =
                Pattern.compile("\\{@code ([a-z.-]+)}</td><td>([^<]+)</td>").matcher(source);
        Map<String, JsonNode> all = properties();
        int compared = 0;
        while (row.find()) {
            String key = row.group(1);
            String documented = row.group(2).strip();
            for (String id : ProviderSettings.IDS) {
                JsonNode p = all.get("loraport." + id + "." + key);
                assertThat(p).as("metadata for loraport.%s.%s", id, key).isNotNull();
                assertThat(same(p.get("defaultValue").asText(), documented))
                        .as("loraport.%s.%s: %s vs ProviderStack's %s", id, key, p.get("defaultValue"), documented)
                        .isTrue();
                compared++;
            }
        }
        assertThat(compared).as("rows of ProviderStack's table").isEqualTo(19 * ProviderSettings.IDS.size());
        assertThat(duration(all, "loraport.watcher.min-poll-interval")).isEqualTo(PollPolicy.DEFAULT_MIN_INTERVAL);
        assertThat(duration(all, "loraport.watcher.max-poll-interval")).isEqualTo(PollPolicy.DEFAULT_MAX_INTERVAL);
    }

    private static Duration duration(Map<String, JsonNode> all, String key) {
        return DurationStyle.detectAndParse(all.get(key).get("defaultValue").asText());
    }

    private static boolean same(String metadata, String documented) {
        if (metadata.equalsIgnoreCase(documented)) {
            return true;
        }
        try {
            return Double.parseDouble(metadata) == Double.parseDouble(documented);
        } catch (NumberFormatException notNumbers) {
            try {
                return DurationStyle.detectAndParse(metadata).equals(DurationStyle.detectAndParse(documented));
            } catch (IllegalArgumentException notDurations) {
                return false;
            }
        }
    }
}
