package dev.loraport.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs the polling-cost comparison small so it cannot rot; checks it counts, never how fast it ran. */
class PollingCostTest {

    @Test
    void everyFollowerSeesEveryJobAndTheCountsAreReported() {
        PollingCost.Result watcher = PollingCost.watcher(50, true);
        PollingCost.Result fixed = PollingCost.fixed(50, true, Duration.ofSeconds(5), "fixed 5 s");

        assertThat(watcher.jobs()).isEqualTo(50);
        assertThat(watcher.callsPerJob()).isPositive();
        // A 5 s poller asks about 120 times over a 10-minute job.
        assertThat(fixed.callsPerJob()).isGreaterThan(100);
        assertThat(fixed.p99Millis()).isLessThanOrEqualTo(5_000);
        assertThat(PollingCost.watcher(50, false).jobs()).isEqualTo(50);
    }

    @Test
    void onAServiceWithExactEstimatesTheWatcherSeesEachEndWithinOneSecondAtAFewPollsPerJob() {
        PollingCost.Result watcher = PollingCost.watcher(200, false);

        // The floor is 5 s, but one poll is aimed just past each job's estimated end.
        assertThat(watcher.p99Millis()).isLessThanOrEqualTo(1_000);
        assertThat(watcher.callsPerJob()).isLessThan(12.1);
    }

    @Test
    void overHttpOnBothSimulatorsTheDefaultWatcherSpendsUnderATenthOfA5sPollerAndSeesEveryEnd() {
        for (String provider : new String[] {"novita", "stablediffusionapi"}) {
            PollingCost.Result r = PollingCost.onSimulator(provider, 20);
            Duration job = PollingCost.simulatorDurations(provider).total();

            assertThat(r.jobs()).as(provider).isEqualTo(20);
            assertThat(r.callsPerJob())
                    .as(provider)
                    .isPositive()
                    .isLessThan(PollingCost.fixedCalls(job, Duration.ofSeconds(5)) / 10.0);
            // Novita's list carries no ETA: without the dense list reads, the 30-minute default expectation
            // left its jobs seen minutes late. One 5 s floor (plus jitter) is the bound now.
            assertThat(r.p99Millis()).as(provider).isLessThanOrEqualTo(6_000);
        }
    }
}
