package dev.loraport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loraport.internal.LocalImages;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.Fault;
import dev.loraport.simulators.NovitaSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.StableDiffusionApiSimulator;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.testkit.SimulatorExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    // Time runs 1,000 times faster: a 10-minute Novita job takes 0.6 s, and a 120-second upload URL
    // still outlives its upload.
    final NovitaSimulator novita = NovitaSimulator.create(VirtualClock.scaled(1_000));

    @RegisterExtension
    final SimulatorExtension novitaRunning = SimulatorExtension.of(novita);

    final StableDiffusionApiSimulator modelslab = StableDiffusionApiSimulator.create(VirtualClock.scaled(1_000));

    @RegisterExtension
    final SimulatorExtension modelslabRunning = SimulatorExtension.of(modelslab);

    @TempDir
    Path dir;

    private Path images;
    private String out;
    private String err;

    @BeforeEach
    void writeImages() throws IOException {
        images = Files.createDirectories(dir.resolve("faces"));
        for (int i = 1; i <= 3; i++) {
            Files.write(images.resolve("face-" + i + ".png"), SampleImages.png(i));
        }
        Files.writeString(images.resolve("face-1.txt"), "smiling");
    }

    private Map<String, String> env(String provider) {
        return SimulatorEnv.of(provider, novita, modelslab, dir);
    }

    private int run(Map<String, String> env, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(args, new PrintWriter(o), new PrintWriter(e), env);
        out = o.toString();
        err = e.toString();
        return code;
    }

    private JsonNode json() throws IOException {
        return JSON.readTree(out);
    }

    @Test
    void providersListsBothWithCapabilitiesAsJson() throws IOException {
        assertThat(run(Map.of(), "providers", "--json")).isZero();

        assertThat(json().size()).isEqualTo(3);
        assertThat(json().findValuesAsText("id"))
                .containsExactlyInAnyOrder("novita", "stablediffusionapi", "replicate");
        assertThat(run(Map.of(), "providers")).isZero();
        assertThat(out).contains("novita", "stablediffusionapi");
    }

    @Test
    @Tag("issue-13")
    void waitFollowsASimulatorInAnotherProcessOnItsTimeAndSeesReadyWithinSeconds() throws IOException {
        // As after `loraport simulate --speed 100` in another shell: only the printed exports link the two.
        NovitaSimulator slow = NovitaSimulator.create(VirtualClock.scaled(100));
        slow.durations(TaskDurations.of(Duration.ofMinutes(1), Duration.ofMinutes(8), Duration.ofMinutes(1)));
        slow.start();
        try {
            Map<String, String> env = new HashMap<>();
            env.put("LORAPORT_PROVIDER", "novita");
            env.put("LORAPORT_NOVITA_BASE_URL", slow.baseUrl());
            env.put("LORAPORT_NOVITA_API_KEY", slow.apiKey());
            env.put("LORAPORT_SIMULATOR_SPEED", "100");
            env.put("LORAPORT_SIMULATOR_STARTED", slow.clock().start().toString());
            assertThat(run(env, "train", "--images", images.toString(), "--json"))
                    .as(err)
                    .isZero();
            String id = json().get("id").asText();
            Instant readyAt = slow.clock().now().plus(Duration.ofMinutes(10));
            int before = slow.requestCount(Endpoint.STATUS);

            // Default poll settings: no --poll-min.
            assertThat(run(env, "wait", id, "--json")).as(err).isZero();

            assertThat(json().get("status").asText()).isEqualTo("READY");
            Duration late = Duration.between(readyAt, slow.clock().now());
            // The CLI's own loop polled on the wall clock at a 2-minute ceiling: at x100 it saw this hours late
            // (simulated). The bound leaves 1.2 s of real time for a loaded machine; the policy itself is seconds late.
            assertThat(late).isLessThan(Duration.ofMinutes(2));
            // A 5 s poller would make 120 calls for a 10-minute job.
            assertThat(slow.requestCount(Endpoint.STATUS) - before).isLessThan(40);
        } finally {
            slow.stop();
        }
    }

    @Test
    void trainWaitStatusListAndGenerateOnNovita() throws IOException {
        Map<String, String> env = env("novita");

        assertThat(run(env, "train", "--images", images.toString(), "--wait", "--json", "--poll-min", "20ms"))
                .as(err)
                .isZero();
        JsonNode task = json();
        assertThat(task.get("status").asText()).isEqualTo("READY");
        String id = task.get("id").asText();
        String model = task.get("models").get(0).get("name").asText();
        assertThat(novita.tasksCreated()).isEqualTo(1);

        assertThat(run(env, "status", "novita:" + id, "--json")).isZero();
        assertThat(json().get("id").asText()).isEqualTo(id);

        assertThat(run(env, "wait", id, "--json", "--poll-min", "20ms")).isZero();
        assertThat(json().get("status").asText()).isEqualTo("READY");

        assertThat(run(env, "list", "--json")).isZero();
        assertThat(json().size()).isEqualTo(1);
        assertThat(run(env, "list")).isZero();
        assertThat(out).contains(id, "1 job(s)");

        Path saved = dir.resolve("gen");
        assertThat(run(
                        env,
                        "generate",
                        "--prompt",
                        "ohwx person",
                        "--lora",
                        model,
                        "--out",
                        saved.toString(),
                        "--json"))
                .as(err)
                .isZero();
        Path image = Path.of(json().get("images").get(0).asText());
        assertThat(LocalImages.sniff(Files.readAllBytes(image))).isEqualTo("png");
        assertThat(out + err).doesNotContain(novita.apiKey());
    }

    @Test
    void waitKeepsFollowingAJobThroughAnOutageLongerThanTheRetriesOfOneCall() throws IOException {
        Map<String, String> env = env("novita");
        env.put("LORAPORT_NOVITA_RETRY_MAX_ATTEMPTS", "2");
        // Five of the first ten attempts can fail, which opens the breaker too; the wait must outlast it.
        env.put("LORAPORT_NOVITA_CIRCUITBREAKER_WAIT_DURATION_IN_OPEN_STATE", "100ms");
        assertThat(run(env, "train", "--images", images.toString(), "--json"))
                .as(err)
                .isZero();
        String id = json().get("id").asText();
        // Five 503s in a row: the decorator's two attempts per call run out twice before the service is back.
        for (int i = 0; i < 5; i++) {
            novita.failNext(Endpoint.STATUS, Fault.serverError(503));
        }

        assertThat(run(env, "wait", id, "--json", "--poll-min", "20ms")).as(err).isZero();

        assertThat(json().get("status").asText()).isEqualTo("READY");
        assertThat(novita.requestCount(Endpoint.STATUS)).isGreaterThan(5);
    }

    @Test
    void aWaitThatFailsGivesStderrBackFromTheProgressBars() {
        Map<String, String> env = env("novita");
        // As on a terminal: the bars take stderr over, so that log lines print above them.
        env.put("LORAPORT_PROGRESS", "always");
        java.io.PrintStream before = System.err;

        assertThat(run(env, "wait", "novita:no-such-task", "--poll-min", "20ms"))
                .isEqualTo(ExitCode.NOT_FOUND.code());

        assertThat(System.err).isSameAs(before);
        assertThat(run(Map.of("LORAPORT_PROGRESS", "sometimes"), "wait", "novita:x"))
                .isEqualTo(2);
        assertThat(err).contains("LORAPORT_PROGRESS: unknown value 'sometimes'; allowed: auto, always, never");
        Map<String, String> bad = env("novita");
        bad.put("LORAPORT_PROGRESS", "sometimes");
        int sent = novita.requestCount(Endpoint.ANY);
        // Refused before the create: a bad setting must not cost a training.
        assertThat(run(bad, "train", "--images", images.toString(), "--wait")).isEqualTo(2);
        assertThat(novita.requestCount(Endpoint.ANY)).isEqualTo(sent);
    }

    @Test
    void aFailedJobExitsWithOne() {
        novita.failNextTraining("bad data");

        assertThat(run(env("novita"), "train", "--images", images.toString(), "--wait", "--poll-min", "20ms"))
                .isEqualTo(1);
        assertThat(out).contains("FAILED");
    }

    @Test
    void cancelWorksWhereOfferedAndSaysWhyWhereNot() throws IOException {
        assertThat(run(env("stablediffusionapi"), "train", "--images", images.toString(), "--json"))
                .as(err)
                .isZero();
        String id = json().get("id").asText();
        assertThat(run(env("stablediffusionapi"), "cancel", id)).as(err).isZero();
        assertThat(out).contains("cancel requested: stablediffusionapi:" + id);

        assertThat(run(env("novita"), "cancel", "some-id")).isEqualTo(ExitCode.REJECTED.code());
        assertThat(err.strip()).isEqualTo("loraport: novita cancel: provider 'novita' does not support 'cancel'");
    }

    @Test
    void badInputExitsWithTwoAndReachesNoSimulator() throws IOException {
        Map<String, String> env = env("novita");
        Path empty = Files.createDirectories(dir.resolve("empty"));

        assertThat(run(env, "train", "--images", dir.resolve("missing").toString()))
                .isEqualTo(2);
        assertThat(err).contains("--images: folder not found");
        assertThat(run(env, "train", "--images", empty.toString())).isEqualTo(2);
        assertThat(err).contains("--images: no images");
        assertThat(run(env, "train", "--images", images.toString(), "--steps", "0"))
                .isEqualTo(2);
        assertThat(err).contains("steps: 0 is out of range");
        assertThat(run(env, "train", "--images", images.toString(), "--base-model", "nope"))
                .isEqualTo(2);
        assertThat(err).contains("baseModel: 'nope' is not supported");
        assertThat(err.lines().toList())
                .hasSize(2)
                .last()
                .isEqualTo("Try 'loraport train --help' for more information.");
        assertThat(run(env, "status", "x", "--provider", "acme")).isEqualTo(2);
        assertThat(err).contains("unknown provider 'acme'").contains("novita");
        assertThat(run(env, "train")).isEqualTo(2);
        assertThat(novita.requestCount(Endpoint.ANY)).isZero();
    }

    @Test
    void authQuotaAndOutageHaveTheirExitCodes() {
        Map<String, String> wrongKey = env("novita");
        wrongKey.put("LORAPORT_NOVITA_API_KEY", "not-the-key");
        assertThat(run(wrongKey, "list")).isEqualTo(3);
        assertThat(err).contains("rejected the API key").doesNotContain("not-the-key");

        novita.failNext(Endpoint.UPLOAD, Fault.insufficientBalance());
        assertThat(run(env("novita"), "train", "--images", images.toString()))
                .as(err)
                .isEqualTo(4);

        novita.failEvery(1, Endpoint.LIST, Fault.serverError(503));
        assertThat(run(env("novita"), "list")).isEqualTo(5);
        assertThat(err).contains("HTTP 503");
    }

    @Test
    void simulatePrintsHowToReachTheSimulators() {
        assertThat(run(Map.of(), "simulate", "--for", "PT0.2S")).isZero();

        assertThat(out)
                .contains("export LORAPORT_NOVITA_BASE_URL=http://127.0.0.1:")
                .contains("export LORAPORT_STABLEDIFFUSIONAPI_API_KEY=");
    }

    @Test
    void simulatesOutputIsSourcedByAShellAsIsAndItsSettingsReachTheSimulator() throws Exception {
        Path envFile = dir.resolve("sims.env");
        java.util.concurrent.CompletableFuture<Integer> running =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> Main.run(
                        new String[] {"simulate", "--for", "PT6S", "--env-file", envFile.toString()},
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(new StringWriter()),
                        Map.of()));
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!Files.exists(envFile) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        // The env file as a shell reads it: `set -a` exports every KEY=VALUE line.
        Map<String, String> seen = shell("set -a; . '" + envFile + "'; set +a; env");
        assertThat(seen).containsEntry("LORAPORT_PROVIDER", "novita");
        String base = seen.get("LORAPORT_NOVITA_BASE_URL");
        String key = seen.get("LORAPORT_NOVITA_API_KEY");
        assertThat(base).startsWith("http://127.0.0.1:");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> listed = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v3/training?pagination.limit=10"))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        java.net.http.HttpResponse<String> refused = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v3/training?pagination.limit=10"))
                        .header("Authorization", "Bearer wrong-key")
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(running.get(30, java.util.concurrent.TimeUnit.SECONDS)).isZero();

        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        assertThat(JSON.readTree(listed.body()).has("tasks")).as(listed.body()).isTrue();
        assertThat(refused.statusCode()).isEqualTo(403);
        // The printed block, as `eval "$(loraport simulate)"` would run it: comments and exports only.
        assertThat(run(Map.of(), "simulate", "--for", "PT0.1S")).isZero();
        Path printed = dir.resolve("printed.sh");
        Files.writeString(printed, out);
        Map<String, String> evald = shell(". '" + printed + "'; env");
        assertThat(evald)
                .containsKeys(
                        "LORAPORT_PROVIDER",
                        "LORAPORT_NOVITA_BASE_URL",
                        "LORAPORT_STABLEDIFFUSIONAPI_API_KEY",
                        "LORAPORT_SIMULATOR_SPEED");
        assertThat(out.lines().filter(l -> l.startsWith("export LORAPORT_PROVIDER=")))
                .hasSize(1);
    }

    /** Runs a POSIX shell script with an empty environment; fails the test on a non-zero exit. */
    private static Map<String, String> shell(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-ec", script).redirectErrorStream(true);
        pb.environment().clear();
        Process p = pb.start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(text).isZero();
        Map<String, String> env = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    @Test
    void demoTrainsOnBothSimulatorsAndPrintsTheComparison() throws IOException {
        Path home = dir.resolve("home");
        assertThat(run(
                        Map.of("LORAPORT_HOME", home.toString()),
                        "demo",
                        "--speed",
                        "3000",
                        "--json",
                        "--out",
                        dir.resolve("demo").toString()))
                .as(err)
                .isZero();

        JsonNode rows = json();
        assertThat(rows.findValuesAsText("provider")).containsExactly("novita", "stablediffusionapi", "replicate");
        assertThat(rows.findValuesAsText("status")).containsOnly("READY");
        for (JsonNode row : rows) {
            assertThat(Files.exists(Path.of(row.get("image").asText()))).isTrue();
            assertThat(row.get("apiCalls").asInt()).isPositive();
        }
        // The simulators' jobs end with the demo: none may be left in the user's store as if it still ran.
        assertThat(home).doesNotExist();
    }

    @Test
    void theDemoRefusesRealMoneyWithoutConfiguration() {
        assertThat(run(Map.of(), "demo", "--real")).isEqualTo(2);
        assertThat(err).contains("--real: no service configured");
    }

    @Test
    void benchRunsTheWorkloadOnBothSimulatorsUnderChaosWithoutADuplicateTraining() throws IOException {
        Path report = dir.resolve("bench");
        assertThat(run(
                        Map.of(),
                        "bench",
                        "--jobs",
                        "2",
                        "--faults",
                        "chaos",
                        "--speed",
                        "1000",
                        "--json",
                        "--out",
                        report.toString()))
                .as(err)
                .isZero();

        JsonNode result = json();
        assertThat(result.get("faults").asText()).isEqualTo("chaos");
        assertThat(result.get("providers").findValuesAsText("provider"))
                .containsExactly("novita", "stablediffusionapi", "replicate");
        for (JsonNode p : result.get("providers")) {
            String id = p.get("provider").asText();
            JsonNode h = p.get("headline");
            assertThat(p.get("ready").asInt()).as(id).isEqualTo(2);
            // The first create's response was lost: the job is found again, not trained a second time.
            assertThat(h.get("duplicateTrainings").asInt()).as(id).isZero();
            // One create answer is dropped; on Replicate's HTTP/2 the reset may take the other job's create with it.
            assertThat(h.get("lostCreatesReconciled").asInt()).as(id).isBetween(1, 2);
            assertThat(h.get("faultsReachedCaller").asInt()).as(id).isZero();
            assertThat(h.get("faultsInjected").asInt()).as(id).isPositive();
            assertThat(h.get("faultsAbsorbed").asInt())
                    .as(id)
                    .isEqualTo(h.get("failedCalls").asInt());
            assertThat(h.get("retries").asLong()).as(id).isPositive();
            assertThat(p.get("callsByEndpoint").get("create").get("requests").asInt())
                    .as(id)
                    .isEqualTo(2);
            assertThat(p.get("callsByEndpoint").get("create").get("faults").asInt())
                    .as(id)
                    .isEqualTo(1);
            assertThat(p.get("readySecondsP50").asLong()).as(id).isPositive();
            assertThat(p.get("readySecondsMax").asLong())
                    .as(id)
                    .isGreaterThanOrEqualTo(p.get("readySecondsP50").asLong());
            int reconciled = 0;
            for (JsonNode job : p.get("jobDetails")) {
                assertThat(job.get("status").asText()).as(id).isEqualTo("READY");
                JsonNode t = job.get("timeline");
                if (t.get("reconciledCreate").asBoolean()) {
                    reconciled++;
                }
                // The service's own phases, in order, and the end seen no earlier than it happened.
                assertThat(t.get("phasesFrom").asText()).as(id).isEqualTo("service");
                assertThat(t.get("phases").findValuesAsText("status")).as(id).startsWith("QUEUED", "TRAINING");
                assertThat(t.get("endSeen").asDouble())
                        .as(id)
                        .isGreaterThanOrEqualTo(t.get("ended").asDouble());
                assertThat(t.get("endToSeenSeconds").asDouble()).as(id).isGreaterThanOrEqualTo(0);
                assertThat(t.get("calls").findValuesAsText("operation")).as(id).contains("create");
            }
            // Counted twice, apart: by the reconciler's metric and from the calls each job made.
            assertThat(reconciled)
                    .as(id)
                    .isEqualTo(h.get("lostCreatesReconciled").asInt());
        }
        assertThat(JSON.readTree(report.resolve("bench.json").toFile())).isEqualTo(result);
        java.awt.image.BufferedImage png =
                javax.imageio.ImageIO.read(report.resolve("lifecycle.png").toFile());
        assertThat(png.getWidth()).isEqualTo(BenchScene.WIDTH);
        assertThat(Files.readString(report.resolve("report.html")))
                .contains(
                        "<svg",
                        "chaos",
                        ">novita<",
                        ">stablediffusionapi<",
                        ">replicate<",
                        "data-count=\"duplicateTrainings\">0<");
    }

    @Test
    void benchOnAConfiguredServiceTrainsOnceUnlessToldOtherwise() throws IOException {
        Path report = dir.resolve("bench-real");

        assertThat(run(env("novita"), "bench", "--real", "--json", "--poll-min", "20ms", "--out", report.toString()))
                .as(err)
                .isZero();

        JsonNode result = json();
        assertThat(result.get("real").asBoolean()).isTrue();
        assertThat(result.get("jobsPerProvider").asInt()).isEqualTo(1);
        JsonNode p = result.get("providers").get(0);
        assertThat(p.get("provider").asText()).isEqualTo("novita");
        assertThat(p.get("ready").asInt()).isEqualTo(1);
        assertThat(p.get("clock").asText()).isEqualTo("wall");
        // Counted by the client here: a real service cannot be asked what it received.
        assertThat(p.get("apiCalls").asLong()).isPositive();
        assertThat(p.get("headline").get("duplicateTrainings").isNull()).isTrue();
        assertThat(p.get("headline").get("faultsInjected").asInt()).isZero();
        // No truth from a real service: the delay is a bound from the polls around the end, or unknown.
        assertThat(p.get("jobDetails").get(0).get("timeline").get("phasesFrom").asText())
                .isEqualTo("client");
        assertThat(p.get("jobDetails")
                        .get(0)
                        .get("timeline")
                        .get("endToSeenExact")
                        .asBoolean())
                .isFalse();
        assertThat(novita.tasksCreated()).isEqualTo(1);
        assertThat(Files.readString(report.resolve("report.html"))).contains("on the real service");
    }

    @Test
    void everySubcommandAnswersHelp() {
        for (String command : new String[] {"demo", "bench", "train", "wait", "status", "list", "generate"}) {
            assertThat(run(Map.of(), command, "--help")).as(command).isZero();
            assertThat(out).as(command).contains("Usage: loraport " + command);
        }
    }

    @Test
    void benchNamesTheBadOptionAndItsAllowedValuesBeforeStartingAnything() {
        assertThat(run(Map.of(), "bench", "--jobs", "0")).isEqualTo(2);
        assertThat(err).contains("--jobs: 0 is out of range; allowed 1 to 50");

        assertThat(run(Map.of(), "bench", "--timeout", "PT0S")).isEqualTo(2);
        assertThat(err).contains("--timeout: PT0S is out of range; allowed a positive duration");

        assertThat(run(Map.of(), "bench", "--faults", "meteor")).isEqualTo(2);
        assertThat(err)
                .contains("--faults: unknown profile 'meteor'; allowed: none, flaky, throttled, lost-create, chaos");

        assertThat(run(env("novita"), "bench", "--real", "--faults", "flaky")).isEqualTo(2);
        assertThat(err).contains("--faults: flaky is injected by the simulators only");
        assertThat(novita.requestCount(Endpoint.ANY)).isZero();
    }

    // ---- picocli conventions, JSON, exit codes (issue 19) ----

    @Test
    void helpIsASubcommandAndTakesTheCommandItExplains() {
        assertThat(run(Map.of(), "help")).as(err).isZero();
        assertThat(out).contains("Usage: loraport", "help", "completion", "train");
        assertThat(run(Map.of(), "help", "train")).as(err).isZero();
        assertThat(out).contains("Usage: loraport train").contains("--images");
        assertThat(run(Map.of(), "help", "trian")).isEqualTo(ExitCode.USAGE.code());
        assertThat(err).contains("help: unknown command 'trian'; allowed: demo, bench");
    }

    @Test
    void helpUnderJsonIsTheUsageAsData() throws IOException {
        assertThat(run(Map.of(), "help", "train", "--json")).as(err).isZero();
        JsonNode help = json();
        assertThat(help.get("command").asText()).isEqualTo("loraport train");
        assertThat(help.get("usage").asText()).startsWith("Usage: loraport train");
        assertThat(help.get("options").findValuesAsText("paramLabel")).contains("DIR");
        JsonNode images = null;
        for (JsonNode o : help.get("options")) {
            if (o.get("names").toString().contains("--images")) {
                images = o;
            }
        }
        assertThat(images).isNotNull();
        assertThat(images.get("required").asBoolean()).isTrue();

        assertThat(run(Map.of(), "help", "--json")).as(err).isZero();
        assertThat(json().get("subcommands").toString()).contains("train", "bench", "help");
        assertThat(run(Map.of(), "help", "nope", "--json")).isEqualTo(ExitCode.USAGE.code());
        assertThat(json().get("meaning").asText()).isEqualTo("usage");
    }

    @Test
    void completionPrintsABashScriptOfEveryCommandAndOption() throws IOException {
        assertThat(run(Map.of(), "completion")).as(err).isZero();
        assertThat(out).contains("complete -F", "loraport", "train", "generate", "--images", "--poll-min");
        assertThat(run(Map.of(), "completion", "--json")).as(err).isZero();
        assertThat(json().get("script").asText()).contains("complete -F");
    }

    @Test
    void enumValuesAreCaseInsensitive() throws IOException {
        assertThat(run(env("novita"), "train", "--images", images.toString(), "--kind", "subject", "--json"))
                .as(err)
                .isZero();
        assertThat(json().get("status").asText()).isNotBlank();
        assertThat(run(env("novita"), "train", "--images", images.toString(), "--kind", "nope"))
                .isEqualTo(2);
        assertThat(err).contains("SUBJECT", "STYLE");
    }

    @Test
    void everyOptionOfEveryCommandHasADescriptionAndEveryCommandTakesJson() {
        try (CliContext ctx =
                new CliContext(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of())) {
            picocli.CommandLine root = Main.commandLine(ctx);
            java.util.List<String> missing = new java.util.ArrayList<>();
            for (picocli.CommandLine sub : root.getSubcommands().values()) {
                String name = sub.getCommandName();
                if (sub.getCommandSpec().findOption("--json") == null) {
                    missing.add(name + ": no --json");
                }
                for (picocli.CommandLine.Model.OptionSpec o :
                        sub.getCommandSpec().options()) {
                    if (String.join("", o.description()).isBlank()) {
                        missing.add(name + " " + o.longestName());
                    }
                }
            }
            assertThat(missing).isEmpty();
        }
    }

    @Test
    void aUsageErrorIsOneLineAndAHintNotTheWholeUsage() {
        assertThat(run(Map.of(), "status", "--bogus")).isEqualTo(2);
        assertThat(err.lines().toList())
                .containsExactly(
                        "loraport: Unknown option: '--bogus'", "Try 'loraport status --help' for more information.");
        assertThat(out).isEmpty();

        assertThat(run(Map.of(), "trian")).isEqualTo(2);
        assertThat(err.lines().toList()).hasSize(2);
        assertThat(err).contains("did you mean: train");
    }

    @Test
    void optionsThatWouldDoNothingAreRefused() {
        assertThat(run(Map.of(), "cancel", "--poll-min", "1s", "x")).isEqualTo(2);
        assertThat(err).contains("Unknown option", "'--poll-min'");
        assertThat(run(Map.of(), "providers", "--poll-min", "1s")).isEqualTo(2);
        assertThat(err).contains("Unknown option", "'--poll-min'");
        assertThat(run(Map.of(), "simulate", "--provider", "novita", "--for", "1ms"))
                .isEqualTo(2);
        assertThat(err).contains("Unknown option", "'--provider'");
    }

    @Test
    void underJsonAnErrorIsAJsonObjectOnStdoutWithTheCodesMeaning() throws IOException {
        assertThat(run(Map.of(), "train", "--json")).isEqualTo(2);
        JsonNode usage = json();
        assertThat(usage.get("exitCode").asInt()).isEqualTo(2);
        assertThat(usage.get("meaning").asText()).isEqualTo("usage");
        assertThat(usage.get("error").asText()).contains("--images");

        assertThat(run(env("novita"), "status", "no-such-job", "--json")).isEqualTo(ExitCode.NOT_FOUND.code());
        JsonNode notFound = json();
        assertThat(notFound.get("exitCode").asInt()).isEqualTo(6);
        assertThat(notFound.get("meaning").asText()).isEqualTo("not-found");
        assertThat(notFound.get("description").asText()).isEqualTo(ExitCode.NOT_FOUND.meaning());
        assertThat(err).doesNotContain("no-such-job");
        assertThat(out + err).doesNotContain(novita.apiKey());
    }

    @Test
    void cancelTakesJson() throws IOException {
        assertThat(run(env("stablediffusionapi"), "train", "--images", images.toString(), "--json"))
                .as(err)
                .isZero();
        String id = json().get("id").asText();
        assertThat(run(env("stablediffusionapi"), "cancel", id, "--json"))
                .as(err)
                .isZero();
        assertThat(json().get("cancelRequested").asBoolean()).isTrue();
    }

    @Test
    void statusOfAFailedJobIsNonZeroAndNotFoundHasItsOwnCode() throws IOException {
        novita.failNextTraining("bad data");
        assertThat(run(env("novita"), "train", "--images", images.toString(), "--wait", "--json", "--poll-min", "20ms"))
                .isEqualTo(1);
        String id = json().get("id").asText();
        assertThat(run(env("novita"), "status", id)).isEqualTo(ExitCode.JOB_FAILED.code());
        assertThat(out).contains("FAILED");
        assertThat(run(env("novita"), "status", "no-such-job")).isEqualTo(6);
    }

    @Test
    void theReadmeListsEveryExitCodeOfTheEnum() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String row : Main.exitCodeTable()) {
            assertThat(readme).contains(row);
        }
        assertThat(ExitCode.INTERRUPTED.code()).isEqualTo(130);
        assertThat(java.util.Arrays.stream(ExitCode.values())
                        .map(ExitCode::code)
                        .distinct())
                .hasSize(ExitCode.values().length);
    }

    @Test
    void aSecondGenerateIntoTheSameFolderRefusesToOverwriteUnlessForced() throws IOException {
        Map<String, String> env = env("novita");
        assertThat(run(env, "train", "--images", images.toString(), "--wait", "--json", "--poll-min", "20ms"))
                .as(err)
                .isZero();
        String model = json().get("models").get(0).get("name").asText();
        Path saved = dir.resolve("gen");
        String[] generate = {"generate", "--prompt", "ohwx person", "--lora", model, "--out", saved.toString()};
        assertThat(run(env, generate)).as(err).isZero();
        Path first = saved.resolve("novita-1.png");
        byte[] before = Files.readAllBytes(first);
        Files.write(first, new byte[] {1, 2, 3});
        long generations = novita.requestCount(Endpoint.GENERATE);

        assertThat(run(env, generate)).isEqualTo(2);
        assertThat(err).contains("--out", "novita-1.png", "--force");
        assertThat(Files.readAllBytes(first)).containsExactly(1, 2, 3);
        assertThat(novita.requestCount(Endpoint.GENERATE)).isEqualTo(generations);

        String[] forced = java.util.Arrays.copyOf(generate, generate.length + 1);
        forced[generate.length] = "--force";
        assertThat(run(env, forced)).as(err).isZero();
        assertThat(Files.readAllBytes(first)).isNotEqualTo(new byte[] {1, 2, 3}).hasSizeGreaterThan(before.length / 2);
    }

    @Test
    void aRejectedGenerationHasItsOwnCodeNotTheUsageCode() {
        // The service refuses a LoRA it does not know: that is not a mistake on the command line.
        assertThat(run(
                        env("novita"),
                        "generate",
                        "--prompt",
                        "x",
                        "--lora",
                        "no-such-lora",
                        "--out",
                        dir.resolve("g").toString()))
                .isEqualTo(ExitCode.REJECTED.code())
                .isNotEqualTo(ExitCode.USAGE.code());
        assertThat(err).contains("no-such-lora").doesNotContain("Try 'loraport");
    }

    @Test
    void modelsLabListWithSparseRowsPointsAtFetchStatus() {
        Map<String, String> env = env("stablediffusionapi");
        assertThat(run(env, "train", "--images", images.toString())).as(err).isZero();
        assertThat(run(env, "list")).as(err).isZero();
        assertThat(err).contains("loraport.stablediffusionapi.list.fetch-status=true");

        env.put("LORAPORT_STABLEDIFFUSIONAPI_LIST_FETCH_STATUS", "true");
        assertThat(run(env, "list")).as(err).isZero();
        assertThat(err).doesNotContain("fetch-status");
    }
}
