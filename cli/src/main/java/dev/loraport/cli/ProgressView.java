package dev.loraport.cli;

import dev.loraport.TrainingStatus;
import dev.loraport.TrainingTask;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One progress bar per job. On a terminal the bars are redrawn in place; elsewhere (pipes, tests, CI logs) a
 * line is printed only when a job's status changes or its progress passes another 10 %.
 */
final class ProgressView {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean ansi;
    private final Map<String, TrainingTask> latest = new LinkedHashMap<>();
    private final Map<String, String> printed = new LinkedHashMap<>();
    private int drawnLines;

    ProgressView(PrintWriter out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
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
