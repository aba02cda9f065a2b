package dev.loraport.provider.stablediffusionapi.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loraport.TaskId;
import dev.loraport.TrainingModel;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.adapter.internal.JsonFields;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps {@code fine_tune_status} bodies to {@link TrainingTask} (providers.md B.5, B.10). */
public final class StableDiffusionApiMapper {

    private static final Logger log = LoggerFactory.getLogger(StableDiffusionApiMapper.class);

    /** A month: no training runs longer, and a larger ETA would overflow millisecond arithmetic downstream. */
    static final long MAX_ETA_MINUTES = 30L * 24 * 60;

    private static final Map<String, TrainingStatus> STAGES = Map.of(
            "deploying_gpu", TrainingStatus.QUEUED,
            "training_started", TrainingStatus.TRAINING,
            "training_success", TrainingStatus.DEPLOYING,
            "trained_model_compressing", TrainingStatus.DEPLOYING,
            "trained_model_uploading", TrainingStatus.DEPLOYING,
            "trained_model_uploaded", TrainingStatus.DEPLOYING,
            "deploying_model", TrainingStatus.DEPLOYING,
            "model_ready", TrainingStatus.READY);

    private static final Pattern STEP = Pattern.compile(
            "Step:\\s*(\\d+)\\s+([^,]+),\\s*(\\d+)\\s+Steps to go\\s*:\\s*ETA\\s*:\\s*(\\d+(?:\\.\\d+)?)\\s*minutes",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern UPTO = Pattern.compile("upto\\s+(\\d+)\\s+minutes", Pattern.CASE_INSENSITIVE);
    private static final Pattern LINES = Pattern.compile("\\r?\\n|\\s/n\\s?|^/n\\s");

    private StableDiffusionApiMapper() {}

    /**
     * The training stage of a status body: {@code messege} (the service's typo), else {@code message}, else
     * the webhook's {@code training_status}, else a 2023 client's {@code model_training_status}.
     *
     * @param json the body
     * @return the stage, or null
     */
    public static @Nullable String stage(JsonNode json) {
        for (String field : new String[] {"messege", "message", "training_status", "model_training_status"}) {
            String v = JsonFields.nonBlank(json, field);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * Maps a status body whose call succeeded ({@code status} success or failed).
     *
     * @param id the training id
     * @param json the body
     * @return the task
     */
    public static TrainingTask task(String id, JsonNode json) {
        String raw = stage(json);
        String bodyStatus = JsonFields.nonBlank(json, "status");
        String data = JsonFields.nonBlank(json, "data");
        TrainingStatus status = status(raw, bodyStatus, id);
        TrainingTask.Builder b = TrainingTask.builder()
                .id(TaskId.of(id))
                .providerId(StableDiffusionApiHttp.ID)
                .status(status)
                .rawStatus(raw);
        if (status == TrainingStatus.FAILED) {
            b.failureReason(data != null ? data : raw);
        }
        if (status == TrainingStatus.READY) {
            // A LoRA is used in generation by its training id (lora_model).
            b.addModel(new TrainingModel(id, TrainingStatus.READY, raw));
            b.progressPercent(100);
        } else if (!status.isTerminal() && data != null) {
            progress(data, b);
        }
        return b.build();
    }

    static TrainingStatus status(@Nullable String raw, @Nullable String bodyStatus, String id) {
        if ("failed".equalsIgnoreCase(bodyStatus)) {
            return TrainingStatus.FAILED;
        }
        if (raw == null) {
            return TrainingStatus.UNKNOWN;
        }
        TrainingStatus known = STAGES.get(raw.trim().toLowerCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("fail") || lower.contains("error")) {
            return TrainingStatus.FAILED;
        }
        if (lower.contains("cancel")) {
            return TrainingStatus.CANCELED;
        }
        log.warn(
                "stablediffusionapi: training {} is in a stage this library does not know: '{}'; reporting UNKNOWN",
                id,
                raw);
        return TrainingStatus.UNKNOWN;
    }

    /**
     * Reads the progress log: the last {@code Step:n ..., k Steps to go : ETA : m minutes} line gives progress
     * n/(n+k) and the ETA; lines are split on real newlines and on the 2023 literal {@code " /n "}.
     *
     * @param data the {@code data} text
     * @param b the task being built
     */
    private static OptionalLong number(String digits) {
        try {
            return OptionalLong.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static void progress(String data, TrainingTask.Builder b) {
        Matcher last = null;
        for (String line : LINES.split(data)) {
            Matcher m = STEP.matcher(line);
            if (m.find()) {
                last = m;
            }
        }
        // The numbers are the service's free text: any of them may be absurd, and an unreadable optional field is
        // absent (with a warning), never an exception out of a status call.
        if (last != null) {
            OptionalLong n = number(last.group(1));
            OptionalLong togo = number(last.group(3));
            if (n.isPresent() && togo.isPresent()) {
                double total = (double) n.getAsLong() + togo.getAsLong();
                b.progressPercent(total == 0 ? 0 : (int) Math.min(100, Math.floor(100.0 * n.getAsLong() / total)));
            } else {
                log.warn(
                        "loraport stablediffusionapi: progress line with unreadable step counts ignored: {}",
                        last.group());
            }
            double minutes = Double.parseDouble(last.group(4));
            if (minutes <= MAX_ETA_MINUTES) {
                b.eta(Duration.ofSeconds(Math.round(minutes * 60)));
            } else {
                log.warn("loraport stablediffusionapi: ETA of {} minutes, beyond any training; ignored", last.group(4));
            }
            return;
        }
        Matcher upto = UPTO.matcher(data);
        if (upto.find()) {
            OptionalLong minutes = number(upto.group(1));
            if (minutes.isPresent() && minutes.getAsLong() <= MAX_ETA_MINUTES) {
                b.eta(Duration.ofMinutes(minutes.getAsLong()));
            } else {
                log.warn("loraport stablediffusionapi: ETA of {} minutes, beyond any training; ignored", upto.group(1));
            }
        }
    }
}
