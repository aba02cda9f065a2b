package dev.loraport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.testkit.SimulatorExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's {@code --json} output checked against the JSON Schemas in {@code docs/cli-json.md}, so the
 * documented shapes cannot drift from what the command prints: the schema must accept the output, and every field
 * the output has must be declared in the schema (a new field is documented or this fails).
 */
class CliJsonSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BLOCK = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Map<String, JsonNode> SCHEMAS = new LinkedHashMap<>();
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    final NovitaSimulator novita = NovitaSimulator.create(VirtualClock.scaled(1_000));

    @RegisterExtension
    final SimulatorExtension novitaRunning = SimulatorExtension.of(novita);

    final StableDiffusionApiSimulator modelslab = StableDiffusionApiSimulator.create(VirtualClock.scaled(1_000));

    @RegisterExtension
    final SimulatorExtension modelslabRunning = SimulatorExtension.of(modelslab);

    @TempDir
    Path dir;

    private String out = "";
    private String err = "";

    @BeforeAll
    static void readTheDocumentedSchemas() throws IOException {
        // The tests run in cli/; the docs are the reactor's.
        String doc = Files.readString(Path.of("..", "docs", "cli-json.md"));
        Matcher m = BLOCK.matcher(doc);
        while (m.find()) {
            JsonNode schema = JSON.readTree(m.group(1));
            if (schema.has("$id")) {
                SCHEMAS.put(schema.get("$id").asText(), schema);
            }
        }
        assertThat(SCHEMAS)
                .containsOnlyKeys(
                        "urn:loraport:cli:error",
                        "urn:loraport:cli:task",
                        "urn:loraport:cli:local-job",
                        "urn:loraport:cli:provider",
                        "urn:loraport:cli:generate",
                        "urn:loraport:cli:cancel",
                        "urn:loraport:cli:simulate",
                        "urn:loraport:cli:completion",
                        "urn:loraport:cli:help",
                        "urn:loraport:cli:demo",
                        "urn:loraport:cli:bench");
    }

    private Map<String, String> env(String provider) {
        return SimulatorEnv.of(provider, novita, modelslab, dir);
    }

    private JsonNode run(int expectedExit, Map<String, String> env, String... args) throws IOException {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o), new PrintWriter(e), env);
        out = o.toString();
        err = e.toString();
        assertThat(code).as(String.join(" ", args) + "\n" + err).isEqualTo(expectedExit);
        return JSON.readTree(out);
    }

    /** The output fits the schema, and declares nothing the schema does not. */
    private static void conforms(JsonNode output, String id) {
        JsonNode schemaNode = SCHEMAS.get(id);
        Schema schema = REGISTRY.getSchema(schemaNode.toString());
        List<Error> errors = schema.validate(output);
        assertThat(errors).as(id + " for " + output).isEmpty();
        List<String> undeclared = new ArrayList<>();
        undeclared(output, schemaNode, schemaNode, "$", undeclared);
        assertThat(undeclared)
                .as(id + ": fields the output has and the schema does not declare")
                .isEmpty();
    }

    private static void conformsEach(JsonNode array, String id) {
        assertThat(array.isArray()).as(id + " array").isTrue();
        assertThat(array.size()).as(id + " array").isPositive();
        for (JsonNode item : array) {
            conforms(item, id);
        }
    }

    private static void undeclared(JsonNode value, JsonNode schema, JsonNode root, String path, List<String> out) {
        JsonNode s = resolve(schema, root);
        if (value.isObject()) {
            JsonNode props = s.get("properties");
            JsonNode extra = s.get("additionalProperties");
            boolean patterned = s.has("patternProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String where = path + "." + f.getKey();
                if (props != null && props.has(f.getKey())) {
                    undeclared(f.getValue(), props.get(f.getKey()), root, where, out);
                } else if (extra != null && extra.isObject()) {
                    undeclared(f.getValue(), extra, root, where, out);
                } else if (!patterned) {
                    out.add(where);
                }
            }
        } else if (value.isArray() && s.has("items")) {
            int i = 0;
            for (JsonNode item : value) {
                undeclared(item, s.get("items"), root, path + "[" + i++ + "]", out);
            }
        }
    }

    private static JsonNode resolve(JsonNode schema, JsonNode root) {
        JsonNode ref = schema.get("$ref");
        if (ref == null) {
            return schema;
        }
        assertThat(ref.asText()).startsWith("#/");
        return resolve(root.at(ref.asText().substring(1)), root);
    }

    @Test
    void everyTaskCommandPrintsTheDocumentedShapes() throws IOException {
        Path images = Files.createDirectories(dir.resolve("faces"));
        for (int i = 1; i <= 3; i++) {
            Files.write(images.resolve("face-" + i + ".png"), SampleImages.png(i));
        }
        Map<String, String> env = env("novita");

        JsonNode task = run(0, env, "train", "--images", images.toString(), "--json");
        conforms(task, "urn:loraport:cli:task");
        String id = task.get("id").asText();
        JsonNode done = run(0, env, "wait", id, "--json", "--poll-min", "20ms");
        conforms(done, "urn:loraport:cli:task");
        conforms(run(0, env, "status", "novita:" + id, "--json"), "urn:loraport:cli:task");
        conformsEach(run(0, env, "list", "--json"), "urn:loraport:cli:task");
        String model = done.get("models").get(0).get("name").asText();
        conforms(
                run(
                        0,
                        env,
                        "generate",
                        "--prompt",
                        "ohwx person",
                        "--lora",
                        model,
                        "--out",
                        dir.resolve("gen").toString(),
                        "--json"),
                "urn:loraport:cli:generate");

        // A job this machine submitted is listed from its store, without asking the service.
        Map<String, String> stored = new HashMap<>(env);
        stored.put("LORAPORT_STORE_PATH", dir.resolve("jobs.txt").toString());
        run(0, stored, "train", "--images", images.toString(), "--json");
        conformsEach(run(0, stored, "list", "--local", "--json"), "urn:loraport:cli:local-job");

        Map<String, String> ml = env("stablediffusionapi");
        String other = run(0, ml, "train", "--images", images.toString(), "--json")
                .get("id")
                .asText();
        conforms(run(0, ml, "cancel", other, "--json"), "urn:loraport:cli:cancel");
    }

    @Test
    void errorsUnderJsonAreTheDocumentedObject() throws IOException {
        conforms(run(6, env("novita"), "status", "novita:no-such-task", "--json"), "urn:loraport:cli:error");
        conforms(run(2, Map.of(), "bench", "--jobs", "0", "--json"), "urn:loraport:cli:error");
        conforms(run(7, env("novita"), "cancel", "some-id", "--json"), "urn:loraport:cli:error");
    }

    @Test
    void theOtherCommandsPrintTheDocumentedShapes() throws IOException {
        conformsEach(run(0, Map.of(), "providers", "--json"), "urn:loraport:cli:provider");
        conforms(run(0, Map.of(), "completion", "--json"), "urn:loraport:cli:completion");
        conforms(run(0, Map.of(), "help", "--json"), "urn:loraport:cli:help");
        conforms(run(0, Map.of(), "help", "generate", "--json"), "urn:loraport:cli:help");
        conforms(run(0, Map.of(), "simulate", "--json", "--for", "PT0.01S"), "urn:loraport:cli:simulate");
        conformsEach(
                run(
                        0,
                        Map.of("LORAPORT_HOME", dir.resolve("home").toString()),
                        "demo",
                        "--speed",
                        "3000",
                        "--json",
                        "--out",
                        dir.resolve("demo").toString()),
                "urn:loraport:cli:demo");
        conforms(
                run(
                        0,
                        Map.of(),
                        "bench",
                        "--jobs",
                        "1",
                        "--faults",
                        "lost-create",
                        "--speed",
                        "3000",
                        "--json",
                        "--out",
                        dir.resolve("bench").toString()),
                "urn:loraport:cli:bench");
    }
}
