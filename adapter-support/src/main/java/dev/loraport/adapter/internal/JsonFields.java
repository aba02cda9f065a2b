package dev.loraport.adapter.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** Reads loosely typed fields of service JSON, where a number may come as a string and absent may be null or "". */
public final class JsonFields {

    private JsonFields() {}

    /**
     * A field as text.
     *
     * @param node the object, or null
     * @param field the field
     * @return the text, or null when the field is absent, null or empty
     */
    public static @Nullable String text(@Nullable JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    /**
     * A field as text that means something only when it is not blank.
     *
     * @param node the object, or null
     * @param field the field
     * @return the text, or null when the field is absent, null or blank
     */
    public static @Nullable String nonBlank(@Nullable JsonNode node, String field) {
        String v = text(node, field);
        return v == null || v.isBlank() ? null : v;
    }
}
