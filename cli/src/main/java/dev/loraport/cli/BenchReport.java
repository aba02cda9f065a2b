package dev.loraport.cli;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheFactory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@code bench} result into something to look at: {@code lifecycle.png} and {@code report.html}, both
 * showing the headline counts and one timeline per job ({@link BenchScene}), the page adding the figures in tables.
 * The page comes from a Mustache template, which escapes every value for HTML; the picture on the page is the same
 * scene as the PNG, written as SVG, so the page needs no file beside it. A machine that cannot draw (no fonts, no
 * AWT) still gets the page, and is told why it has no PNG.
 */
final class BenchReport {

    static final String HTML = "report.html";
    static final String PNG = "lifecycle.png";

    private static final String TEMPLATE = "dev/loraport/cli/bench-report.html.mustache";

    private BenchReport() {}

    /** What was written; {@code chart} is null and {@code chartError} says why when drawing failed. */
    record Written(
            Path html, @Nullable Path chart, @Nullable String chartError) {}

    /** Paints a scene into a PNG file. */
    @FunctionalInterface
    interface Painter {
        void paint(BenchScene scene, Path png) throws IOException;
    }

    static Written write(Map<String, Object> result, Path dir) throws IOException {
        return write(result, dir, BenchReport::paint);
    }

    static Written write(Map<String, Object> result, Path dir, Painter painter) throws IOException {
        BenchScene scene = new BenchScene(result);
        Path png = dir.resolve(PNG);
        String chartError = null;
        try {
            painter.paint(scene, png);
        } catch (IOException | RuntimeException | Error e) {
            // AWT without fonts or native libraries throws Errors, not exceptions: a plain Error ("No fonts found"),
            // an InternalError from FontManagerFactory, an UnsatisfiedLinkError. The figures are worth writing
            // without the picture; only a JVM out of memory or stack is past helping.
            if (e instanceof VirtualMachineError && !(e instanceof InternalError)) {
                throw (VirtualMachineError) e;
            }
            Files.deleteIfExists(png);
            chartError = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        Path html = dir.resolve(HTML);
        Files.writeString(html, html(result, scene, chartError));
        return new Written(html, chartError == null ? png : null, chartError);
    }

    // ---- the PNG ----

    private static void paint(BenchScene scene, Path png) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            // Drawing to a file needs no display; without this a desktop JVM may open a dock icon or fail on SSH.
            System.setProperty("java.awt.headless", "true");
        }
        BufferedImage image = new BufferedImage(BenchScene.WIDTH, scene.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, BenchScene.WIDTH, scene.height);
            for (BenchScene.Line l : scene.lines) {
                g.setColor(Color.decode(l.stroke()));
                g.setStroke(new BasicStroke((float) l.width()));
                g.draw(new Line2D.Double(l.x1(), l.y1(), l.x2(), l.y2()));
            }
            for (BenchScene.Box b : scene.boxes) {
                g.setColor(Color.decode(b.fill()));
                g.fill(new Rectangle2D.Double(b.x(), b.y(), b.w(), b.h()));
            }
            for (BenchScene.Mark m : scene.marks) {
                Polygon p = new Polygon();
                for (int i = 0; i < m.xs().length; i++) {
                    p.addPoint((int) Math.round(m.xs()[i]), (int) Math.round(m.ys()[i]));
                }
                g.setColor(Color.decode(m.fill()));
                g.fillPolygon(p);
            }
            for (BenchScene.Text t : scene.texts) {
                g.setFont(new Font(Font.SANS_SERIF, t.bold() ? Font.BOLD : Font.PLAIN, t.size()));
                g.setColor(Color.decode(t.fill()));
                FontMetrics fm = g.getFontMetrics();
                double w = fm.stringWidth(t.text());
                double x = switch (t.anchor()) {
                    case "middle" -> t.x() - w / 2;
                    case "end" -> t.x() - w;
                    default -> t.x();
                };
                g.drawString(t.text(), (float) x, (float) t.y());
            }
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", png.toFile())) {
            throw new IOException("no PNG writer in this JVM");
        }
    }

    // ---- the page ----

    @SuppressWarnings("unchecked")
    private static String html(Map<String, Object> result, BenchScene scene, @Nullable String chartError) {
        List<Map<String, Object>> providers = (List<Map<String, Object>>) result.get("providers");
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("jobsPerProvider", result.get("jobsPerProvider"));
        page.put("real", Boolean.TRUE.equals(result.get("real")));
        page.put("simulatorSpeed", result.get("simulatorSpeed"));
        page.put("faults", result.get("faults"));
        page.put("faultDescription", result.get("faultDescription"));
        page.put("started", result.get("started"));
        page.put("wallSeconds", result.get("wallSeconds"));
        page.put("png", chartError == null ? PNG : null);
        page.put("chartError", chartError);
        page.put(
                "clock",
                providers.stream().anyMatch(m -> "simulated".equals(m.get("clock")))
                        ? "the simulators' clock (simulated time)"
                        : "the wall clock");

        List<Map<String, Object>> countHeads = new ArrayList<>();
        for (String[] c : BenchScene.COUNTS) {
            countHeads.add(Map.of("label", c[1]));
        }
        page.put("countHeads", countHeads);
        List<Map<String, Object>> counts = new ArrayList<>();
        List<Map<String, Object>> endpoints = new ArrayList<>();
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (Map<String, Object> m : providers) {
            Map<String, Object> h = (Map<String, Object>) m.get("headline");
            List<Map<String, Object>> cells = new ArrayList<>();
            for (int i = 0; i < BenchScene.COUNTS.size(); i++) {
                String key = BenchScene.COUNTS.get(i)[0];
                Object v = h == null ? null : h.get(key);
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("key", key);
                cell.put("value", v == null ? "n/a" : String.valueOf(v));
                cell.put("bad", i < 3 && v instanceof Number n && n.longValue() != 0);
                cells.add(cell);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("provider", m.get("provider"));
            row.put("ready", m.get("ready") + "/" + m.get("jobs"));
            row.put("accept", pair(m.get("acceptSecondsP50"), m.get("acceptSecondsMax")));
            row.put("toReady", pair(m.get("readySecondsP50"), m.get("readySecondsMax")));
            row.put("apiCalls", m.get("apiCalls"));
            row.put("apiCallsPerJob", m.get("apiCallsPerJob"));
            row.put("cells", cells);
            counts.add(row);

            Map<String, Object> byEndpoint = (Map<String, Object>) m.get("callsByEndpoint");
            if (byEndpoint != null) {
                for (Map.Entry<String, Object> e : byEndpoint.entrySet()) {
                    Map<String, Object> figures = (Map<String, Object>) e.getValue();
                    Map<String, Object> er = new LinkedHashMap<>();
                    er.put("provider", m.get("provider"));
                    er.put("endpoint", e.getKey());
                    er.put("requests", figures.get("requests"));
                    er.put("faults", figures.get("faults"));
                    endpoints.add(er);
                }
            }
            for (Map<String, Object> j : (List<Map<String, Object>>) m.get("jobDetails")) {
                jobs.add(jobRow(m, j));
            }
        }
        page.put("counts", counts);
        page.put("endpoints", endpoints);
        page.put("hasEndpoints", !endpoints.isEmpty());
        page.put("jobs", jobs);
        page.put("svg", svg(scene));

        MustacheFactory factory = new DefaultMustacheFactory();
        Mustache template = factory.compile(TEMPLATE);
        StringWriter out = new StringWriter(16384);
        try {
            template.execute(out, page).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jobRow(Map<String, Object> provider, Map<String, Object> j) {
        Map<String, Object> t = j.get("timeline") == null ? Map.of() : (Map<String, Object>) j.get("timeline");
        List<Map<String, Object>> calls =
                t.get("calls") == null ? List.of() : (List<Map<String, Object>>) t.get("calls");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("provider", provider.get("provider"));
        r.put("job", j.get("job"));
        r.put("task", dash(j.get("task")));
        r.put("status", j.get("status"));
        r.put("bad", !"READY".equals(j.get("status")));
        r.put("rawStatus", dash(j.get("rawStatus")));
        r.put("accepted", seconds(j.get("acceptSeconds")));
        r.put("ended", seconds(j.get("endSeconds")));
        Object delay = t.get("endToSeenSeconds");
        r.put(
                "endToSeen",
                delay == null
                        ? "-"
                        : (Boolean.TRUE.equals(t.get("endToSeenExact")) ? "" : "<= ")
                                + BenchScene.num(((Number) delay).doubleValue()) + " s");
        r.put("calls", calls.size());
        r.put(
                "failedCalls",
                calls.stream().filter(c -> c.get("failure") != null).count());
        r.put(
                "retries",
                calls.stream().filter(c -> Boolean.TRUE.equals(c.get("retry"))).count());
        r.put("reconciled", Boolean.TRUE.equals(t.get("reconciledCreate")) ? "yes" : "no");
        r.put("error", dash(j.get("error")));
        return r;
    }

    /** The scene as SVG elements; the template escapes every attribute and text. */
    private static Map<String, Object> svg(BenchScene scene) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("width", BenchScene.WIDTH);
        s.put("height", scene.height);
        List<Map<String, Object>> boxes = new ArrayList<>();
        for (BenchScene.Box b : scene.boxes) {
            boxes.add(Map.of(
                    "x", BenchScene.num(b.x()),
                    "y", BenchScene.num(b.y()),
                    "w", BenchScene.num(b.w()),
                    "h", BenchScene.num(b.h()),
                    "fill", b.fill(),
                    "title", b.title()));
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        for (BenchScene.Line l : scene.lines) {
            lines.add(Map.of(
                    "x1", BenchScene.num(l.x1()),
                    "y1", BenchScene.num(l.y1()),
                    "x2", BenchScene.num(l.x2()),
                    "y2", BenchScene.num(l.y2()),
                    "stroke", l.stroke(),
                    "width", BenchScene.num(l.width())));
        }
        List<Map<String, Object>> marks = new ArrayList<>();
        for (BenchScene.Mark m : scene.marks) {
            marks.add(Map.of("points", m.points(), "fill", m.fill(), "title", m.title()));
        }
        List<Map<String, Object>> texts = new ArrayList<>();
        for (BenchScene.Text t : scene.texts) {
            texts.add(Map.of(
                    "x", BenchScene.num(t.x()),
                    "y", BenchScene.num(t.y()),
                    "text", t.text(),
                    "anchor", t.anchor(),
                    "size", t.size(),
                    "weight", t.bold() ? "bold" : "normal",
                    "fill", t.fill()));
        }
        s.put("lines", lines);
        s.put("boxes", boxes);
        s.put("marks", marks);
        s.put("texts", texts);
        return s;
    }

    private static String dash(@Nullable Object v) {
        return v == null ? "-" : String.valueOf(v);
    }

    private static String seconds(@Nullable Object v) {
        return v instanceof Number n ? Render.duration(Duration.ofMillis(Math.round(n.doubleValue() * 1000))) : "-";
    }

    private static String pair(@Nullable Object p50, @Nullable Object max) {
        return p50 == null ? "-" : seconds(p50) + " / " + seconds(max);
    }
}
