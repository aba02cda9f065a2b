package dev.loraport.provider.replicate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.ProviderConfig;
import dev.loraport.TaskId;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import dev.loraport.simulators.Endpoint;
import dev.loraport.simulators.ReplicateSimulator;
import dev.loraport.simulators.SampleImages;
import dev.loraport.simulators.TaskDurations;
import dev.loraport.simulators.VirtualClock;
import dev.loraport.watch.TaskWatcher;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signed webhooks: a genuine one makes the watcher see READY at once; forged, stale and replayed ones do nothing. */
class ReplicateWebhookTest {

    // Real time: the webhook, the receiver and the watcher all run on their own threads.
    static final Duration TOTAL = Duration.ofMillis(2500);

    ReplicateSimulator sim;
    ReplicateWebhookReceiver receiver;
    String secret;

    @BeforeEach
    void start() {
        sim = ReplicateSimulator.builder()
                .clock(VirtualClock.scaled(1))
                .durations(TaskDurations.of(Duration.ofMillis(200), TOTAL.minusMillis(200), Duration.ZERO))
                .build();
        sim.start();
        try (ReplicateTrainingProvider p = ReplicateTrainingProvider.from(sim.config())) {
            secret = p.webhookSecret();
        }
    }

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
        sim.stop();
    }

    static TrainingRequest request() {
        return TrainingRequest.builder()
                .name("hooked")
                .kind(TrainingKind.SUBJECT)
                .baseModel(ReplicateTrainingProvider.DEFAULT_TRAINER)
                .images(SampleImages.pngs(2))
                .instancePrompt("TOK")
                .build();
    }

    record Run(Duration lag, int polls) {}

    /** Trains one job and watches it with polls {@code interval} apart; returns READY-to-seen and the polls. */
    Run run(Duration interval, boolean hinted) throws Exception {
        TaskWatcher watcher = TaskWatcher.builder()
                .minPollInterval(interval)
                .maxPollInterval(interval)
                .jitter(0)
                .build();
        try (watcher) {
            ProviderConfig.Builder cfg = sim.config().toBuilder();
            if (hinted) {
                receiver = ReplicateWebhookReceiver.builder()
                        .secret(secret)
                        .watcher(watcher)
                        .build()
                        .start();
                cfg.option("webhook", receiver.url().toString());
            }
            try (ReplicateTrainingProvider p = ReplicateTrainingProvider.from(cfg.build())) {
                int before = sim.requestCount(Endpoint.STATUS);
                TrainingTask created = p.create(request());
                long readyAt = System.nanoTime() + TOTAL.toNanos();
                TrainingTask seen = watcher.watch(p, created.id()).result().get(30, TimeUnit.SECONDS);
                long seenAt = System.nanoTime();
                assertThat(seen.status()).isEqualTo(TrainingStatus.READY);
                return new Run(Duration.ofNanos(seenAt - readyAt), sim.requestCount(Endpoint.STATUS) - before);
            } finally {
                if (receiver != null) {
                    receiver.close();
                    receiver = null;
                }
            }
        }
    }

    @Test
    void aHintCutsReadyToSeenUnderASecondWithFewerPollsThanPollingAlone() throws Exception {
        // The safety net alone at a 4 s pace is late by more than a second; polling fast enough to be as fresh
        // as the hint costs several status calls; the hint on the same 4 s net is fresh and cheap.
        Run slow = run(Duration.ofSeconds(4), false);
        Run fast = run(Duration.ofMillis(400), false);
        Run hinted = run(Duration.ofSeconds(4), true);

        System.out.printf(
                "replicate webhook: READY-to-seen / status polls: 4 s polling %d ms / %d; 400 ms polling %d ms / %d;"
                        + " 4 s polling + hint %d ms / %d%n",
                slow.lag().toMillis(),
                slow.polls(),
                fast.lag().toMillis(),
                fast.polls(),
                hinted.lag().toMillis(),
                hinted.polls());
        assertThat(slow.lag()).isGreaterThan(Duration.ofSeconds(1));
        assertThat(hinted.lag()).isLessThan(Duration.ofSeconds(1));
        assertThat(hinted.polls()).isLessThan(fast.polls());
        assertThat(sim.webhooksSent()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void forgedStaleAndReplayedDeliveriesAreRefused() throws Exception {
        AtomicInteger hints = new AtomicInteger();
        receiver = ReplicateWebhookReceiver.builder()
                .secret(secret)
                .hint(id -> hints.incrementAndGet())
                .build()
                .start();
        try (ReplicateTrainingProvider p = ReplicateTrainingProvider.from(sim.config().toBuilder()
                .option("webhook", receiver.url().toString())
                .build())) {
            TaskId id = p.create(request()).id();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hints.get() == 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(hints.get()).isEqualTo(1);
            assertThat(p.status(id).status()).isEqualTo(TrainingStatus.READY);
        }
        List<String> sent = sim.deliveries();
        String[] genuine = sent.get(sent.size() - 1).split(" ", 4);
        String body = genuine[3];

        // Replayed: the very delivery again, signature and all.
        assertThat(post(genuine[0], genuine[1], genuine[2], body)).isEqualTo(200);
        // Forged: signed with another secret, or the body changed under a genuine signature.
        String otherSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
        String now = Long.toString(Instant.now().getEpochSecond());
        assertThat(post("msg_f1", now, "v1," + ReplicateSimulator.sign(otherSecret, "msg_f1", now, body), body))
                .isEqualTo(401);
        assertThat(post(genuine[0] + "x", genuine[1], genuine[2], body)).isEqualTo(401);
        assertThat(post(genuine[0], genuine[1], genuine[2], body.replace("succeeded", "failed")))
                .isEqualTo(401);
        assertThat(post("msg_f2", now, null, body)).isEqualTo(401);
        // Stale: genuinely signed, ten minutes old.
        String old = Long.toString(Instant.now().minusSeconds(600).getEpochSecond());
        assertThat(post("msg_old", old, "v1," + ReplicateSimulator.sign(secret, "msg_old", old, body), body))
                .isEqualTo(400);
        // A genuine new delivery still passes, also among several signatures.
        assertThat(post("msg_new", now, "v1,AAAA v1," + ReplicateSimulator.sign(secret, "msg_new", now, body), body))
                .isEqualTo(204);

        assertThat(hints.get()).isEqualTo(2);
        assertThat(receiver.replayed()).isEqualTo(1);
        assertThat(receiver.forged()).isEqualTo(4);
        assertThat(receiver.stale()).isEqualTo(1);
        assertThat(receiver.toString()).doesNotContain(secret.substring(6));
    }

    int post(String id, String timestamp, String signature, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(receiver.url())
                .header("webhook-id", id)
                .header("webhook-timestamp", timestamp)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            b.header("webhook-signature", signature);
        }
        return HttpClient.newHttpClient()
                .send(b.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
