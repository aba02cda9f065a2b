package dev.loraport.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

    @TempDir
    Path dir;

    /** A run on a real service where the only job was refused: no timings, no per-endpoint counts. */
    private static Map<String, Object> refusedRealRun(String error) {
        Map<String, Object> job = new HashMap<>();
        job.put("job", 1);
        job.put("status", "NOT SUBMITTED");
        job.put("error", error);
        Map<String, Object> provider = new LinkedHashMap<>();
        provider.put("provider", "novita");
        provider.put("jobs", 1);
        provider.put("accepted", 0);
        provider.put("ready", 0);
        provider.put("failed", 1);
        provider.put("duplicateTrainings", null);
        provider.put("acceptMillisP50", null);
        provider.put("acceptMillisMax", null);
        provider.put("readySecondsP50", null);
        provider.put("readySecondsMax", null);
        provider.put("clock", "wall");
        provider.put("apiCalls", 1L);
        provider.put("apiCallsPerJob", 1.0);
        provider.put("retries", 0L);
        provider.put("jobDetails", List.of(job));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("faults", "none");
        result.put("jobsPerProvider", 1);
        result.put("real", true);
        result.put("providers", List.of(provider));
        return result;
    }

    @Test
    void aRunWithoutFiguresStillDrawsAndShowsDashesAndEscapesWhatTheServiceSaid() throws IOException {
        BenchReport.Written written = BenchReport.write(refusedRealRun("balance <b>too low</b> & \"stop\""), dir);

        assertThat(written.chartError()).isNull();
        BufferedImage png = ImageIO.read(written.chart().toFile());
        assertThat(png.getWidth()).isEqualTo(2 * 560);
        String html = Files.readString(written.html());
        assertThat(html)
                .contains("on the real service")
                .contains("<td>-</td>")
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
    void whenTheChartCannotBeDrawnThePageIsStillWrittenAndSaysWhy() throws IOException {
        Map<String, Object> empty = refusedRealRun("x");
        // No provider at all: the charting library refuses empty series.
        empty.put("providers", List.of());

        BenchReport.Written written = BenchReport.write(empty, dir);

        assertThat(written.chart()).isNull();
        assertThat(written.chartError()).isNotBlank();
        assertThat(dir.resolve(BenchReport.PNG)).doesNotExist();
        assertThat(Files.readString(written.html())).contains("No chart");
    }
}
