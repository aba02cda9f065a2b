package dev.loraport.cli;

import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One progress bar per job. On a terminal the bars are redrawn in place; elsewhere (pipes, tests, CI logs) a
 * line is printed only when a job's status changes or its progress passes another 10 %. While bars are drawn in
 * place, whatever the library logs on stderr (a WARN on a retry) is written above them: the bars are cleared, the
 * log line printed whole, and the bars redrawn below it, so a log never tears through a bar.
 */
final class ProgressView implements AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean ansi;
    private final Map<String, TrainingTask> latest = new LinkedHashMap<>();
    private final Map<String, String> printed = new LinkedHashMap<>();
    private int drawnLines;

    private final @org.jspecify.annotations.Nullable PrintStream stderr;

    ProgressView(PrintWriter out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
        if (ansi) {
            // slf4j-simple looks System.err up on every line, so logs from here on pass through logLine.
            stderr = System.err;
            System.setErr(new PrintStream(new LineSink(stderr), true, StandardCharsets.UTF_8));
        } else {
            stderr = null;
        }
    }

    /** Gives stderr back; the bars stay on screen. */
    @Override
    public synchronized void close() {
        if (stderr != null && System.err != stderr) {
            System.err.flush();
            System.setErr(stderr);
        }
    }

    /** Writes one whole line of stderr above the bars: clears them, writes the line, draws them again. */
    synchronized void logLine(byte[] line, PrintStream target) {
        if (ansi && drawnLines > 0) {
            // Up to the first bar, and clear from there to the end of the screen.
            out.print("\u001b[" + drawnLines + "F\u001b[0J");
            out.flush();
            drawnLines = 0;
            target.write(line, 0, line.length);
            target.flush();
            redraw();
            return;
        }
        target.write(line, 0, line.length);
        target.flush();
    }

    /** Collects stderr bytes into lines and hands each whole line to {@link #logLine}. */
    private final class LineSink extends OutputStream {
        private final PrintStream target;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        LineSink(PrintStream target) {
            this.target = target;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            if (b == '\n') {
                logLine(pending.toByteArray(), target);
                pending.reset();
            }
        }

        @Override
        public synchronized void flush() {
            // A partial line waits for its end: written now, it would be torn by the next redraw.
        }
    }

    synchronized void update(String label, TrainingTask task) {
        latest.put(label, task);
        if (ansi) {
            redraw();
            return;
        }
        String key = task.status() + "/" + (percent(task) / 10);
        if (!key.equals(printed.get(label))) {
            printed.put(label, key);
            out.println(line(label, task));
            out.flush();
        }
    }

    /** Prints a line of text above the bars, which stay below it. */
    synchronized void note(String text) {
        if (ansi && drawnLines > 0) {
            out.print("\u001b[" + drawnLines + "F\u001b[2K");
            out.println(text);
            drawnLines = 0;
            redraw();
            return;
        }
        out.println(text);
        out.flush();
    }

    private void redraw() {
        if (drawnLines > 0) {
            out.print("\u001b[" + drawnLines + "F");
        }
        for (Map.Entry<String, TrainingTask> e : latest.entrySet()) {
            out.print("\u001b[2K");
            out.println(line(e.getKey(), e.getValue()));
        }
        drawnLines = latest.size();
        out.flush();
    }

    static int percent(TrainingTask t) {
        if (t.status() == TrainingStatus.READY) {
            return 100;
        }
        return t.progressPercent()
                .orElse(
                        switch (t.status()) {
                            case QUEUED, UNKNOWN -> 0;
                            case TRAINING -> 10;
                            case DEPLOYING -> 95;
                            default -> 100;
                        });
    }

    static String line(String label, TrainingTask t) {
        int pct = percent(t);
        int filled = pct * WIDTH / 100;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-24s [", label));
        sb.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
        sb.append(String.format("%3d%%  %-9s", pct, t.status()));
        t.rawStatus().ifPresent(r -> sb.append(" ").append(r));
        t.eta().ifPresent(e -> sb.append("  eta ").append(Render.duration(e)));
        return sb.toString();
    }
}
