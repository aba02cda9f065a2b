package dev.loraport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\"";

    @TempDir
    Path dir;

    /** A run on a real service where the only job was refused: no timings, no per-endpoint counts. */
    private static Map<String, Object> refusedRealRun(String error) {
        Map<String, Object> job = new HashMap<>();
        job.put("job", 1);
        job.put("status", "NOT SUBMITTED");
        job.put("error", error);
        Map<String, Object> provider = provider("novita", "wall", headline(0, null));
        provider.put("jobs", 1);
        provider.put("ready", 0);
        provider.put("jobDetails", List.of(job));
        return result(true, List.of(provider));
    }

    /** A simulated run of one job that queued 60 s, trained 600 s, deployed 60 s and was seen 4 s after it ended. */
    private static Map<String, Object> simulatedRun(String providerName, String error, Map<String, Object> headline) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("submitted", 0.0);
        t.put("accepted", 1.5);
        t.put("phasesFrom", "service");
        t.put(
                "phases",
                List.of(phase("QUEUED", 0.0, 60.0), phase("TRAINING", 60.0, 660.0), phase("DEPLOYING", 660.0, 720.0)));
        t.put("seen", List.of(Map.of("at", 1.5, "status", "QUEUED")));
        t.put(
                "calls",
                List.of(
                        call(0.0, "create", null, false),
                        call(300.0, "status", HOSTILE, false),
                        call(302.0, "status", null, true),
                        call(724.0, "status", null, false)));
        t.put("reconciledCreate", true);
        t.put("ended", 720.0);
        t.put("endSeen", 724.0);
        t.put("endToSeenSeconds", 4.0);
        t.put("endToSeenExact", true);
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job", 1);
        job.put("task", "task-1");
        job.put("status", "READY");
        job.put("acceptSeconds", 1.5);
        job.put("endSeconds", 722L);
        job.put("error", error);
        job.put("timeline", t);
        Map<String, Object> p = provider(providerName, "simulated", headline);
        p.put("jobs", 1);
        p.put("ready", 1);
        p.put("jobDetails", List.of(job));
        p.put("listCalls", List.of(call(500.0, "list", null, false)));
        p.put("callsByEndpoint", Map.of("create", Map.of("requests", 1, "faults", 0)));
        return result(false, List.of(p));
    }

    private static Map<String, Object> phase(String status, double from, double to) {
        return Map.of("status", status, "from", from, "to", to);
    }

    private static Map<String, Object> call(double at, String operation, String failure, boolean retry) {
        Map<String, Object> c = new HashMap<>();
        c.put("at", at);
        c.put("operation", operation);
        c.put("partOf", operation);
        c.put("retry", retry);
        c.put("failure", failure);
        return c;
    }

    private static Map<String, Object> headline(long each, Long duplicates) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("faultsInjected", each);
        h.put("failedCalls", each);
        h.put("faultsAbsorbed", each);
        h.put("faultsReachedCaller", each);
        h.put("retries", each);
        h.put("lostCreatesReconciled", each);
        h.put("duplicateTrainings", duplicates);
        h.put("failedJobs", each);
        return h;
    }

    private static Map<String, Object> provider(String name, String clock, Map<String, Object> headline) {
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("provider", name);
        provider.put("clock", clock);
        provider.put("headline", headline);
        provider.put("apiCalls", 1L);
        provider.put("apiCallsPerJob", 1.0);
        return provider;
    }

    private static Map<String, Object> result(boolean real, List<Map<String, Object>> providers) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("faults", "none");
        result.put("jobsPerProvider", 1);
        result.put("real", real);
        result.put("simulatorSpeed", real ? null : 60.0);
        result.put("providers", providers);
        return result;
    }

    @Test
    void everyHeadlineCountIsPrintedWhenZeroAndHostileTextIsEscapedEverywhere() throws IOException {
        BenchReport.Written written = BenchReport.write(simulatedRun(HOSTILE, HOSTILE, headline(0, 0L)), dir);

        String html = Files.readString(written.html());
        for (String[] count : BenchScene.COUNTS) {
            assertThat(html).as(count[0]).contains("data-count=\"" + count[0] + "\">0</td>");
        }
        // The provider name, the job's error and a failed call's message reach the tables, the SVG's text and its
        // tooltips; none of them may open an element.
        assertThat(html).doesNotContain("<script>").doesNotContain("\"quoted\"");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;");
        assertThat(html).contains("<svg", "<polygon", "READY 12m04s (seen 4.0s after it ended)");
    }

    @Test
    void theReportAndThePictureDrawTheTimelineOnOneClock() throws IOException {
        BenchReport.Written written = BenchReport.write(simulatedRun("novita", null, headline(2, 0L)), dir);

        assertThat(written.chartError()).isNull();
        BufferedImage png = ImageIO.read(written.chart().toFile());
        assertThat(png.getWidth()).isEqualTo(BenchScene.WIDTH);
        // Each phase and mark is painted in its own colour: the picture is a timeline, not a blank canvas.
        for (String colour : List.of(
                BenchScene.QUEUED,
                BenchScene.TRAINING,
                BenchScene.DEPLOYING,
                BenchScene.UNSEEN,
                BenchScene.READY,
                BenchScene.FAULT,
                BenchScene.RETRY,
                BenchScene.RECONCILED)) {
            assertThat(countPixels(png, Color.decode(colour))).as(colour).isPositive();
        }
        String html = Files.readString(written.html());
        assertThat(html)
                .contains("the simulators&#39; clock (simulated time)")
                .contains("data-count=\"faultsInjected\">2</td>")
                .contains("<td class=\"l\">novita</td><td class=\"l\">create</td><td>1</td><td>0</td>");
        // The axis: ticks of whole minutes, the last one the first past the last thing that happened (724 s).
        assertThat(BenchScene.tickStep(724)).isEqualTo(120);
        assertThat(html).contains(">12m00s<", ">14m00s<").doesNotContain(">16m00s<");
    }

    @Test
    void aRunWithoutFiguresStillDrawsAndShowsDashesAndEscapesWhatTheServiceSaid() throws IOException {
        BenchReport.Written written = BenchReport.write(refusedRealRun("balance <b>too low</b> & \"stop\""), dir);

        assertThat(written.chartError()).isNull();
        assertThat(ImageIO.read(written.chart().toFile()).getWidth()).isEqualTo(BenchScene.WIDTH);
        String html = Files.readString(written.html());
        assertThat(html)
                .contains("on the real service")
                .contains("<td>-</td>")
                .contains("data-count=\"duplicateTrainings\">n/a</td>")
                .contains("balance &lt;b&gt;too low&lt;/b&gt; &amp; &quot;stop&quot;")
                .doesNotContain("<b>too low</b>");
    }

    @Test
    void percentilesAreNearestRankAndEmptyHasNone() {
        assertThat(BenchCommand.percentile(new long[] {}, 50)).isNull();
        assertThat(BenchCommand.percentile(new long[] {7}, 50)).isEqualTo(7);
        assertThat(BenchCommand.percentile(new long[] {1, 2, 3, 4}, 50)).isEqualTo(2);
        assertThat(BenchCommand.percentile(new long[] {1, 2, 3, 4, 5}, 50)).isEqualTo(3);
        assertThat(BenchCommand.percentile(new long[] {1, 2, 3, 4}, 100)).isEqualTo(4);
    }

    @Test
    void whenThePictureCannotBeWrittenThePageIsStillWrittenAndSaysWhy() throws IOException {
        // What AWT throws on a machine without fonts: an Error, not an exception.
        BenchReport.Written written = BenchReport.write(simulatedRun("novita", null, headline(0, 0L)), dir, (s, p) -> {
            Files.writeString(p, "half a picture");
            throw new InternalError("No physical fonts found");
        });

        assertThat(written.chart()).isNull();
        assertThat(written.chartError()).contains("No physical fonts found");
        assertThat(dir.resolve(BenchReport.PNG)).doesNotExist();
        String html = Files.readString(written.html());
        assertThat(html).contains("No PNG").contains("<svg").doesNotContain("href=\"lifecycle.png\"");
    }

    private static long countPixels(BufferedImage image, Color colour) {
        int rgb = colour.getRGB();
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
