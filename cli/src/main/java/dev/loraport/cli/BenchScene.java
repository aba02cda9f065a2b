package dev.loraport.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The bench picture as plain shapes in pixels: the headline counts per provider, then one timeline row per job on
 * one axis (the service's clock). {@link BenchReport} paints the same scene twice, into {@code lifecycle.png} with
 * Java2D and into the page as SVG through its escaping template, so the two cannot disagree. Built from the
 * {@code bench.json} figures alone. Immutable once built.
 */
final class BenchScene {

    static final int WIDTH = 1200;

    // Colours, named once: the legend, the PNG and the SVG use the same ones.
    static final String QUEUED = "#bdbdbd";
    static final String TRAINING = "#4e79a7";
    static final String DEPLOYING = "#76b7b2";
    static final String UNSEEN = "#f2cf8d";
    static final String READY = "#2e7d32";
    static final String FAILED = "#c62828";
    static final String POLL = "#8a8a8a";
    static final String FAULT = "#d32f2f";
    static final String RETRY = "#ef6c00";
    static final String RECONCILED = "#7b1fa2";
    static final String INK = "#222222";
    static final String GRID = "#e6e6e6";

    private static final int MARGIN = 16;
    private static final int LABEL_WIDTH = 180;
    private static final int ROW = 30;
    private static final int COUNT_ROW = 22;

    /** A filled rectangle; {@code title} is its tooltip on the page. */
    record Box(double x, double y, double w, double h, String fill, String title) {}

    /** A straight line. */
    record Line(double x1, double y1, double x2, double y2, String stroke, double width) {}

    /** A text; {@code anchor} is {@code start}, {@code middle} or {@code end}, as in SVG. */
    record Text(double x, double y, String text, String anchor, int size, boolean bold, String fill) {}

    /** A filled polygon (a marker); {@code title} is its tooltip on the page. */
    record Mark(double[] xs, double[] ys, String fill, String title) {
        /** The points as SVG writes them. */
        String points() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < xs.length; i++) {
                b.append(i == 0 ? "" : " ").append(num(xs[i])).append(',').append(num(ys[i]));
            }
            return b.toString();
        }
    }

    /** The headline counts, in the order they are shown, with their labels; the first three are bad when not 0. */
    static final List<String[]> COUNTS = List.of(
            new String[] {"duplicateTrainings", "duplicate trainings"},
            new String[] {"failedJobs", "failed jobs"},
            new String[] {"faultsReachedCaller", "failed calls the caller saw"},
            new String[] {"faultsInjected", "faults injected"},
            new String[] {"failedCalls", "failed calls"},
            new String[] {"faultsAbsorbed", "failed calls absorbed"},
            new String[] {"retries", "retries"},
            new String[] {"lostCreatesReconciled", "lost creates found again"});

    final int height;
    final List<Box> boxes = new ArrayList<>();
    final List<Line> lines = new ArrayList<>();
    final List<Text> texts = new ArrayList<>();
    final List<Mark> marks = new ArrayList<>();

    private final double plotX0 = MARGIN + LABEL_WIDTH;
    // Right of the time axis: room for each row's end label, so no label covers a bar.
    private static final int END_LABEL_WIDTH = 250;

    private final double plotX1 = WIDTH - MARGIN - END_LABEL_WIDTH;
    private final double span;

    @SuppressWarnings("unchecked")
    BenchScene(Map<String, Object> result) {
        List<Map<String, Object>> providers = (List<Map<String, Object>>) result.get("providers");
        boolean simulated = providers.stream().anyMatch(m -> "simulated".equals(m.get("clock")));
        span = niceSpan(providers);
        double y = MARGIN + 16;
        texts.add(new Text(
                MARGIN,
                y,
                "loraport bench: " + result.get("jobsPerProvider") + " job(s) per provider, faults: "
                        + result.get("faults"),
                "start",
                16,
                true,
                INK));
        y += 18;

        // Headline counts: one row per provider, every count printed, 0 included.
        double colW = (WIDTH - MARGIN - plotX0) / COUNTS.size();
        y += 8;
        for (int c = 0; c < COUNTS.size(); c++) {
            texts.add(new Text(plotX0 + c * colW + colW / 2, y + 12, COUNTS.get(c)[1], "middle", 11, false, INK));
        }
        y += COUNT_ROW;
        for (Map<String, Object> m : providers) {
            Map<String, Object> h = (Map<String, Object>) m.get("headline");
            boxes.add(new Box(
                    MARGIN, y, WIDTH - 2 * MARGIN, COUNT_ROW - 2, "#f6f6f6", String.valueOf(m.get("provider"))));
            texts.add(new Text(MARGIN + 6, y + 15, String.valueOf(m.get("provider")), "start", 12, true, INK));
            for (int c = 0; c < COUNTS.size(); c++) {
                Object v = h == null ? null : h.get(COUNTS.get(c)[0]);
                boolean bad = c < 3 && v instanceof Number n && n.longValue() != 0;
                texts.add(new Text(
                        plotX0 + c * colW + colW / 2,
                        y + 15,
                        v == null ? "n/a" : String.valueOf(v),
                        "middle",
                        13,
                        true,
                        bad ? FAILED : INK));
            }
            y += COUNT_ROW;
        }
        y += 18;

        // The timelines, one row per job, on one axis.
        double top = y;
        int rows = 0;
        for (Map<String, Object> m : providers) {
            List<Map<String, Object>> jobs = (List<Map<String, Object>>) m.get("jobDetails");
            List<Map<String, Object>> listings = list(m.get("listCalls"));
            for (Map<String, Object> j : jobs) {
                row(y, m, j, jobs.size(), listings);
                y += ROW;
                rows++;
            }
        }
        if (rows == 0) {
            texts.add(new Text(plotX0, y + 18, "no jobs", "start", 12, false, INK));
            y += ROW;
        }
        axis(top, y, simulated);
        y += 44;
        y = legend(y);
        height = (int) Math.ceil(y + MARGIN);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(@Nullable Object v) {
        return v == null ? List.of() : (List<Map<String, Object>>) v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(@Nullable Object v) {
        return v == null ? Map.of() : (Map<String, Object>) v;
    }

    private static @Nullable Double num(@Nullable Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    private double x(double seconds) {
        return plotX0 + (plotX1 - plotX0) * Math.max(0, Math.min(seconds, span)) / span;
    }

    private void row(
            double y,
            Map<String, Object> provider,
            Map<String, Object> job,
            int jobsOfProvider,
            List<Map<String, Object>> listings) {
        String label = provider.get("provider") + (jobsOfProvider == 1 ? "" : " #" + job.get("job"));
        texts.add(new Text(MARGIN, y + 19, label, "start", 12, false, INK));
        lines.add(new Line(plotX0, y + ROW - 1, WIDTH - MARGIN, y + ROW - 1, GRID, 1));
        Map<String, Object> t = map(job.get("timeline"));
        double barY = y + 12;
        double barH = 12;
        for (Map<String, Object> p : list(t.get("phases"))) {
            String status = String.valueOf(p.get("status"));
            Double from = num(p.get("from"));
            Double to = num(p.get("to"));
            if (from == null || to == null) {
                continue;
            }
            boxes.add(new Box(
                    x(from),
                    barY,
                    Math.max(1, x(to) - x(from)),
                    barH,
                    phaseColour(status),
                    status + " " + clock(from) + " to " + clock(to)
                            + ("service".equals(t.get("phasesFrom")) ? " (service)" : " (as seen)")));
        }
        Double ended = num(t.get("ended"));
        Double seen = num(t.get("endSeen"));
        Double delay = num(t.get("endToSeenSeconds"));
        if (ended != null && seen != null && seen > ended) {
            boxes.add(new Box(
                    x(ended),
                    barY,
                    Math.max(1, x(seen) - x(ended)),
                    barH,
                    UNSEEN,
                    "ended at " + clock(ended) + ", seen at " + clock(seen)));
        }
        String status = String.valueOf(job.get("status"));
        if (seen != null) {
            boolean ok = "READY".equals(status);
            marks.add(diamond(x(seen), barY + barH / 2, 6, ok ? READY : FAILED, status + " seen at " + clock(seen)));
            String value = status + " " + clock(seen)
                    + (delay == null
                            ? ""
                            : " (seen " + (Boolean.TRUE.equals(t.get("endToSeenExact")) ? "" : "<= ")
                                    + shortDuration(delay) + " after it ended)");
            texts.add(new Text(x(seen) + 10, barY + 10, value, "start", 11, false, ok ? INK : FAILED));
        } else if (!"READY".equals(status)) {
            Object error = job.get("error");
            texts.add(new Text(
                    x(0) + 4, barY + 10, status + (error == null ? "" : ": " + error), "start", 11, false, FAILED));
        }
        Double accepted = num(t.get("accepted"));
        if (accepted != null) {
            lines.add(new Line(x(accepted), barY - 2, x(accepted), barY + barH + 2, INK, 1.5));
            if (Boolean.TRUE.equals(t.get("reconciledCreate"))) {
                marks.add(diamond(
                        x(accepted),
                        barY - 6,
                        5,
                        RECONCILED,
                        "create lost, job found again in the listing at " + clock(accepted)));
            }
        }
        double callY = y + 3;
        for (Map<String, Object> c : list(t.get("calls"))) {
            call(c, callY, label);
        }
        for (Map<String, Object> c : listings) {
            Double at = num(c.get("at"));
            // A listing serves every job still running; after a job was seen to end it no longer concerns it.
            if (at != null && (seen == null || at <= seen)) {
                call(c, callY, label + " (listing)");
            }
        }
    }

    private void call(Map<String, Object> c, double y, String label) {
        Double at = num(c.get("at"));
        if (at == null) {
            return;
        }
        double cx = x(at);
        String what = c.get("operation")
                + (c.get("operation").equals(c.get("partOf")) ? "" : " (in " + c.get("partOf") + ")");
        Object failure = c.get("failure");
        if (failure != null) {
            marks.add(new Mark(
                    new double[] {cx - 4, cx + 4, cx},
                    new double[] {y, y, y + 7},
                    FAULT,
                    label + ": " + what + " failed at " + clock(at) + ": " + failure));
        } else if (Boolean.TRUE.equals(c.get("retry"))) {
            boxes.add(new Box(cx - 3, y, 6, 6, RETRY, label + ": " + what + " retried at " + clock(at)));
        } else {
            lines.add(new Line(cx, y, cx, y + 7, POLL, 1));
        }
        if (failure != null && Boolean.TRUE.equals(c.get("retry"))) {
            boxes.add(new Box(cx - 2, y - 3, 4, 3, RETRY, label + ": " + what + " retried at " + clock(at)));
        }
    }

    private void axis(double top, double bottom, boolean simulated) {
        lines.add(new Line(plotX0, bottom, plotX1, bottom, INK, 1));
        double step = tickStep(span);
        for (double s = 0; s <= span + 1e-9; s += step) {
            double tx = x(s);
            lines.add(new Line(tx, top, tx, bottom, GRID, 1));
            lines.add(new Line(tx, bottom, tx, bottom + 4, INK, 1));
            texts.add(new Text(tx, bottom + 16, clock(s), "middle", 11, false, INK));
        }
        texts.add(new Text(
                (plotX0 + plotX1) / 2,
                bottom + 34,
                "time since the provider's first submission, on the "
                        + (simulated ? "simulators' clock (simulated)" : "wall clock"),
                "middle",
                11,
                false,
                INK));
    }

    private double legend(double y) {
        double lx = MARGIN;
        lx = legendBox(lx, y, QUEUED, "queued");
        lx = legendBox(lx, y, TRAINING, "training");
        lx = legendBox(lx, y, DEPLOYING, "deploying");
        lx = legendBox(lx, y, UNSEEN, "ended, not yet seen");
        marks.add(diamond(lx + 6, y + 6, 6, READY, "READY seen"));
        texts.add(new Text(lx + 16, y + 10, "READY seen", "start", 11, false, INK));
        lx += 100;
        marks.add(diamond(lx + 6, y + 6, 6, FAILED, "failed or canceled"));
        texts.add(new Text(lx + 16, y + 10, "failed", "start", 11, false, INK));
        lx += 70;
        lines.add(new Line(lx + 4, y, lx + 4, y + 9, POLL, 1));
        texts.add(new Text(lx + 12, y + 10, "poll", "start", 11, false, INK));
        lx += 50;
        marks.add(
                new Mark(new double[] {lx, lx + 8, lx + 4}, new double[] {y + 1, y + 1, y + 8}, FAULT, "failed call"));
        texts.add(new Text(lx + 14, y + 10, "failed call", "start", 11, false, INK));
        lx += 90;
        boxes.add(new Box(lx, y + 2, 6, 6, RETRY, "retry"));
        texts.add(new Text(lx + 12, y + 10, "retry", "start", 11, false, INK));
        lx += 55;
        marks.add(diamond(lx + 5, y + 5, 5, RECONCILED, "lost create found again"));
        texts.add(new Text(lx + 14, y + 10, "lost create found again", "start", 11, false, INK));
        lx += 170;
        lines.add(new Line(lx + 3, y - 1, lx + 3, y + 11, INK, 1.5));
        texts.add(new Text(lx + 10, y + 10, "accepted", "start", 11, false, INK));
        return y + 14;
    }

    private double legendBox(double lx, double y, String colour, String label) {
        boxes.add(new Box(lx, y, 14, 10, colour, label));
        texts.add(new Text(lx + 18, y + 10, label, "start", 11, false, INK));
        return lx + 26 + label.length() * 6.2;
    }

    private static Mark diamond(double cx, double cy, double r, String fill, String title) {
        return new Mark(new double[] {cx, cx + r, cx, cx - r}, new double[] {cy - r, cy, cy + r, cy}, fill, title);
    }

    private static String phaseColour(String status) {
        return switch (status) {
            case "QUEUED" -> QUEUED;
            case "TRAINING" -> TRAINING;
            case "DEPLOYING" -> DEPLOYING;
            default -> POLL;
        };
    }

    /** The axis length in seconds: the last thing any job did, rounded up to a whole tick. */
    private static double niceSpan(List<Map<String, Object>> providers) {
        double last = 0;
        for (Map<String, Object> m : providers) {
            for (Map<String, Object> c : list(m.get("listCalls"))) {
                last = Math.max(last, orZero(num(c.get("at"))));
            }
            for (Map<String, Object> j : list(m.get("jobDetails"))) {
                Map<String, Object> t = map(j.get("timeline"));
                last = Math.max(last, orZero(num(t.get("endSeen"))));
                last = Math.max(last, orZero(num(t.get("ended"))));
                for (Map<String, Object> p : list(t.get("phases"))) {
                    last = Math.max(last, orZero(num(p.get("to"))));
                }
                for (Map<String, Object> c : list(t.get("calls"))) {
                    last = Math.max(last, orZero(num(c.get("at"))));
                }
            }
        }
        double step = tickStep(Math.max(last, 1));
        return Math.max(step, Math.ceil(last / step) * step);
    }

    private static double orZero(@Nullable Double d) {
        return d == null ? 0 : d;
    }

    /** About six ticks, each a round number of seconds or minutes. */
    static double tickStep(double span) {
        double[] steps = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400};
        for (double s : steps) {
            if (span / s <= 8) {
                return s;
            }
        }
        return Math.ceil(span / 8 / 3600) * 3600;
    }

    /** A time on the axis: {@code 12m03s}, {@code 45s}, {@code 1h05m}. */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    private static String shortDuration(double seconds) {
        return seconds < 10 ? String.format(Locale.ROOT, "%.1fs", seconds) : clock(seconds);
    }

    static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
