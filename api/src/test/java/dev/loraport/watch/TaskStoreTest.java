package dev.loraport.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.TaskId;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskStoreTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");
    private static final TaskRef A = new TaskRef("novita", TaskId.of("a:1"), "ref one", AT);
    private static final TaskRef B = TaskRef.of("stablediffusionapi", TaskId.of("b"), AT);

    @TempDir
    Path dir;

    @Test
    void fileStoreKeepsRefsAcrossInstances() {
        Path file = dir.resolve("nested/jobs.txt");
        TaskStore store = TaskStore.file(file);

        store.save(A);
        store.save(B);
        store.remove(TaskRef.of("stablediffusionapi", TaskId.of("b"), AT.plusSeconds(1)));

        assertThat(TaskStore.file(file).load()).containsExactly(A);
        assertThat(Files.exists(dir.resolve("nested/jobs.txt.tmp"))).isFalse();
    }

    @Test
    void savingTheSameJobReplacesItsRef() {
        TaskStore store = TaskStore.file(dir.resolve("jobs.txt"));
        store.save(A);

        TaskRef newer = new TaskRef("novita", TaskId.of("a:1"), "renamed", AT);
        store.save(newer);

        assertThat(TaskStore.file(dir.resolve("jobs.txt")).load()).containsExactly(newer);
    }

    @Test
    void aMissingFileIsAnEmptyStore() {
        assertThat(TaskStore.file(dir.resolve("none.txt")).load()).isEmpty();
    }

    @Test
    void aLeftoverTempFileFromACrashIsIgnoredAndOverwritten() throws Exception {
        Path file = dir.resolve("jobs.txt");
        TaskStore.file(file).save(A);
        // A crash mid-write leaves a half-written temp file beside the intact store.
        Files.write(dir.resolve("jobs.txt.tmp"), new byte[] {'#', ' ', 'l', 'o', 0, (byte) 0xff});

        TaskStore reopened = TaskStore.file(file);
        assertThat(reopened.load()).containsExactly(A);
        reopened.save(B);

        assertThat(TaskStore.file(file).load()).containsExactly(A, B);
        assertThat(Files.exists(dir.resolve("jobs.txt.tmp"))).isFalse();
    }

    @Test
    @Tag("issue-14")
    void aTruncatedStoreIsReportedThenKeptAsideWhileNewTasksAreRecorded() throws Exception {
        Path file = dir.resolve("jobs.txt");
        TaskStore.file(file).save(A);
        TaskStore.file(file).save(B);
        String full = Files.readString(file);
        String truncated = full.substring(0, full.length() - 10);
        Files.writeString(file, truncated);

        TaskStore reopened = TaskStore.file(file);
        assertThatThrownBy(reopened::load)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("jobs.txt")
                .hasMessageContaining("truncated");
        assertThat(Files.readString(file))
                .as("load reports, it does not repair")
                .isEqualTo(truncated);

        // Every later watch() saves: refusing them all would record each new task nowhere.
        reopened.save(A);

        assertThat(TaskStore.file(file).load()).containsExactly(A);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> aside = files.filter(p -> p.getFileName().toString().startsWith("jobs.txt.corrupt-"))
                    .collect(Collectors.toList());
            assertThat(aside).hasSize(1);
            assertThat(Files.readString(aside.get(0))).isEqualTo(truncated);
        }
    }

    @Test
    @Tag("issue-14")
    void anEmptyFileACrlfFileAndAByteOrderMarkAreNotCorruption() throws Exception {
        Path empty = dir.resolve("empty.txt");
        Files.write(empty, new byte[0]);
        assertThat(TaskStore.file(empty).load()).isEmpty();

        Path crlf = dir.resolve("crlf.txt");
        Files.writeString(crlf, FileTaskStore.HEADER + "\r\n" + A + "\r\n" + FileTaskStore.TRAILER + "1\r\n");
        assertThat(TaskStore.file(crlf).load()).containsExactly(A);

        Path bom = dir.resolve("bom.txt");
        Files.writeString(bom, "\uFEFF" + FileTaskStore.HEADER + "\n" + A + "\n" + FileTaskStore.TRAILER + "1\n");
        assertThat(TaskStore.file(bom).load()).containsExactly(A);
    }

    @Test
    @Tag("issue-14")
    void aMarkSurvivesAReopenAndAnOldFileWithoutMarksStillReads() throws Exception {
        Path file = dir.resolve("jobs.txt");
        TaskRef marked = A.withEndedBy("poll failed: MalformedResponseException: odd line\n'progress: 1e9%' & more");
        TaskStore.file(file).save(marked);
        TaskStore.file(file).save(B);

        assertThat(TaskStore.file(file).load()).containsExactly(marked, B);
        assertThat(TaskStore.file(file).load().get(0).endedBy())
                .isEqualTo("poll failed: MalformedResponseException: odd line 'progress: 1e9%' & more");
        assertThat(Files.readAllLines(file)).hasSize(4);

        // As 0.1 wrote it before marks existed, with CRLF line ends and a byte-order mark.
        Path old = dir.resolve("old.txt");
        Files.writeString(
                old,
                "\uFEFF# loraport task store v1\r\nnovita:a%3A1?at=2026-11-24T10:00:00Z&ref=ref+one\r\n"
                        + "stablediffusionapi:b?at=2026-11-24T10:00:00Z\r\n# end 2\r\n");
        TaskStore oldStore = TaskStore.file(old);
        assertThat(oldStore.load())
                .containsExactly(A, B)
                .allSatisfy(r -> assertThat(r.endedBy()).isNull());
        oldStore.save(marked);
        assertThat(TaskStore.file(old).load()).containsExactly(marked, B);
    }

    @Test
    void aCorruptLineIsReportedWithItsNumber() throws Exception {
        Path file = dir.resolve("jobs.txt");
        Files.writeString(file, FileTaskStore.HEADER + "\n" + A + "\nnot a ref\n" + FileTaskStore.TRAILER + "2\n");

        assertThatThrownBy(() -> TaskStore.file(file).load())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("line 3");
    }

    @Test
    void aWrongCountIsReported() throws Exception {
        Path file = dir.resolve("jobs.txt");
        Files.writeString(file, FileTaskStore.HEADER + "\n" + A + "\n" + FileTaskStore.TRAILER + "2\n");

        assertThatThrownBy(() -> TaskStore.file(file).load())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("counts 2");
    }

    @Test
    void aFileThatIsNotAStoreIsReported() throws Exception {
        Path file = dir.resolve("jobs.txt");
        Files.write(file, "{\"jobs\": []}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> TaskStore.file(file).load())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("header");
    }

    @Test
    void inMemoryStoreKeepsRefsInSaveOrder() {
        TaskStore store = TaskStore.inMemory();
        store.save(B);
        store.save(A);
        store.remove(A);
        store.save(A);

        assertThat(store.load()).containsExactly(B, A);
    }

    @Test
    void twoFileStoresOnOneFileKeepEachOthersRefs(@TempDir Path folder) {
        // As two processes would: each instance read the file before the other wrote to it.
        Path file = folder.resolve("jobs.txt");
        TaskStore a = TaskStore.file(file);
        TaskStore b = TaskStore.file(file);
        TaskRef one = new TaskRef("novita", TaskId.of("one"), null, Instant.EPOCH);
        TaskRef two = new TaskRef("novita", TaskId.of("two"), null, Instant.EPOCH);
        TaskRef three = new TaskRef("novita", TaskId.of("three"), null, Instant.EPOCH);
        a.save(one);
        assertThat(b.load()).containsExactly(one);
        a.save(two);
        b.save(three);
        a.remove(one);

        assertThat(b.load()).containsExactly(two, three);
        assertThat(a.load()).containsExactly(two, three);
    }

    @Test
    void loadingAStoreNeverSavedCreatesNothing(@TempDir Path folder) {
        Path file = folder.resolve("sub").resolve("jobs.txt");

        assertThat(TaskStore.file(file).load()).isEmpty();
        assertThat(folder.resolve("sub")).doesNotExist();
    }
}
