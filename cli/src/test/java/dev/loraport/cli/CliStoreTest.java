package dev.loraport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.TaskId;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.testkit.SimulatorExtension;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskRef;
import dev.loraport.watch.TaskStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command's local store: where it is, what train records in it, and what list, status and wait read back. */
class CliStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    final NovitaSimulator novita = NovitaSimulator.create(VirtualClock.scaled(1_000));

    @RegisterExtension
    final SimulatorExtension novitaRunning = SimulatorExtension.of(novita);

    final StableDiffusionApiSimulator modelslab = StableDiffusionApiSimulator.create(VirtualClock.scaled(1_000));

    @RegisterExtension
    final SimulatorExtension modelslabRunning = SimulatorExtension.of(modelslab);

    @TempDir
    Path dir;

    private Path images;
    private Path home;
    private String out;
    private String err;
    /** Both streams' writes in the order they happened, each prefixed with the stream's name. */
    private List<String> writes;

    @BeforeEach
    void writeImages() throws IOException {
        images = Files.createDirectories(dir.resolve("faces"));
        for (int i = 1; i <= 3; i++) {
            Files.write(images.resolve("face-" + i + ".png"), SampleImages.png(i));
        }
        home = dir.resolve("loraport-home");
    }

    /** A configured service (a simulator in this JVM, reached over loopback) with the user's store in a temp folder. */
    private Map<String, String> env(String provider) {
        Map<String, String> env = new HashMap<>();
        env.put("LORAPORT_PROVIDER", provider);
        String prefix = "LORAPORT_" + provider.toUpperCase(Locale.ROOT) + "_";
        if (provider.equals("novita")) {
            env.put(prefix + "BASE_URL", novita.baseUrl());
            env.put(prefix + "API_KEY", novita.apiKey());
        } else {
            env.put(prefix + "BASE_URL", modelslab.baseUrl());
            env.put(prefix + "API_KEY", modelslab.apiKey());
        }
        env.put(prefix + "RETRY_INITIAL_BACKOFF", "10ms");
        env.put(prefix + "RECONCILE_DELAY", "10ms");
        env.put(prefix + "RATELIMIT_PERMITS_PER_SECOND", "500");
        env.put("LORAPORT_HOME", home.toString());
        return env;
    }

    /** As {@link #env}, as {@code loraport simulate} exports it: the CLI polls on the simulator's time. */
    private Map<String, String> simulatorEnv(String provider) {
        Map<String, String> env = env(provider);
        env.put("LORAPORT_SIMULATOR_SPEED", "1000");
        return env;
    }

    private int run(Map<String, String> env, String... args) {
        List<String> log = new ArrayList<>();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code =
                Main.run(args, new PrintWriter(new Tee("out", o, log)), new PrintWriter(new Tee("err", e, log)), env);
        out = o.toString();
        err = e.toString();
        writes = log;
        return code;
    }

    private JsonNode json() throws IOException {
        return JSON.readTree(out);
    }

    private List<Path> filesUnder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void trainRecordsTheJobInLoraportHomeByDefault() throws IOException {
        assertThat(run(env("novita"), "train", "--images", images.toString(), "--json"))
                .as(err)
                .isZero();
        String id = json().get("id").asText();

        List<TaskRef> refs = TaskStore.file(home.resolve("jobs.txt")).load();
        assertThat(refs).extracting(TaskRef::taskId).containsExactly(TaskId.of(id));
        assertThat(refs.get(0).providerId()).isEqualTo("novita");
    }

    @Test
    void theStoreFlagAndLoraportStorePathOverrideTheDefaultAndNoneWritesNothing() throws IOException {
        Path flagged = dir.resolve("flag/jobs.txt");
        assertThat(run(env("novita"), "train", "--images", images.toString(), "--store", flagged.toString()))
                .as(err)
                .isZero();
        assertThat(TaskStore.file(flagged).load()).hasSize(1);

        // The config layer maps LORAPORT_STORE_PATH to loraport.store.path.
        Path keyed = dir.resolve("key/jobs.txt");
        Map<String, String> env = env("novita");
        env.put("LORAPORT_STORE_PATH", keyed.toString());
        assertThat(run(env, "train", "--images", images.toString())).as(err).isZero();
        assertThat(TaskStore.file(keyed).load()).hasSize(1);

        assertThat(run(env("novita"), "train", "--images", images.toString(), "--store", "none"))
                .as(err)
                .isZero();
        assertThat(novita.tasksCreated()).isEqualTo(3);
        assertThat(filesUnder(home)).isEmpty();
    }

    @Test
    void simulatorsNeverWriteTheDefaultStore() throws IOException {
        // The embedded simulator: no service configured at all.
        assertThat(run(Map.of("LORAPORT_HOME", home.toString()), "train", "--images", images.toString()))
                .as(err)
                .isZero();
        assertThat(err).contains("using the embedded novita simulator");
        // A simulator in another process, as `loraport simulate` exports it.
        assertThat(run(simulatorEnv("novita"), "train", "--images", images.toString(), "--wait", "--poll-min", "20ms"))
                .as(err)
                .isZero();
        assertThat(novita.tasksCreated()).isEqualTo(1);

        assertThat(filesUnder(home)).isEmpty();
    }

    @Test
    void trainJsonSaysSubmittedOnStderrBeforeTheJsonOnStdout() throws IOException {
        Path store = dir.resolve("jobs.txt");

        assertThat(run(
                        simulatorEnv("novita"),
                        "train",
                        "--images",
                        images.toString(),
                        "--wait",
                        "--json",
                        "--poll-min",
                        "20ms",
                        "--store",
                        store.toString()))
                .as(err)
                .isZero();

        // stdout is one JSON document, and nothing else.
        JsonNode task = json();
        assertThat(task.get("status").asText()).isEqualTo("READY");
        String ref = "novita:" + task.get("id").asText();
        assertThat(err).contains("submitted " + ref + System.lineSeparator());
        int submitted = writes.indexOf("err:submitted " + ref);
        assertThat(submitted).as(writes.toString()).isNotNegative();
        int firstOut = -1;
        for (int i = 0; i < writes.size() && firstOut < 0; i++) {
            firstOut = writes.get(i).startsWith("out:") ? i : -1;
        }
        assertThat(firstOut).as(writes.toString()).isGreaterThan(submitted);
        // The job ended, so the watcher took it out of the store again.
        assertThat(TaskStore.file(store).load()).isEmpty();
    }

    @Test
    void theJournalHoldsTheAcceptedIntentAfterTrain() throws IOException {
        Path store = dir.resolve("jobs.txt");

        assertThat(run(
                        env("novita"),
                        "train",
                        "--images",
                        images.toString(),
                        "--client-reference",
                        "lp-journal-1",
                        "--json",
                        "--store",
                        store.toString()))
                .as(err)
                .isZero();
        String id = json().get("id").asText();

        assertThat(Files.exists(dir.resolve("jobs.txt.journal"))).isTrue();
        List<CreateIntent> intents = TaskStore.file(store).intents();
        assertThat(intents).hasSize(1);
        CreateIntent intent = intents.get(0);
        assertThat(intent.state()).isEqualTo(CreateIntent.State.ACCEPTED);
        assertThat(intent.taskId()).isEqualTo(TaskId.of(id));
        assertThat(intent.clientReference()).isEqualTo("lp-journal-1");
        assertThat(intent.providerId()).isEqualTo("novita");
        // Never the key itself: the journal holds a fingerprint of it.
        assertThat(Files.readString(dir.resolve("jobs.txt.journal"))).doesNotContain(novita.apiKey());
    }

    @Test
    void listLocalShowsTheJobWithoutCallingTheService() throws IOException {
        Map<String, String> env = env("novita");
        assertThat(run(env, "train", "--images", images.toString(), "--client-reference", "lp-list-1", "--json"))
                .as(err)
                .isZero();
        String id = json().get("id").asText();
        int calls = novita.requestCount(Endpoint.ANY);

        assertThat(run(env, "list", "--local")).as(err).isZero();
        assertThat(out).contains("novita", id, "lp-list-1", "1 local job(s) in " + home.resolve("jobs.txt"));
        assertThat(run(env, "list", "--local", "--json")).as(err).isZero();
        JsonNode rows = json();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("ref").asText()).isEqualTo("novita:" + id);
        assertThat(rows.get(0).get("clientReference").asText()).isEqualTo("lp-list-1");
        assertThat(rows.get(0).get("createdAt").asText()).isNotBlank();
        assertThat(rows.get(0).get("endedBy").isNull()).isTrue();

        assertThat(novita.requestCount(Endpoint.ANY)).isEqualTo(calls);
    }

    @Test
    void aRerunWithTheSameClientReferenceAndStoreReturnsTheSameJob() throws IOException {
        // ModelsLab's listing shows no names: only the store's journal can tell the rerun that the job exists.
        Path store = dir.resolve("jobs.txt");
        String[] train = {
            "train",
            "--images",
            images.toString(),
            "--client-reference",
            "lp-once",
            "--json",
            "--store",
            store.toString()
        };
        assertThat(run(env("stablediffusionapi"), train)).as(err).isZero();
        String first = json().get("id").asText();

        assertThat(run(env("stablediffusionapi"), train)).as(err).isZero();

        assertThat(json().get("id").asText()).isEqualTo(first);
        assertThat(err).contains("submitted stablediffusionapi:" + first);
        assertThat(modelslab.tasksCreated()).isEqualTo(1);
        assertThat(modelslab.requestCount(Endpoint.CREATE)).isEqualTo(1);
    }

    @Test
    void statusAndWaitWithoutTaskActOnEveryLocalJobAndWaitEmptiesTheStore() throws IOException {
        Map<String, String> env = simulatorEnv("novita");
        Path store = dir.resolve("jobs.txt");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            assertThat(run(env, "train", "--images", images.toString(), "--json", "--store", store.toString()))
                    .as(err)
                    .isZero();
            ids.add(json().get("id").asText());
        }

        assertThat(run(env, "status", "--json", "--store", store.toString()))
                .as(err)
                .isZero();
        assertThat(json().findValuesAsText("id")).containsExactlyElementsOf(ids);
        assertThat(run(env, "wait", "--json", "--poll-min", "20ms", "--store", store.toString()))
                .as(err)
                .isZero();
        assertThat(json().findValuesAsText("id")).containsExactlyElementsOf(ids);
        assertThat(json().findValuesAsText("status")).containsOnly("READY");

        assertThat(TaskStore.file(store).load()).isEmpty();
        assertThat(run(env, "wait", "--store", store.toString())).as(err).isZero();
        assertThat(out).contains("no local jobs of novita in " + store);
    }

    @Test
    void aWaitThatTimesOutKeepsTheJobInTheStoreAndSaysWhy() throws IOException {
        // Two simulated hours: at x1000 the job runs for 7 s of real time, far past the wait below.
        novita.durations(TaskDurations.of(Duration.ofMinutes(10), Duration.ofMinutes(100), Duration.ofMinutes(10)));
        Map<String, String> env = simulatorEnv("novita");
        Path store = dir.resolve("jobs.txt");
        assertThat(run(env, "train", "--images", images.toString(), "--json", "--store", store.toString()))
                .as(err)
                .isZero();
        String id = json().get("id").asText();

        assertThat(run(env, "wait", id, "--timeout", "300ms", "--poll-min", "20ms", "--store", store.toString()))
                .isEqualTo(ExitCode.UNAVAILABLE.code());

        assertThat(err).contains("the job keeps running: novita:" + id);
        List<TaskRef> refs = TaskStore.file(store).load();
        assertThat(refs).extracting(TaskRef::taskId).containsExactly(TaskId.of(id));
        assertThat(refs.get(0).endedBy()).startsWith("timed out at");
    }

    @Test
    void listLocalOnAMachineThatNeverTrainedCreatesNothing() throws IOException {
        assertThat(run(env("novita"), "list", "--local")).as(err).isZero();

        assertThat(out).contains("0 local job(s) in " + home.resolve("jobs.txt") + " (LORAPORT_HOME)");
        assertThat(home).doesNotExist();
        assertThat(novita.requestCount(Endpoint.ANY)).isZero();
    }

    @Test
    void withoutTaskAndWithoutAServiceStatusSaysWhatItNeeds() {
        assertThat(run(Map.of("LORAPORT_HOME", home.toString()), "status")).isEqualTo(ExitCode.USAGE.code());
        assertThat(err).contains("status: TASK is required when no service is configured");
    }

    @Test
    void theHelpSaysWhereTheStoreIs() {
        for (String command : new String[] {"train", "status", "wait", "list"}) {
            assertThat(run(Map.of(), command, "--help")).as(command).isZero();
            // Whitespace out: picocli wraps long words at their dots.
            assertThat(out.replaceAll("\\s+", ""))
                    .as(command)
                    .contains("--store=FILE")
                    .contains("$LORAPORT_HOME/jobs.txt")
                    .contains("~/.local/state/loraport/jobs.txt");
        }
    }

    /** A writer that also logs each line written through it, named by its stream, in one shared order. */
    private static final class Tee extends Writer {
        private final String name;
        private final StringWriter target;
        private final List<String> log;
        private final StringBuilder line = new StringBuilder();

        Tee(String name, StringWriter target, List<String> log) {
            this.name = name;
            this.target = target;
            this.log = log;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            synchronized (log) {
                target.write(cbuf, off, len);
                for (int i = off; i < off + len; i++) {
                    char c = cbuf[i];
                    if (c == '\n') {
                        log.add(name + ":" + line.toString().replace("\r", ""));
                        line.setLength(0);
                    } else {
                        line.append(c);
                    }
                }
            }
        }

        @Override
        public void flush() {
            synchronized (log) {
                if (line.length() > 0) {
                    log.add(name + ":" + line);
                    line.setLength(0);
                }
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}
