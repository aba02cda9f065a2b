package dev.loraport.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loraport.ProviderCapabilities;
import dev.loraport.ProviderInfo;
import dev.loraport.TrainingModel;
import dev.loraport.TrainingTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns tasks and provider info into JSON-ready maps and aligned text tables. */
final class Render {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Render() {}

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static Map<String, Object> task(TrainingTask t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", t.providerId());
        m.put("id", t.id().value());
        m.put("name", t.name().orElse(null));
        m.put("kind", t.kind().map(Enum::name).orElse(null));
        m.put("status", t.status().name());
        m.put("rawStatus", t.rawStatus().orElse(null));
        m.put(
                "progressPercent",
                t.progressPercent().isPresent() ? t.progressPercent().getAsInt() : null);
        m.put("etaSeconds", t.eta().map(Duration::toSeconds).orElse(null));
        m.put("createdAt", t.createdAt().map(Object::toString).orElse(null));
        List<Map<String, Object>> models = new ArrayList<>();
        for (TrainingModel model : t.models()) {
            Map<String, Object> mm = new LinkedHashMap<>();
            mm.put("name", model.name());
            mm.put("status", model.status().name());
            mm.put("rawStatus", model.rawStatus());
            models.add(mm);
        }
        m.put("models", models);
        m.put("failureReason", t.failureReason().orElse(null));
        return m;
    }

    static Map<String, Object> provider(ProviderInfo info) {
        ProviderCapabilities c = info.capabilities();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", info.id());
        m.put("displayName", info.displayName());
        m.put("trainingKinds", c.trainingKinds().stream().map(Enum::name).toList());
        m.put("baseModels", List.copyOf(c.baseModels()));
        m.put("images", c.imageCount().toString());
        m.put("imageFormats", List.copyOf(c.imageFormats()));
        m.put("cancel", c.supportsCancel());
        m.put("delete", c.supportsDelete());
        m.put("list", c.supportsList());
        m.put("generate", c.supportsGenerate());
        m.put("img2img", c.supportsImg2img());
        m.put("webhooks", c.supportsWebhooks());
        return m;
    }

    static String taskLine(TrainingTask t) {
        StringBuilder sb = new StringBuilder()
                .append(t.providerId())
                .append(' ')
                .append(t.id())
                .append("  ")
                .append(t.status());
        t.rawStatus().ifPresent(r -> sb.append(" (").append(r).append(')'));
        if (t.progressPercent().isPresent()) {
            sb.append("  ").append(t.progressPercent().getAsInt()).append('%');
        }
        t.eta().ifPresent(e -> sb.append("  eta ").append(duration(e)));
        if (!t.models().isEmpty()) {
            sb.append("  model ").append(t.models().get(0).name());
        }
        t.failureReason().ifPresent(r -> sb.append("  reason: ").append(r));
        return sb.toString();
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : String.format("%02ds", s % 60));
        }
        return (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60);
    }

    /** Left-aligned columns, padded to the widest cell. */
    static String table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            width[i] = header.get(i).length();
        }
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        List<String> rule = new ArrayList<>();
        for (int w : width) {
            rule.add("-".repeat(w));
        }
        appendRow(sb, rule, width);
        for (List<String> row : rows) {
            appendRow(sb, row, width);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] width) {
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            sb.append(cell);
            if (i < cells.size() - 1) {
                sb.append(" ".repeat(width[i] - cell.length() + 2));
            }
        }
        sb.append(System.lineSeparator());
    }
}
