package dev.loraport.adapter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class OriginsTest {

    private static final List<String> MODELSLAB = List.of("modelslab.com", "stablediffusionapi.com");

    @Test
    void theBaseOriginIsFollowedAndNothingElseByDefault() {
        Origins o = Origins.of(URI.create("http://127.0.0.1:8080"), List.of(), MODELSLAB);

        assertThat(o.allows(URI.create("http://127.0.0.1:8080/api/v6/images/fetch/1")))
                .isTrue();
        assertThat(o.allows(URI.create("http://127.0.0.1:8081/api/v6/images/fetch/1")))
                .isFalse();
        assertThat(o.allows(URI.create("http://localhost:8080/x"))).isFalse();
        assertThat(o.allows(URI.create("https://modelslab.com/x")))
                .as("siblings only count when the base URL is on them")
                .isFalse();
        assertThat(o.allows(URI.create("ftp://127.0.0.1:8080/x"))).isFalse();
        assertThat(o.allows(URI.create("http://user@127.0.0.1:8080/x"))).isFalse();
    }

    @Test
    void aServicesSiblingDomainsAndSubdomainsAreFollowedOverHttpsOnly() {
        Origins o = Origins.of(URI.create("https://modelslab.com"), List.of(), MODELSLAB);

        assertThat(o.allows(URI.create("https://stablediffusionapi.com/api/v3/dreambooth/fetch/1")))
                .isTrue();
        assertThat(o.allows(URI.create("https://api.modelslab.com/api/v6/images/fetch/1")))
                .isTrue();
        assertThat(o.allows(URI.create("https://www.stablediffusionapi.com/x"))).isTrue();
        assertThat(o.allows(URI.create("http://modelslab.com/x")))
                .as("no downgrade")
                .isFalse();
        assertThat(o.allows(URI.create("https://modelslab.com.evil.example/x"))).isFalse();
        assertThat(o.allows(URI.create("https://evilmodelslab.com/x"))).isFalse();
        assertThat(o.allows(URI.create("https://modelslab.com:8443/x"))).isFalse();
        assertThat(o.allows(URI.create("https://modelslab.com@evil.example/x"))).isFalse();
    }

    @Test
    void theAllowListAddsHostsPortsAndDomains() {
        List<String> hosts =
                Origins.parseHosts("loraport.x.generate.fetch-hosts", " CDN.example.com, *.example.net,127.0.0.1:9, ");
        Origins o = Origins.of(URI.create("https://api.example.org"), hosts, List.of());

        assertThat(hosts).containsExactly("cdn.example.com", "*.example.net", "127.0.0.1:9");
        assertThat(o.allows(URI.create("https://cdn.example.com/a"))).isTrue();
        assertThat(o.allows(URI.create("https://a.b.example.net/a"))).isTrue();
        assertThat(o.allows(URI.create("https://example.net/a"))).isTrue();
        assertThat(o.allows(URI.create("https://127.0.0.1:9/a"))).isTrue();
        assertThat(o.allows(URI.create("https://127.0.0.1:10/a"))).isFalse();
        assertThat(o.allows(URI.create("https://other.example.com/a"))).isFalse();
        assertThat(o.describe()).contains("api.example.org", "cdn.example.com");
    }

    @Test
    void aBadAllowListEntryNamesTheKey() {
        for (String bad : List.of("https://cdn.example.com", "cdn.example.com/path", "*", "host:99999", "a b")) {
            assertThatThrownBy(() -> Origins.parseHosts("loraport.x.generate.fetch-hosts", bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("loraport.x.generate.fetch-hosts")
                    .hasMessageContaining("host:port");
        }
    }

    @Test
    void relativeUrlsResolveAgainstTheBaseAndHostOfShowsNoPathOrQuery() {
        Origins o = Origins.of(URI.create("http://127.0.0.1:8080"), List.of(), List.of());

        assertThat(o.resolve("api/v6/images/fetch/1")).hasToString("http://127.0.0.1:8080/api/v6/images/fetch/1");
        assertThat(Origins.hostOf(URI.create("https://evil.example:444/steal?key=abc")))
                .isEqualTo("https://evil.example:444");
    }
}
