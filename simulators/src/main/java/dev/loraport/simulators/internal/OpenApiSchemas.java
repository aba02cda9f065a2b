package dev.loraport.simulators.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks JSON against the schemas of an OpenAPI 3 document, for the keywords ModelsLab's published files use
 * ({@code $ref}, {@code allOf}, {@code oneOf}, {@code type}, {@code enum}, {@code required}, {@code properties},
 * {@code items}, {@code format: uri}). Not API.
 */
public final class OpenApiSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode root;

    private OpenApiSchemas(JsonNode root) {
        this.root = root;
    }

    /**
     * ModelsLab's published OpenAPI file for training ({@code fine_tune}, {@code lora_fine_tune},
     * {@code fine_tune_status}), stored once in this artifact for the simulator's and the adapter's checks.
     *
     * @return the schemas
     */
    public static OpenApiSchemas modelsLabTraining() {
        return load("/dev/loraport/simulators/modelslab/train-model.openapi.json", OpenApiSchemas.class);
    }

    /**
     * ModelsLab's published OpenAPI file for community-model generation.
     *
     * @return the schemas
     */
    public static OpenApiSchemas modelsLabCommunityModels() {
        return load("/dev/loraport/simulators/modelslab/community-models.openapi.json", OpenApiSchemas.class);
    }

    /**
     * Loads a document from the class path.
     *
     * @param resource the resource path, such as {@code /dev/loraport/simulators/modelslab/train-model.openapi.json}
     * @param anchor a class whose loader finds the resource
     * @return the schemas
     */
    public static OpenApiSchemas load(String resource, Class<?> anchor) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            return new OpenApiSchemas(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The problems of a value against {@code components/schemas/<name>}.
     *
     * @param value the JSON
     * @param schemaName the schema
     * @return the problems, empty when the value is valid
     */
    public List<String> validate(JsonNode value, String schemaName) {
        JsonNode schema = root.at("/components/schemas/" + schemaName);
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException("no schema " + schemaName);
        }
        List<String> problems = new ArrayList<>();
        check(value, schema, "$", problems);
        return problems;
    }

    private void check(JsonNode value, JsonNode schema, String path, List<String> out) {
        if (schema.has("$ref")) {
            check(value, root.at(schema.get("$ref").asText().substring(1)), path, out);
            return;
        }
        if (schema.has("allOf")) {
            for (JsonNode part : schema.get("allOf")) {
                check(value, part, path, out);
            }
        }
        if (schema.has("oneOf")) {
            int matches = 0;
            List<String> all = new ArrayList<>();
            for (JsonNode alt : schema.get("oneOf")) {
                List<String> p = new ArrayList<>();
                check(value, alt, path, p);
                if (p.isEmpty()) {
                    matches++;
                }
                all.addAll(p);
            }
            if (matches != 1) {
                out.add(path + ": matches " + matches + " of oneOf: " + all);
            }
            return;
        }
        String type = schema.path("type").asText("");
        boolean typeOk = switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            case "null" -> value.isNull();
            default -> true;
        };
        if (!typeOk) {
            out.add(path + ": expected " + type + " but was " + value.getNodeType() + " " + value);
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(value);
            }
            if (!found) {
                out.add(path + ": " + value + " not in " + schema.get("enum"));
            }
        }
        if ("uri".equals(schema.path("format").asText()) && !value.asText().matches("https?://.+")) {
            out.add(path + ": not a URI: " + value);
        }
        if (schema.has("required")) {
            for (JsonNode r : schema.get("required")) {
                if (!value.has(r.asText())) {
                    out.add(path + ": missing required " + r.asText());
                }
            }
        }
        if (value.isObject() && schema.has("properties")) {
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            schema.get("properties").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                JsonNode v = value.get(p.getKey());
                if (v != null && !v.isNull()) {
                    check(v, p.getValue(), path + "." + p.getKey(), out);
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(value.get(i), schema.get("items"), path + "[" + i + "]", out);
            }
        }
    }
}
