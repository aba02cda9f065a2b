package dev.loraport.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loraport.TaskId;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskRefTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void serializesToAShortReadableString() {
        TaskRef ref = new TaskRef("novita", TaskId.of("abc-123"), "lp-1", AT);

        assertThat(ref.toString()).isEqualTo("novita:abc-123?at=2026-11-24T10:00:00Z&ref=lp-1");
        assertThat(TaskRef.parse(ref.toString())).isEqualTo(ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:b:c", "x?y=z&w", "with space", "percent%41", "ünïcødé-任务", "plus+sign", "#hash/slash"})
    void roundTripsOddCharacters(String odd) {
        TaskRef ref =
                new TaskRef(odd.replace(':', '-'), TaskId.of(odd), odd, Instant.parse("2026-11-24T10:00:00.123Z"));

        String text = ref.toString();

        assertThat(text).doesNotContain(" ").doesNotContain("\n");
        assertThat(TaskRef.parse(text)).isEqualTo(ref);
    }

    @Test
    void roundTripsAMarkAndReadsAnUnmarkedRefAsBefore() {
        TaskRef ref = new TaskRef("novita", TaskId.of("abc-123"), "lp-1", AT).withEndedBy("timed out at " + AT);

        assertThat(ref.toString())
                .isEqualTo(
                        "novita:abc-123?at=2026-11-24T10:00:00Z&ref=lp-1&ended=timed+out+at+2026-11-24T10%3A00%3A00Z");
        assertThat(TaskRef.parse(ref.toString())).isEqualTo(ref);
        assertThat(TaskRef.parse("novita:abc-123?at=2026-11-24T10:00:00Z&ref=lp-1")
                        .endedBy())
                .isNull();
        assertThat(ref.withEndedBy(null)).isEqualTo(new TaskRef("novita", TaskId.of("abc-123"), "lp-1", AT));
        assertThat(ref.withEndedBy("  ").endedBy()).isNull();
        assertThat(ref.withEndedBy("a\r\nb").endedBy()).isEqualTo("a  b");
    }

    @Test
    void roundTripsWithoutClientReference() {
        TaskRef ref = TaskRef.of("stablediffusionapi", TaskId.of("42"), AT);

        assertThat(TaskRef.parse(ref.toString())).isEqualTo(ref);
        assertThat(TaskRef.parse(ref.toString()).clientReference()).isNull();
    }

    @Test
    void ignoresParametersItDoesNotKnow() {
        assertThat(TaskRef.parse("novita:abc?future=1&at=2026-11-24T10:00:00Z"))
                .isEqualTo(TaskRef.of("novita", TaskId.of("abc"), AT));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "novita",
                "novita:abc",
                ":abc?at=2026-11-24T10:00:00Z",
                "novita:?at=2026-11-24T10:00:00Z",
                "novita:abc?ref=x",
                "novita:abc?at=yesterday"
            })
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> TaskRef.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task ref");
    }

    @Test
    void sameTaskIgnoresReferenceAndTime() {
        TaskRef a = new TaskRef("novita", TaskId.of("abc"), "x", AT);
        TaskRef b = TaskRef.of("novita", TaskId.of("abc"), AT.plusSeconds(5));

        assertThat(a.sameTask(b)).isTrue();
        assertThat(a.sameTask(TaskRef.of("novita", TaskId.of("abd"), AT))).isFalse();
    }
}
