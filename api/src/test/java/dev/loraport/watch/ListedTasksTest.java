package dev.loraport.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ids each listing showed, kept per account by the file and in-memory stores. */
class ListedTasksTest {

    @TempDir
    Path dir;

    @Test
    void theFileStoreKeepsIdsPerAccountAcrossInstancesAndSurvivesATornLine() throws IOException {
        Path file = dir.resolve("jobs.txt");
        TaskStore one = TaskStore.file(file);
        one.addListedTasks("stablediffusionapi", "acc1", List.of("a", "b"));
        one.addListedTasks("stablediffusionapi", "acc2", List.of("c"));
        // A crash mid-append leaves half a line without its newline.
        Files.writeString(
                dir.resolve("jobs.txt.listed"),
                "stablediffusionapi acc1 to",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        TaskStore two = TaskStore.file(file);
        two.addListedTasks("stablediffusionapi", "acc1", List.of("d"));

        assertThat(two.listedTasks("stablediffusionapi", "acc1"))
                .hasValueSatisfying(
                        ids -> assertThat(ids).contains("a", "b", "d").doesNotContain("c", "tod"));
        assertThat(two.listedTasks("stablediffusionapi", "acc2"))
                .hasValueSatisfying(ids -> assertThat(ids).containsExactly("c"));
        assertThat(two.listedTasks("novita", "acc1"))
                .hasValueSatisfying(ids -> assertThat(ids).isEmpty());
    }

    @Test
    void theInMemoryStoreKeepsThemPerAccount() {
        TaskStore mem = TaskStore.inMemory();
        mem.addListedTasks("p", "a", List.of("x"));
        assertThat(mem.listedTasks("p", "a"))
                .hasValueSatisfying(ids -> assertThat(ids).containsExactly("x"));
    }
}
