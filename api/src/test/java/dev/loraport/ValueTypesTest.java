package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ValueTypesTest {

    @ParameterizedTest
    @EnumSource(TrainingStatus.class)
    void onlyReadyFailedAndCanceledAreTerminal(TrainingStatus status) {
        assertThat(status.isTerminal())
                .isEqualTo(EnumSet.of(TrainingStatus.READY, TrainingStatus.FAILED, TrainingStatus.CANCELED)
                        .contains(status));
    }

    @Test
    void trainingRequestBuilderNamesMissingFields() {
        assertThatThrownBy(() -> TrainingRequest.builder().build()).hasMessage("name == null");
        assertThatThrownBy(() -> TrainingRequest.builder().name("n").build()).hasMessage("kind == null");
        // Beyond nulls the builder checks nothing: the provider does, naming the field with its own type.
        TrainingRequest noImages = TrainingRequest.builder()
                .name(" ")
                .kind(TrainingKind.SUBJECT)
                .baseModel("m")
                .clientReference("NOT OK")
                .build();
        assertThatThrownBy(() -> ProviderCapabilities.builder()
                        .trainingKinds(TrainingKind.SUBJECT)
                        .build()
                        .validate("test", noImages))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("name: is blank")
                .hasMessageContaining("clientReference: 'NOT OK' is not allowed")
                .hasMessageContaining("images: 0 given");
    }

    @Test
    void trainingRequestRoundTripsThroughToBuilder() {
        TrainingRequest r = TrainingRequest.builder()
                .name("n")
                .kind(TrainingKind.STYLE)
                .baseModel("m")
                .addImage(TrainingImage.ofFile(Path.of("x/a.JPG")).withCaption("c"))
                .steps(10)
                .providerOption("resize", "512")
                .build();

        assertThat(r.toBuilder().build()).isEqualTo(r).hasSameHashCodeAs(r);
        assertThat(r.images().get(0).format()).isEqualTo("jpeg");
        assertThat(r.toBuilder().steps(11).build()).isNotEqualTo(r);
    }

    @Test
    void imageFormatComesFromTheNameAndToStringHidesUrlQueries() {
        TrainingImage url = TrainingImage.ofUrl(URI.create("https://cdn.example.com/p/face.webp?sig=SECRET"));

        assertThat(url.format()).isEqualTo("webp");
        assertThat(url.toString()).doesNotContain("SECRET").contains("face.webp");
        assertThat(TrainingImage.ofBytes("noext", new byte[0]).format()).isEmpty();
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] raw = {1, 2};
        TrainingImage image = TrainingImage.ofBytes("a.png", raw);
        raw[0] = 9;
        image.bytes().orElseThrow()[1] = 9;

        assertThat(image.bytes()).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2));
    }

    @Test
    void taskRejectsProgressOutsidePercent() {
        assertThatThrownBy(() -> TrainingTask.builder()
                        .id(TaskId.of("t"))
                        .providerId("p")
                        .status(TrainingStatus.TRAINING)
                        .progressPercent(101)
                        .build())
                .hasMessageContaining("progressPercent: 101");
    }

    @Test
    void taskToStringShowsRawStatusAndProgress() {
        TrainingTask t = TrainingTask.builder()
                .id(TaskId.of("t1"))
                .providerId("novita")
                .status(TrainingStatus.TRAINING)
                .rawStatus("TRAINING")
                .progressPercent(40)
                .eta(Duration.ofMinutes(3))
                .build();

        assertThat(t.toString()).contains("novita t1", "TRAINING (TRAINING)", "progress=40%", "PT3M");
        assertThat(t.toBuilder().build()).isEqualTo(t);
    }

    @Test
    void taskIdAndPageRequestRejectBadValues() {
        assertThatThrownBy(() -> TaskId.of(" ")).hasMessage("task id is blank");
        assertThatThrownBy(() -> PageRequest.first(0)).hasMessage("limit: 0 is out of range; allowed 1..100");
        assertThatThrownBy(() -> PageRequest.first(101)).hasMessage("limit: 101 is out of range; allowed 1..100");
        assertThat(PageRequest.after("", 5).cursor()).isNull();
    }

    @Test
    void exceptionMessagesFollowOneFormat() {
        RateLimitedException e = new RateLimitedException(
                "novita", "create", "rate limited", 429, "slow down", Duration.ofSeconds(7), null);

        assertThat(e).hasMessage("novita create: HTTP 429: rate limited: slow down");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.httpStatus()).hasValue(429);
        assertThat(new QuotaExceededException("p", "create", "no credits", 400, null, null).isRetryable())
                .isFalse();
        assertThat(new ProviderUnavailableException("p", "status", "down", null, null, null).isRetryable())
                .isTrue();
        assertThat(new AuthenticationException("p", "list", "bad key", 401, null, null).isRetryable())
                .isFalse();
    }
}
