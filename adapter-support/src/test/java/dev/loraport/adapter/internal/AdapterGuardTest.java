package dev.loraport.adapter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.InvalidRequestException;
import dev.loraport.MalformedResponseException;
import dev.loraport.TrainingProviderException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class AdapterGuardTest {

    private static final String KEY = "sk-SECRET-789";
    private final AdapterGuard guard = new AdapterGuard("p", KEY);

    @Test
    void anUnexpectedExceptionBecomesATypedOneWithTheKeyScrubbed() {
        assertThatThrownBy(() -> guard.call("status", () -> {
                    throw new IllegalStateException("bad " + KEY, new RuntimeException("inner " + KEY));
                }))
                .isExactlyInstanceOf(TrainingProviderException.class)
                .hasMessageContaining("p status")
                .hasMessageContaining("IllegalStateException")
                .satisfies(e -> {
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    assertThat(trace.toString()).doesNotContain(KEY).contains("inner ****");
                });
    }

    @Test
    void typedExceptionsAndCancellationPassUnchanged() {
        InvalidRequestException typed = new InvalidRequestException(
                "p", "create", List.of(new InvalidRequestException.Violation("steps", "bad")));
        assertThatThrownBy(() -> guard.run("create", () -> {
                    throw typed;
                }))
                .isSameAs(typed);
        CancellationException cancel = new CancellationException("interrupted");
        assertThatThrownBy(() -> guard.run("generate", () -> {
                    throw cancel;
                }))
                .isSameAs(cancel);
        assertThat(guard.call("list", () -> 7)).isEqualTo(7);
    }

    @Test
    void aCreateFailingAfterItsRequestWasSentIsMalformedSoItIsReconciledNotResent() {
        assertThatThrownBy(() -> guard.create("create", sent -> {
                    throw new IllegalArgumentException("before");
                }))
                .isExactlyInstanceOf(TrainingProviderException.class);
        assertThatThrownBy(() -> guard.create("create", sent -> {
                    sent.mark();
                    throw new IllegalArgumentException("after " + KEY);
                }))
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("the job may exist")
                .hasMessageNotContaining(KEY);
    }
}
