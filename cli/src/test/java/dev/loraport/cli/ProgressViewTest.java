package dev.loraport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loraport.TaskId;
import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressViewTest {

    @Test
    void aLogLineOnStderrIsWrittenWholeAboveTheBarsWhichAreRedrawnBelowIt() {
        PrintStream original = System.err;
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        StringWriter screen = new StringWriter();
        System.setErr(err);
        try {
            ProgressView view = new ProgressView(new PrintWriter(screen), true);
            view.update("novita#1", task(TrainingStatus.TRAINING));
            int afterFirstDraw = screen.toString().length();

            System.err.print("WARN retrying status ");
            assertThat(errBytes.size()).as("half a line waits for its end").isZero();
            System.err.println("after HTTP 503");

            assertThat(errBytes.toString(StandardCharsets.UTF_8))
                    .isEqualTo("WARN retrying status after HTTP 503" + System.lineSeparator());
            String after = screen.toString().substring(afterFirstDraw);
            // The bar is cleared (cursor up one line, clear to the end of the screen) before the log, then drawn again.
            assertThat(after).startsWith("\u001b[1F\u001b[0J").contains("novita#1", "TRAINING");
            view.close();
            assertThat(System.err).isSameAs(err);
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void withoutATerminalStderrIsLeftAlone() {
        PrintStream before = System.err;
        ProgressView view = new ProgressView(new PrintWriter(new StringWriter()), false);
        assertThat(System.err).isSameAs(before);
        view.close();
        assertThat(System.err).isSameAs(before);
    }

    private static TrainingTask task(TrainingStatus status) {
        return TrainingTask.builder()
                .providerId("novita")
                .id(TaskId.of("t1"))
                .status(status)
                .build();
    }
}
