package dev.loraport.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Turns a {@code bench} result into something to look at: {@code lifecycle.png} (four bar charts, one bar group
 * per provider) and {@code report.html} (the chart, the run's settings and every figure in tables). A machine that
 * cannot draw (no fonts, no AWT) still gets the page, without the picture, and is told why.
 */
final class BenchReport {

    static final String HTML = "report.html";
    static final String PNG = "lifecycle.png";

    private static final int CHART_WIDTH = 560;
    private static final int CHART_HEIGHT = 360;

    private BenchReport() {}

    /** What was written; {@code chart} is null and {@code chartError} says why when drawing failed. */
    record Written(
            Path html, @Nullable Path chart, @Nullable String chartError) {}

    static Written write(Map<String, Object> result, Path dir) throws IOException {
        List<Map<String, Object>> providers = providers(result);
        Path png = dir.resolve(PNG);
        String chartError = null;
        try {
            drawCharts(providers, png);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            // AWT without fonts throws plain Errors ("No physical fonts found"), not exceptions; the figures are
            // worth writing without the picture.
            Files.deleteIfExists(png);
            chartError = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        Path html = dir.resolve(HTML);
        Files.writeString(html, html(result, providers, chartError == null));
        return new Written(html, chartError == null ? png : null, chartError);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> providers(Map<String, Object> result) {
        return (List<Map<String, Object>>) result.get("providers");
    }

    private static void drawCharts(List<Map<String, Object>> providers, Path png) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            // Drawing to a file needs no display; without this a desktop JVM may open a dock icon or fail on SSH.
            System.setProperty("java.awt.headless", "true");
        }
        List<String> names =
                providers.stream().map(m -> (String) m.get("provider")).toList();
        boolean simulated = providers.stream().anyMatch(m -> "simulated".equals(m.get("clock")));

        CategoryChart ready = chart(
                simulated ? "Time to READY (simulated)" : "Time to READY",
                simulated ? "minutes (simulated)" : "minutes");
        ready.addSeries("p50", names, values(providers, m -> minutes(m.get("readySecondsP50"))));
        ready.addSeries("max", names, values(providers, m -> minutes(m.get("readySecondsMax"))));

        CategoryChart calls = chart("API calls per job", "calls");
        calls.getStyler().setStacked(true);
        Set<String> endpoints = new LinkedHashSet<>();
        for (Map<String, Object> m : providers) {
            endpoints.addAll(callsByEndpoint(m).keySet());
        }
        if (endpoints.isEmpty()) {
            calls.addSeries("all", names, values(providers, m -> number(m.get("apiCallsPerJob"))));
        } else {
            for (String endpoint : endpoints) {
                calls.addSeries(endpoint, names, values(providers, m -> {
                    Number n = (Number) callsByEndpoint(m).get(endpoint);
                    return n == null ? 0 : n.doubleValue() / ((Number) m.get("jobs")).doubleValue();
                }));
            }
        }

        CategoryChart accept = chart("Time to accept (wall clock)", "milliseconds");
        accept.addSeries("p50", names, values(providers, m -> number(m.get("acceptMillisP50"))));
        accept.addSeries("max", names, values(providers, m -> number(m.get("acceptMillisMax"))));

        CategoryChart trouble = chart("Retries, failures, duplicate trainings", "count");
        trouble.addSeries("retries", names, values(providers, m -> number(m.get("retries"))));
        trouble.addSeries("failed jobs", names, values(providers, m -> number(m.get("failed"))));
        trouble.addSeries("duplicate trainings", names, values(providers, m -> number(m.get("duplicateTrainings"))));

        try (OutputStream os = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(List.of(ready, calls, accept, trouble), 2, 2, os, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static CategoryChart chart(String title, String yAxis) {
        CategoryChart c = new CategoryChartBuilder()
                .width(CHART_WIDTH)
                .height(CHART_HEIGHT)
                .title(title)
                .xAxisTitle("provider")
                .yAxisTitle(yAxis)
                .build();
        // Below the plot, in a row: inside it, the legend hides the bars of the first provider.
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        c.getStyler().setYAxisMin(0.0);
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> callsByEndpoint(Map<String, Object> provider) {
        Object v = provider.get("callsByEndpoint");
        return v == null ? Map.of() : (Map<String, Object>) v;
    }

    private static List<Number> values(List<Map<String, Object>> providers, Function<Map<String, Object>, Number> f) {
        List<Number> out = new ArrayList<>();
        for (Map<String, Object> m : providers) {
            out.add(f.apply(m));
        }
        return out;
    }

    private static Number number(@Nullable Object v) {
        // A missing figure (no job reached READY) draws as an empty bar; the page's table shows "-".
        return v == null ? 0 : (Number) v;
    }

    private static Number minutes(@Nullable Object seconds) {
        return seconds == null ? 0 : ((Number) seconds).doubleValue() / 60;
    }

    private static String html(Map<String, Object> result, List<Map<String, Object>> providers, boolean chart) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>loraport bench</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}\n")
                .append("table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 10px;")
                .append("text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}")
                .append(".bad{color:#b00020}img{max-width:100%;border:1px solid #ddd}\n")
                .append("</style></head><body>\n<h1>loraport bench</h1>\n<p>")
                .append(esc(String.valueOf(result.get("jobsPerProvider"))))
                .append(" training(s) per provider, ")
                .append(
                        Boolean.TRUE.equals(result.get("real"))
                                ? "on the real service"
                                : "on the embedded simulators, time x"
                                        + esc(String.valueOf(result.get("simulatorSpeed"))))
                .append("; faults: <b>")
                .append(esc(String.valueOf(result.get("faults"))))
                .append("</b> (")
                .append(esc(String.valueOf(result.get("faultDescription"))))
                .append("); started ")
                .append(esc(String.valueOf(result.get("started"))))
                .append(", ")
                .append(esc(String.valueOf(result.get("wallSeconds"))))
                .append(" s of wall time. Raw figures: <a href=\"bench.json\">bench.json</a>.</p>\n");
        if (chart) {
            h.append("<p><img src=\"").append(PNG).append("\" alt=\"lifecycle charts\"></p>\n");
        } else {
            h.append(
                    "<p class=\"bad\">No chart: this machine could not draw one (see the command's error output).</p>\n");
        }
        h.append("<h2>Per provider</h2>\n<table><tr><th class=\"l\">provider</th><th>jobs</th><th>READY</th>")
                .append("<th>failed</th><th>duplicate trainings</th><th>accept p50 / max</th>")
                .append("<th>to READY p50 / max</th><th>API calls</th><th>calls per job</th><th>retries</th>")
                .append("<th class=\"l\">calls by endpoint</th></tr>\n");
        for (Map<String, Object> m : providers) {
            h.append("<tr><td class=\"l\">")
                    .append(esc(String.valueOf(m.get("provider"))))
                    .append("</td>")
                    .append(td(m.get("jobs")))
                    .append(td(m.get("ready")))
                    .append(td(m.get("failed")))
                    .append(td(m.get("duplicateTrainings")))
                    .append(td(pair(m.get("acceptMillisP50"), m.get("acceptMillisMax"), " ms")))
                    .append(td(pair(
                            duration(m.get("readySecondsP50")),
                            duration(m.get("readySecondsMax")),
                            "simulated".equals(m.get("clock")) ? " simulated" : "")))
                    .append(td(m.get("apiCalls")))
                    .append(td(m.get("apiCallsPerJob")))
                    .append(td(m.get("retries")))
                    .append("<td class=\"l\">")
                    .append(esc(String.valueOf(callsByEndpoint(m))))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n<h2>Per job</h2>\n<table><tr><th class=\"l\">provider</th><th>job</th>")
                .append("<th class=\"l\">task</th><th class=\"l\">status</th><th class=\"l\">raw status</th>")
                .append("<th>accepted in</th><th>ended after</th><th class=\"l\">error</th></tr>\n");
        for (Map<String, Object> m : providers) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> jobs = (List<Map<String, Object>>) m.get("jobDetails");
            for (Map<String, Object> j : jobs) {
                boolean bad = !"READY".equals(j.get("status"));
                h.append(bad ? "<tr class=\"bad\">" : "<tr>")
                        .append("<td class=\"l\">")
                        .append(esc(String.valueOf(m.get("provider"))))
                        .append("</td>")
                        .append(td(j.get("job")))
                        .append(tdl(j.get("task")))
                        .append(tdl(j.get("status")))
                        .append(tdl(j.get("rawStatus")))
                        .append(td(j.get("acceptMillis") == null ? null : j.get("acceptMillis") + " ms"))
                        .append(td(duration(j.get("endSeconds"))))
                        .append(tdl(j.get("error")))
                        .append("</tr>\n");
            }
        }
        h.append("</table>\n<p>Time to accept is wall-clock time for <code>create</code> (uploads included). ")
                .append("Time to READY runs on the service's clock from acceptance to the first poll that saw the ")
                .append("job end. API calls are the requests the service received, faulted ones included. ")
                .append("A duplicate training is one the service holds but the caller was never told about: ")
                .append("it would be billed without being used.</p>\n</body></html>\n");
        return h.toString();
    }

    private static @Nullable String duration(@Nullable Object seconds) {
        return seconds == null ? null : Render.duration(java.time.Duration.ofSeconds(((Number) seconds).longValue()));
    }

    private static @Nullable String pair(@Nullable Object a, @Nullable Object b, String unit) {
        return a == null ? null : a + " / " + b + unit;
    }

    private static String td(@Nullable Object v) {
        return "<td>" + (v == null ? "-" : esc(String.valueOf(v))) + "</td>";
    }

    private static String tdl(@Nullable Object v) {
        return "<td class=\"l\">" + (v == null ? "-" : esc(String.valueOf(v))) + "</td>";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
