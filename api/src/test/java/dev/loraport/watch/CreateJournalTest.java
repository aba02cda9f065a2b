package dev.loraport.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.TaskId;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CreateJournalTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @TempDir
    static Path dir;

    static Stream<Arguments> stores() {
        return Stream.of(
                Arguments.of("in-memory", (Supplier<TaskStore>) TaskStore::inMemory),
                Arguments.of("file", (Supplier<TaskStore>) () -> TaskStore.file(fresh())));
    }

    private static int files;

    private static synchronized Path fresh() {
        return dir.resolve("store-" + (files++) + ".txt");
    }

    private static CreateIntent.Key key(String ref) {
        return new CreateIntent.Key("novita", CreateIntent.fingerprint("sk-test"), ref);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void onlyTheFirstBeginOfAKeyMaySend(String name, Supplier<TaskStore> stores) {
        TaskStore store = stores.get();
        CreateIntent first = CreateIntent.sending(key("job-1"), "d1", T0);

        assertThat(store.begin(first)).isEmpty();
        Optional<CreateIntent> second = store.begin(CreateIntent.sending(key("job-1"), "d2", T0.plusSeconds(1)));

        assertThat(second).contains(first);
        assertThat(store.intents()).containsExactly(first);
        assertThat(store.begin(CreateIntent.sending(key("job-2"), "d1", T0))).isEmpty();
        assertThat(store.intents()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void anAcceptedIntentNamesItsTaskAndAnUnresolvedOneKeepsItsReason(String name, Supplier<TaskStore> stores) {
        TaskStore store = stores.get();
        CreateIntent sent = CreateIntent.sending(key("job-1"), "d", T0);
        store.begin(sent);

        store.update(sent.unresolved("read timed out", T0.plusSeconds(5)));
        assertThat(store.intent(key("job-1")).orElseThrow().reason()).isEqualTo("read timed out");
        assertThat(store.intent(key("job-1")).orElseThrow().state()).isEqualTo(CreateIntent.State.SENDING);

        store.update(sent.accepted(TaskId.of("t-9"), T0.plusSeconds(9)));
        CreateIntent now = store.intent(key("job-1")).orElseThrow();
        assertThat(now.state()).isEqualTo(CreateIntent.State.ACCEPTED);
        assertThat(now.task()).contains(TaskId.of("t-9"));
        assertThat(now.reason()).isNull();
        assertThat(now.createdAt()).isEqualTo(T0);

        assertThatThrownBy(() -> store.update(CreateIntent.sending(key("other"), "d", T0)))
                .isInstanceOf(NoSuchElementException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void abandonRemovesOnlyTheIntentAsTheCallerSawIt(String name, Supplier<TaskStore> stores) {
        TaskStore store = stores.get();
        CreateIntent sent = CreateIntent.sending(key("job-1"), "d", T0);
        store.begin(sent);
        CreateIntent taken = sent.unresolved("taken over", T0.plusSeconds(1));
        store.update(taken);

        assertThat(store.abandon(sent)).isFalse();
        assertThat(store.intent(key("job-1"))).contains(taken);
        assertThat(store.abandon(taken)).isTrue();
        assertThat(store.intent(key("job-1"))).isEmpty();
        assertThat(store.begin(sent)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void ofManyThreadsBeginningOneKeyExactlyOneMaySend(String name, Supplier<TaskStore> stores) throws Exception {
        TaskStore store = stores.get();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String digest = "d" + i;
            results.add(pool.submit(() -> {
                start.await();
                return store.begin(CreateIntent.sending(key("shared"), digest, T0))
                        .isEmpty();
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Boolean> f : results) {
            winners += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdownNow();
        assertThat(winners).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void theAccountLockExcludesOtherThreadsAndIsReentrant(String name, Supplier<TaskStore> stores) throws Exception {
        TaskStore store = stores.get();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            done.add(pool.submit(() -> store.locked("stablediffusionapi", "acct", () -> {
                // Re-entry from the same thread must not deadlock.
                return store.locked("stablediffusionapi", "acct", () -> {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inside.decrementAndGet();
                    return null;
                });
            })));
        }
        for (Future<?> f : done) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdownNow();
        assertThat(most.get()).isEqualTo(1);
    }

    @Test
    void twoFileStoresOnOnePathShareTheJournalAsTwoProcessesWould() {
        Path path = fresh();
        TaskStore a = TaskStore.file(path);
        TaskStore b = TaskStore.file(path);
        CreateIntent sent = CreateIntent.sending(key("job-1"), "d", T0);

        assertThat(a.begin(sent)).isEmpty();
        assertThat(b.begin(CreateIntent.sending(key("job-1"), "e", T0))).contains(sent);
        b.update(sent.accepted(TaskId.of("t-1"), T0.plusSeconds(2)));
        assertThat(TaskStore.file(path).intent(key("job-1")).orElseThrow().task())
                .contains(TaskId.of("t-1"));
    }

    @Test
    void aJournalLineKeepsEveryFieldThroughTheFile() {
        Path path = fresh();
        CreateIntent odd = new CreateIntent(
                        "my provider", "-", "ref with spaces & =", "d", CreateIntent.State.SENDING, null, "-", T0, T0)
                .unresolved("why: 50% \n odd", T0.plusSeconds(1));
        TaskStore.file(path).begin(odd);

        assertThat(TaskStore.file(path).intents()).containsExactly(odd);
    }

    @Test
    void aCorruptJournalRefusesEveryCreateRatherThanSendingUnrecorded() throws Exception {
        Path path = fresh();
        TaskStore store = TaskStore.file(path);
        store.begin(CreateIntent.sending(key("job-1"), "d", T0));
        Path journal = path.resolveSibling(path.getFileName() + ".journal");
        String text = Files.readString(journal);
        Files.writeString(journal, text.substring(0, text.length() - 4));

        assertThatThrownBy(() -> store.begin(CreateIntent.sending(key("job-2"), "d", T0)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(journal.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void theFingerprintHidesTheKeyAndTellsKeysApart() {
        String a = CreateIntent.fingerprint("sk-live-0123456789");
        assertThat(a).hasSize(16).doesNotContain("0123456789");
        assertThat(CreateIntent.fingerprint("sk-live-0123456789")).isEqualTo(a);
        assertThat(CreateIntent.fingerprint("sk-live-0123456788")).isNotEqualTo(a);
        assertThat(CreateIntent.fingerprint(null)).isEqualTo("none");
    }

    @Test
    void theFileJournalKeepsTheCorrelationValueAndReadsLinesWrittenWithoutIt() {
        CreateIntent.Key key = new CreateIntent.Key("replicate", "acct", "ref-1");
        java.time.Instant t0 = java.time.Instant.parse("2026-12-02T10:00:00Z");
        CreateIntent with = CreateIntent.sending(key, "d", t0).withCorrelation("https://x/files/a b.zip", t0);

        assertThat(FileJournal.parse(FileJournal.format(with))).isEqualTo(with);
        String legacy = FileJournal.format(CreateIntent.sending(key, "d", t0));
        String nineFields = legacy.substring(0, legacy.lastIndexOf(' '));
        assertThat(FileJournal.parse(nineFields).correlation()).isNull();
        assertThat(FileJournal.parse(nineFields).clientReference()).isEqualTo("ref-1");
    }
}
