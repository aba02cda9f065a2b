package dev.loraport.decorators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.CreateOutcomeUnknownException;
import dev.loraport.InvalidRequestException;
import dev.loraport.ProviderConfig;
import dev.loraport.ProviderUnavailableException;
import dev.loraport.QuotaExceededException;
import dev.loraport.TrainingImage;
import dev.loraport.TrainingKind;
import dev.loraport.TrainingProvider;
import dev.loraport.TrainingRequest;
import dev.loraport.TrainingTask;
import dev.loraport.decorators.ScriptedProvider.Op;
import dev.loraport.watch.CreateIntent;
import dev.loraport.watch.TaskStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The create journal as the decorators use it: one job per client reference, whoever sends it and whenever. */
class CreateJournalStackTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
    private static final String KEY = "sk-journal-test-key";

    @TempDir
    Path dir;

    private final List<TrainingProvider> stacks = new ArrayList<>();

    private TrainingProvider stack(ScriptedProvider adapter, TaskStore store, String... options) {
        ProviderConfig.Builder cfg =
                ProviderConfig.builder().providerId("scripted").apiKey(KEY).option("ratelimit.enabled", "false");
        for (int i = 0; i < options.length; i += 2) {
            cfg.option(options[i], options[i + 1]);
        }
        TrainingProvider p = ProviderStack.builder()
                .config(cfg.build())
                .adapter(adapter)
                .meterRegistry(new SimpleMeterRegistry())
                .sleeper(d -> {})
                .random(new Random(1))
                .store(store)
                .build();
        stacks.add(p);
        return p;
    }

    private static TrainingRequest request(String reference) {
        return TrainingRequest.builder()
                .name("alice")
                .kind(TrainingKind.SUBJECT)
                .baseModel("m")
                .addImage(TrainingImage.ofBytes("a.png", PNG))
                .clientReference(reference)
                .build();
    }

    @Test
    void theIntentIsJournaledBeforeTheCreateIsSentAndAcceptedAfter() {
        TaskStore store = TaskStore.file(dir.resolve("jobs.txt"));
        List<CreateIntent> seenBySend = new ArrayList<>();
        ScriptedProvider adapter = new ScriptedProvider(true).beforeCreate(() -> seenBySend.addAll(store.intents()));
        TrainingProvider p = stack(adapter, store);

        TrainingTask task = p.create(request("order-1"));

        assertThat(seenBySend).singleElement().satisfies(i -> {
            assertThat(i.state()).isEqualTo(CreateIntent.State.SENDING);
            assertThat(i.clientReference()).isEqualTo("order-1");
            assertThat(i.account()).isEqualTo(CreateIntent.fingerprint(KEY)).doesNotContain(KEY);
        });
        assertThat(TaskStore.file(dir.resolve("jobs.txt")).intents())
                .singleElement()
                .satisfies(i -> {
                    assertThat(i.state()).isEqualTo(CreateIntent.State.ACCEPTED);
                    assertThat(i.task()).contains(task.id());
                });
    }

    @Test
    void aReferenceIsIdempotentWhereListingsShowNoNamesAcrossTwoStacksOnOneStore() {
        // ModelsLab's case: the reference never reaches the service, so only the journal can know it.
        TaskStore store = TaskStore.file(dir.resolve("jobs.txt"));
        ScriptedProvider account = new ScriptedProvider(false);
        TrainingTask first = stack(account, store).create(request("order-2"));

        TrainingTask again =
                stack(account, TaskStore.file(dir.resolve("jobs.txt"))).create(request("order-2"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(account.jobs()).hasSize(1);
        assertThat(account.calls(Op.CREATE)).isEqualTo(1);
    }

    @Test
    void twoStacksSendingOneReferenceAtOnceMakeOneJob() throws Exception {
        TaskStore store = TaskStore.inMemory();
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScriptedProvider account = new ScriptedProvider(true).beforeCreate(() -> {
            sending.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        TrainingProvider a = stack(account, store);
        TrainingProvider b = stack(account, store);
        CompletableFuture<TrainingTask> fromA = CompletableFuture.supplyAsync(() -> a.create(request("order-3")));
        assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<TrainingTask> fromB = CompletableFuture.supplyAsync(() -> b.create(request("order-3")));
        Thread.sleep(300);
        release.countDown();

        assertThat(fromB.get(10, TimeUnit.SECONDS).id())
                .isEqualTo(fromA.get(10, TimeUnit.SECONDS).id());
        assertThat(account.calls(Op.CREATE)).isEqualTo(1);
    }

    @Test
    void aRerunAfterAnUnknownOutcomeFindsTheJobWhereListingsShowNames() {
        TaskStore store = TaskStore.inMemory();
        ScriptedProvider account = new ScriptedProvider(true).loseNextCreateResponse();
        // The lookup before sending works; the one after the lost answer does not.
        account.beforeCreate(() -> {
            account.failNext(
                    Op.LIST, () -> new ProviderUnavailableException("scripted", "list", "down", 503, null, null));
            account.beforeCreate(() -> {});
        });
        TrainingProvider p = stack(account, store, "retry.max-attempts", "1");
        assertThatThrownBy(() -> p.create(request("order-4"))).isInstanceOf(CreateOutcomeUnknownException.class);
        assertThat(store.intents()).singleElement().satisfies(i -> {
            assertThat(i.state()).isEqualTo(CreateIntent.State.SENDING);
            assertThat(i.reason()).contains("could not be found");
        });

        TrainingTask rerun = p.create(request("order-4"));

        assertThat(rerun.id()).isEqualTo(account.jobs().get(0).id());
        assertThat(account.calls(Op.CREATE)).isEqualTo(1);
        assertThat(store.intents())
                .singleElement()
                .satisfies(i -> assertThat(i.task()).contains(rerun.id()));
    }

    @Test
    void aRerunAfterAnUnknownOutcomeNeverSendsWhereListingsShowNoNames() {
        TaskStore store = TaskStore.inMemory();
        ScriptedProvider account = new ScriptedProvider(false).loseNextCreateResponse();
        for (int i = 0; i < 8; i++) {
            account.failNext(
                    Op.LIST, () -> new ProviderUnavailableException("scripted", "list", "down", 503, null, null));
        }
        TrainingProvider p = stack(account, store, "retry.max-attempts", "1");
        assertThatThrownBy(() -> p.create(request("order-5"))).isInstanceOf(CreateOutcomeUnknownException.class);

        assertThatThrownBy(() -> p.create(request("order-5")))
                .isInstanceOfSatisfying(
                        CreateOutcomeUnknownException.class,
                        e -> assertThat(e.getMessage()).contains("unknown outcome"));
        assertThat(account.calls(Op.CREATE)).isEqualTo(1);
    }

    @Test
    void aRefusedCreateLeavesNoIntentSoTheReferenceCanBeSentAgain() {
        TaskStore store = TaskStore.inMemory();
        ScriptedProvider account = new ScriptedProvider(true)
                .failNext(
                        Op.CREATE, () -> new QuotaExceededException("scripted", "create", "no money", 402, null, null));
        TrainingProvider p = stack(account, store);
        assertThatThrownBy(() -> p.create(request("order-6"))).isInstanceOf(QuotaExceededException.class);
        assertThat(store.intents()).isEmpty();

        p.create(request("order-6"));

        assertThat(account.jobs()).hasSize(1);
    }

    @Test
    void aReferenceReusedForAnotherRequestIsRefusedNamingTheField() {
        TaskStore store = TaskStore.inMemory();
        ScriptedProvider account = new ScriptedProvider(true);
        TrainingProvider p = stack(account, store);
        p.create(request("order-7"));

        assertThatThrownBy(
                        () -> p.create(request("order-7").toBuilder().steps(900).build()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("clientReference")
                .hasMessageContaining("order-7");
        assertThat(account.calls(Op.CREATE)).isEqualTo(1);
    }

    @Test
    void aStoreGivenByConfigurationJournalsToThatFile() {
        Path file = dir.resolve("by-config").resolve("jobs.txt");
        ScriptedProvider account = new ScriptedProvider(true);
        TrainingProvider p = ProviderStack.builder()
                .config(ProviderConfig.builder()
                        .providerId("scripted")
                        .option("ratelimit.enabled", "false")
                        .globalOption("store.path", file.toString())
                        .build())
                .adapter(account)
                .meterRegistry(new SimpleMeterRegistry())
                .build();

        TrainingTask task = p.create(request("order-8"));

        assertThat(TaskStore.file(file).intents())
                .singleElement()
                .satisfies(i -> assertThat(i.task()).contains(task.id()));
    }

    @Test
    void recoveryAfterACrashMidCreateFindsTheJobOrDropsTheIntent() {
        TaskStore store = TaskStore.inMemory();
        ScriptedProvider account = new ScriptedProvider(true);
        java.time.Instant crash = java.time.Instant.now().minusSeconds(600);
        String fingerprint = CreateIntent.fingerprint(KEY);
        // A worker journaled two creates and died: the first reached the service, the second did not.
        store.begin(CreateIntent.sending(new CreateIntent.Key("scripted", fingerprint, "made"), "d", crash));
        TrainingTask made =
                account.create(request("made").toBuilder().name("alice-made").build());
        store.begin(CreateIntent.sending(new CreateIntent.Key("scripted", fingerprint, "never-sent"), "d", crash));
        // A third is another worker's, still in flight: recovery must leave it alone.
        store.begin(CreateIntent.sending(
                new CreateIntent.Key("scripted", fingerprint, "in-flight"), "d", java.time.Instant.now()));

        List<CreateIntent> settled = ProviderStack.recover(stack(account, store));

        assertThat(settled).singleElement().satisfies(i -> {
            assertThat(i.clientReference()).isEqualTo("made");
            assertThat(i.task()).contains(made.id());
        });
        assertThat(store.intent(new CreateIntent.Key("scripted", fingerprint, "never-sent")))
                .isEmpty();
        assertThat(store.intent(new CreateIntent.Key("scripted", fingerprint, "in-flight"))
                        .orElseThrow()
                        .state())
                .isEqualTo(CreateIntent.State.SENDING);
        assertThat(account.calls(Op.CREATE)).isEqualTo(1);
    }

    @Test
    void recoveryWhereListingsShowNoNamesDropsACutOffCreateThatMadeNoJob() {
        TaskStore store = TaskStore.inMemory();
        String fingerprint = CreateIntent.fingerprint(KEY);
        store.begin(CreateIntent.sending(
                new CreateIntent.Key("scripted", fingerprint, "lost"),
                "d",
                java.time.Instant.now().minusSeconds(600)));

        List<CreateIntent> left = ProviderStack.recover(stack(new ScriptedProvider(false), store));

        assertThat(left).isEmpty();
        assertThat(store.intents()).isEmpty();
    }

    @Test
    void recoveryWhereListingsShowNoNamesMatchesTheOneJobNoRecordExplains() {
        TaskStore store = TaskStore.file(dir.resolve("jobs.txt"));
        ScriptedProvider account = new ScriptedProvider(false);
        TrainingProvider first = stack(account, store);
        TrainingTask a = first.create(request("job-a"));
        TrainingTask b = first.create(request("job-b"));
        // A worker journals "cut-0", sends it and dies before the answer: the job exists, no record names it.
        String fingerprint = CreateIntent.fingerprint(KEY);
        store.begin(CreateIntent.sending(
                new CreateIntent.Key("scripted", fingerprint, "cut-0"),
                CreateReconciler.digest(request("cut-0")),
                java.time.Instant.now()));
        TrainingTask cut = account.create(request("cut-0"));

        List<CreateIntent> settled = ProviderStack.recover(stack(account, store));

        assertThat(settled).singleElement().satisfies(i -> {
            assertThat(i.clientReference()).isEqualTo("cut-0");
            assertThat(i.state()).isEqualTo(CreateIntent.State.ACCEPTED);
            assertThat(i.task()).contains(cut.id());
        });
        assertThat(store.load())
                .as("the job is recorded for resume too")
                .extracting(r -> r.taskId().value())
                .containsExactlyInAnyOrder(
                        a.id().value(), b.id().value(), cut.id().value());
        assertThat(account.calls(Op.CREATE)).isEqualTo(3);
    }

    @Test
    void twoCutOffCreatesCannotBeToldApartAndStayForAPerson() {
        TaskStore store = TaskStore.inMemory();
        ScriptedProvider account = new ScriptedProvider(false);
        stack(account, store).create(request("job-a"));
        String fingerprint = CreateIntent.fingerprint(KEY);
        for (String ref : List.of("cut-1", "cut-2")) {
            store.begin(CreateIntent.sending(
                    new CreateIntent.Key("scripted", fingerprint, ref),
                    CreateReconciler.digest(request(ref)),
                    java.time.Instant.now().minusSeconds(600)));
            account.create(request(ref));
        }

        List<CreateIntent> left = ProviderStack.recover(stack(account, store));

        assertThat(left).hasSize(2).allSatisfy(i -> assertThat(i.state()).isEqualTo(CreateIntent.State.SENDING));
        assertThatThrownBy(() -> stack(account, store).create(request("cut-1")))
                .isInstanceOf(CreateOutcomeUnknownException.class)
                .hasMessageContaining("cannot tell which job");
        assertThat(account.calls(Op.CREATE)).isEqualTo(3);
    }

    @Test
    void aRerunOfACutOffReferenceGetsItsJobWithoutWaitingForTheDeadSender() {
        TaskStore store = TaskStore.inMemory();
        ScriptedProvider account = new ScriptedProvider(false);
        stack(account, store).create(request("job-a"));
        String fingerprint = CreateIntent.fingerprint(KEY);
        store.begin(CreateIntent.sending(
                new CreateIntent.Key("scripted", fingerprint, "cut-0"),
                CreateReconciler.digest(request("cut-0")),
                java.time.Instant.now()));
        TrainingTask cut = account.create(request("cut-0"));
        // An hour's in-flight wait: only a create that knows its sender is gone answers before the timeout.
        TrainingProvider rerun = stack(account, store, "reconcile.in-flight-wait", "1h");

        TrainingTask got = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(30), () -> rerun.create(request("cut-0")));

        assertThat(got.id()).isEqualTo(cut.id());
        assertThat(account.calls(Op.CREATE)).isEqualTo(2);
    }

    @Test
    void aRerunOfACutOffReferenceThatMadeNoJobSendsIt() {
        TaskStore store = TaskStore.inMemory();
        ScriptedProvider account = new ScriptedProvider(false);
        String fingerprint = CreateIntent.fingerprint(KEY);
        store.begin(CreateIntent.sending(
                new CreateIntent.Key("scripted", fingerprint, "cut-0"),
                CreateReconciler.digest(request("cut-0")),
                java.time.Instant.now().minusSeconds(600)));

        TrainingTask got = stack(account, store).create(request("cut-0"));

        assertThat(account.jobs())
                .singleElement()
                .satisfies(j -> assertThat(j.id()).isEqualTo(got.id()));
        assertThat(store.intent(new CreateIntent.Key("scripted", fingerprint, "cut-0"))
                        .orElseThrow()
                        .task())
                .contains(got.id());
    }

    /** {@code real}, except that recording an accepted create fails as a full disk would while {@code full}. */
    private static TaskStore acceptanceFails(TaskStore real, java.util.concurrent.atomic.AtomicBoolean full) {
        return (TaskStore) java.lang.reflect.Proxy.newProxyInstance(
                TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class}, (proxy, method, args) -> {
                    if (full.get()
                            && method.getName().equals("update")
                            && ((CreateIntent) args[0]).state() == CreateIntent.State.ACCEPTED) {
                        throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aJournalThatCannotRecordTheAcceptanceStillHandsTheCallerTheJob() {
        // The service made the job: an error here would invite a retry, and a retry without the reference a second
        // billed training.
        java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean(true);
        TaskStore store = acceptanceFails(TaskStore.inMemory(), full);
        ScriptedProvider account = new ScriptedProvider(true);
        TrainingProvider p = stack(account, store, "reconcile.in-flight-wait", "0s");

        TrainingTask task = p.create(request("order-disk-full"));

        assertThat(account.calls(Op.CREATE)).isEqualTo(1);
        // Still SENDING: a rerun or recover() settles it from the listing instead of sending again.
        assertThat(store.intents())
                .singleElement()
                .satisfies(i -> assertThat(i.state()).isEqualTo(CreateIntent.State.SENDING));
        full.set(false);
        TrainingTask again = p.create(request("order-disk-full"));
        assertThat(again.id()).isEqualTo(task.id());
        assertThat(account.calls(Op.CREATE)).isEqualTo(1);
        assertThat(store.intents())
                .singleElement()
                .satisfies(i -> assertThat(i.state()).isEqualTo(CreateIntent.State.ACCEPTED));
    }
}
