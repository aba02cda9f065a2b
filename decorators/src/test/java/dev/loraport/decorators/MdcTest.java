package dev.loraport.decorators;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.TaskId;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ScriptedProvider.Op;
import dev.loraport.spi.ForwardingTrainingProvider;
import dev.loraport.spi.LoraportMdc;
import dev.loraport.watch.TaskListener;
import dev.loraport.watch.TaskWatcher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The provider, task id and client reference are in the MDC around decorator log lines and listener calls. */
@Tag("issue-18")
class MdcTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private final Logger backoffLog = (Logger) LoggerFactory.getLogger(Backoff.class);
    private @Nullable Level previousLevel;

    @BeforeEach
    void attach() {
        MDC.clear();
        previousLevel = backoffLog.getLevel();
        backoffLog.setLevel(Level.DEBUG);
        events.start();
        backoffLog.addAppender(events);
    }

    @AfterEach
    void detach() {
        backoffLog.detachAppender(events);
        backoffLog.setLevel(previousLevel);
        MDC.clear();
    }

    /** Records the MDC each status call sees at the adapter. */
    static final class Recording extends ForwardingTrainingProvider {
        final List<Map<String, String>> seen = new ArrayList<>();

        Recording(TrainingProvider delegate) {
            super(delegate);
        }

        @Override
        public TrainingTask status(TaskId id) {
            seen.add(copy());
            return delegate().status(id);
        }
    }

    private static Map<String, String> copy() {
        Map<String, String> m = MDC.getCopyOfContextMap();
        return m == null ? Map.of() : new HashMap<>(m);
    }

    private static TrainingProvider stack(TrainingProvider adapter) {
        return ProviderStack.builder()
                .config(ProviderConfig.builder()
                        .providerId("scripted")
                        .option("ratelimit.enabled", "false")
                        .build())
                .adapter(adapter)
                .meterRegistry(new SimpleMeterRegistry())
                .sleeper(d -> {})
                .random(new Random(1))
                .build();
    }

    @Test
    void aRetryLogLineCarriesProviderAndTaskIdAndTheMdcIsClearedAfterwards() {
        ScriptedProvider scripted = new ScriptedProvider(true);
        Recording recording = new Recording(scripted);
        TrainingProvider p = stack(recording);
        TaskId id = p.create(request("ref-bob-1")).id();
        scripted.failNext(
                Op.STATUS, () -> new ProviderUnavailableException("scripted", "status", "503", 503, null, null));

        p.status(id);

        assertThat(events.list).as("the retry was logged").isNotEmpty();
        assertThat(events.list.get(0).getMDCPropertyMap())
                .containsEntry(LoraportMdc.PROVIDER, "scripted")
                .containsEntry(LoraportMdc.TASK_ID, id.value())
                .doesNotContainKey(LoraportMdc.CLIENT_REFERENCE);
        assertThat(recording.seen)
                .hasSize(2)
                .allSatisfy(m -> assertThat(m).containsEntry(LoraportMdc.TASK_ID, id.value()));
        assertThat(copy()).as("nothing left behind").isEmpty();
    }

    @Test
    void aCreateCarriesItsClientReferenceAndACallersOwnValuesComeBack() {
        ScriptedProvider scripted = new ScriptedProvider(true);
        List<Map<String, String>> atCreate = new ArrayList<>();
        scripted.beforeCreate(() -> atCreate.add(copy()));
        TrainingProvider p = stack(scripted);
        MDC.put(LoraportMdc.PROVIDER, "outer");
        MDC.put("request.id", "r-7");

        p.create(request("ref-carol-1"));

        assertThat(atCreate)
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .containsEntry(LoraportMdc.PROVIDER, "scripted")
                        .containsEntry(LoraportMdc.CLIENT_REFERENCE, "ref-carol-1")
                        .containsEntry("request.id", "r-7")
                        .doesNotContainKey(LoraportMdc.TASK_ID));
        assertThat(copy()).isEqualTo(Map.of(LoraportMdc.PROVIDER, "outer", "request.id", "r-7"));
    }

    @Test
    void watcherListenersRunWithTheJobInTheMdcAndLeaveItClean() throws Exception {
        ScriptedProvider scripted = new ScriptedProvider(true);
        TrainingProvider p = stack(scripted);
        TaskId id = p.create(request("ref-dave-1")).id();
        List<Map<String, String>> seen = new ArrayList<>();
        List<Map<String, String>> afterwards = new ArrayList<>();
        WatcherMetricsTest.HeldScheduler scheduler = new WatcherMetricsTest.HeldScheduler();
        try (TaskWatcher watcher = TaskWatcher.builder().scheduler(scheduler).build()) {
            watcher.watch(p, id, new TaskListener() {
                @Override
                public void onStatus(TrainingTask task, @Nullable TrainingStatus previous) {
                    seen.add(copy());
                }
            });
            scheduler.runAll();
            afterwards.add(copy());
        }

        assertThat(seen)
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m)
                        .containsEntry(LoraportMdc.PROVIDER, "scripted")
                        .containsEntry(LoraportMdc.TASK_ID, id.value()));
        assertThat(afterwards).singleElement().isEqualTo(Map.of());
    }

    private static TrainingRequest request(String reference) {
        return TrainingRequest.builder()
                .name("bob")
                .kind(TrainingKind.SUBJECT)
                .baseModel("m")
                .clientReference(reference)
                .addImage(TrainingImage.ofBytes("a.png", PNG))
                .build();
    }
}
