package dev.loraport.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.TaskId;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The pre-0.2 constructor (no correlation) must stay a plain delegation to the canonical one, so that both
 * check and normalise their arguments the same way.
 */
class CreateIntentTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00.123456Z");

    private static CreateIntent old(
            String providerId, CreateIntent.State state, @Nullable TaskId taskId, @Nullable String reason) {
        return new CreateIntent(providerId, "acct", "ref", "d", state, taskId, reason, T0, T0);
    }

    private static CreateIntent canonical(
            String providerId, CreateIntent.State state, @Nullable TaskId taskId, @Nullable String reason) {
        return new CreateIntent(providerId, "acct", "ref", "d", state, taskId, reason, T0, T0, null);
    }

    @Test
    void theOldConstructorGivesTheCanonicalIntentWithoutCorrelation() {
        String longReason = "x".repeat(CreateIntent.MAX_REASON + 10);
        CreateIntent o = old("p", CreateIntent.State.SENDING, null, longReason);

        assertThat(o).isEqualTo(canonical("p", CreateIntent.State.SENDING, null, longReason));
        assertThat(o.correlationValue()).isEmpty();
        assertThat(o.reason()).hasSize(CreateIntent.MAX_REASON);
        assertThat(o.createdAt()).isEqualTo(Instant.parse("2026-12-02T10:00:00.123Z"));
    }

    @Test
    void theOldConstructorChecksItsArgumentsLikeTheCanonicalOne() {
        assertThatThrownBy(() -> old(" ", CreateIntent.State.SENDING, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("providerId is blank");
        assertThatThrownBy(() -> old("p", CreateIntent.State.ACCEPTED, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly when it is ACCEPTED");
        assertThatThrownBy(() -> old("p", CreateIntent.State.SENDING, TaskId.of("t"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> old("p", null, null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("state == null");
    }
}
