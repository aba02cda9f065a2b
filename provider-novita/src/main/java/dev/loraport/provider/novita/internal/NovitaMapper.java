package dev.loraport.provider.novita.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loraport.MalformedResponseException;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingModel;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.adapter.internal.JsonFields;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps Novita task JSON (status and list items) to {@link TrainingTask}, per providers.md A.8. */
public final class NovitaMapper {

    private static final Logger log = LoggerFactory.getLogger(NovitaMapper.class);

    /** 9999-12-31T23:59:59Z: a later {@code created_at} is no date (and {@link Instant} would throw on it). */
    static final long LATEST_EPOCH_SECOND = 253_402_300_799L;

    /** A month: no training runs longer, and a larger ETA would overflow millisecond arithmetic downstream. */
    static final double MAX_ETA_SECONDS = 30.0 * 24 * 3600;

    private NovitaMapper() {}

    /**
     * Maps one task object.
     *
     * @param node the task JSON
     * @param kindHint the kind when the body does not say, or null
     * @param operation the operation, for errors
     * @return the task
     * @throws MalformedResponseException when the body carries no task id
     */
    public static TrainingTask task(JsonNode node, @Nullable TrainingKind kindHint, String operation) {
        String id = JsonFields.text(node, "task_id");
        if (id == null) {
            throw new MalformedResponseException(
                    NovitaHttp.ID, operation, "task without task_id in the response", null, null, null);
        }
        String raw = JsonFields.text(node, "task_status");
        List<TrainingModel> models = new ArrayList<>();
        JsonNode ms = node.get("models");
        if (ms != null && ms.isArray()) {
            for (JsonNode m : ms) {
                String name = JsonFields.text(m, "model_name");
                if (name != null) {
                    String mraw = JsonFields.text(m, "model_status");
                    models.add(new TrainingModel(
                            name, "SERVING".equals(mraw) ? TrainingStatus.READY : TrainingStatus.DEPLOYING, mraw));
                }
            }
        }
        TrainingTask.Builder b = TrainingTask.builder()
                .id(TaskId.of(id))
                .providerId(NovitaHttp.ID)
                .name(JsonFields.text(node, "task_name"))
                .kind(kind(JsonFields.text(node, "task_type"), kindHint))
                .status(status(raw, models, id))
                .rawStatus(raw)
                .models(models);
        JsonNode created = node.get("created_at");
        if (created != null && created.canConvertToLong() && created.asLong() > 0) {
            if (created.asLong() <= LATEST_EPOCH_SECOND) {
                b.createdAt(Instant.ofEpochSecond(created.asLong()));
            } else {
                // An optional field that cannot be a date is absent; it must not fail the whole status call.
                log.warn("loraport novita {}: task {} has created_at {}, not a date; ignored", operation, id, created);
            }
        }
        JsonNode extra = node.get("extra");
        if (extra != null && extra.isObject()) {
            JsonNode pct = extra.get("progress_percent");
            if (pct != null && pct.isNumber()) {
                b.progressPercent((int) Math.max(0, Math.min(100, Math.round(pct.asDouble()))));
            }
            JsonNode eta = extra.get("eta_relative");
            if (eta != null && eta.isNumber() && eta.asDouble() >= 0) {
                if (eta.asDouble() <= MAX_ETA_SECONDS) {
                    b.eta(Duration.ofMillis(Math.round(eta.asDouble() * 1000)));
                } else {
                    log.warn(
                            "loraport novita {}: task {} has eta_relative {}, beyond any training; ignored",
                            operation,
                            id,
                            eta);
                }
            }
        }
        return b.build();
    }

    static @Nullable TrainingKind kind(@Nullable String type, @Nullable TrainingKind hint) {
        if (type == null) {
            return hint;
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "subject" -> TrainingKind.SUBJECT;
            case "style" -> TrainingKind.STYLE;
            default -> hint;
        };
    }

    /**
     * The neutral status: SUCCESS means READY only once every model is SERVING (quirk 13).
     *
     * @param raw the task_status
     * @param models the mapped models
     * @param id the task id, for the log
     * @return the status
     */
    static TrainingStatus status(@Nullable String raw, List<TrainingModel> models, String id) {
        if (raw == null) {
            return TrainingStatus.UNKNOWN;
        }
        return switch (raw) {
            case "QUEUING" -> TrainingStatus.QUEUED;
            case "TRAINING" -> TrainingStatus.TRAINING;
            case "SUCCESS" ->
                !models.isEmpty() && models.stream().allMatch(m -> m.status() == TrainingStatus.READY)
                        ? TrainingStatus.READY
                        : TrainingStatus.DEPLOYING;
            case "FAILED" -> TrainingStatus.FAILED;
            case "CANCELED" -> TrainingStatus.CANCELED;
            case "UNKNOWN" -> TrainingStatus.UNKNOWN;
            default -> {
                log.warn("novita: task {} has a status this library does not know: '{}'; reporting UNKNOWN", id, raw);
                yield TrainingStatus.UNKNOWN;
            }
        };
    }
}
