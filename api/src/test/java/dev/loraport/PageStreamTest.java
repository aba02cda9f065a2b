package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class PageStreamTest {

    private final List<PageRequest> requests = new ArrayList<>();

    private Function<PageRequest, Page<String>> pages(Map<String, Page<String>> byCursor) {
        return req -> {
            requests.add(req);
            return byCursor.get(req.cursor() == null ? "" : req.cursor());
        };
    }

    @Test
    void streamsEveryItemAcrossPagesInOrder() {
        var fetch = pages(Map.of(
                "", new Page<>(List.of("a", "b"), "c1"),
                "c1", new Page<>(List.of("c", "d"), "c2"),
                "c2", new Page<>(List.of("e"), "")));

        assertThat(Page.streamAll("p", fetch, 2, Page.DEFAULT_MAX_PAGES).collect(Collectors.toList()))
                .containsExactly("a", "b", "c", "d", "e");
        assertThat(requests)
                .containsExactly(PageRequest.first(2), PageRequest.after("c1", 2), PageRequest.after("c2", 2));
    }

    @Test
    void fetchesLazily() {
        var fetch = pages(Map.of(
                "", new Page<>(List.of("a", "b"), "c1"),
                "c1", new Page<>(List.of("c"), null)));

        assertThat(Page.streamAll("p", fetch, 2, Page.DEFAULT_MAX_PAGES)
                        .limit(2)
                        .collect(Collectors.toList()))
                .containsExactly("a", "b");
        assertThat(requests).hasSize(1);
    }

    @Test
    void skipsEmptyPagesThatStillHaveACursor() {
        var fetch = pages(Map.of(
                "", new Page<>(List.<String>of(), "c1"),
                "c1", new Page<>(List.of("x"), null)));

        assertThat(Page.streamAll("p", fetch, 10, Page.DEFAULT_MAX_PAGES).collect(Collectors.toList()))
                .containsExactly("x");
    }

    @Test
    void aRepeatedCursorFailsLoudlyInsteadOfLooping() {
        var fetch = pages(Map.of(
                "", new Page<>(List.of("a"), "c1"),
                "c1", new Page<>(List.of("b"), "c2"),
                "c2", new Page<>(List.of("c"), "c1")));

        assertThatThrownBy(() -> Page.streamAll("novita", fetch, 1, Page.DEFAULT_MAX_PAGES)
                        .count())
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("novita list")
                .hasMessageContaining("cursor 'c1' twice");
        assertThat(requests).hasSize(3);
    }

    @Test
    @Tag("issue-14")
    void aServiceHandingOutNewCursorsForeverIsStoppedAtTheCap() {
        int[] calls = {0};
        Function<PageRequest, Page<String>> endless = r -> {
            calls[0]++;
            return new Page<>(List.of("x" + calls[0]), "cursor-" + calls[0]);
        };

        assertThatThrownBy(() -> Page.streamAll("novita", endless, 1, 50).count())
                .isInstanceOf(MalformedResponseException.class)
                .hasMessageContaining("past 50 pages");
        assertThat(calls[0]).isEqualTo(50);
    }
}
