package dev.loraport.adapter.internal;

import dev.loraport.internal.config.ConfigValues;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The hosts an adapter may send the API key to when a service answer names a URL to call next (a result to
 * fetch, a page to follow): the configured base URL's origin, the hosts of a configured allow-list, and, when the
 * base URL is on one of them, a service's own sibling domains (and their subdomains). Anything else is refused, so
 * an answer, or a man in the middle of a plain-HTTP proxy, cannot make the adapter post the key elsewhere.
 *
 * <p>A URL is followed only when it is absolute {@code https} (or {@code http} when the base URL itself is
 * {@code http}, as against a local simulator), carries no user info, and its host is allowed. Allow-list entries
 * are {@code host}, {@code host:port} or {@code *.domain} (the domain and every subdomain). Immutable,
 * thread-safe.
 */
public final class Origins {

    private static final Pattern ENTRY =
            Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");

    private final URI base;
    private final String baseScheme;
    private final String baseHost;
    private final int basePort;
    private final Set<String> hosts;
    private final Set<String> family;

    private Origins(URI base, Collection<String> hosts, Collection<String> family) {
        this.base = base;
        this.baseScheme = lower(base.getScheme());
        this.baseHost = host(base);
        this.basePort = port(base);
        this.hosts = Collections.unmodifiableSet(new LinkedHashSet<>(hosts));
        Set<String> fam = new LinkedHashSet<>();
        for (String domain : family) {
            fam.add(lower(domain));
        }
        boolean onFamily = fam.stream().anyMatch(d -> within(baseHost, d));
        this.family = onFamily ? Collections.unmodifiableSet(fam) : Set.of();
    }

    /**
     * The origins allowed for a base URL.
     *
     * @param base the configured base URL (absolute http or https)
     * @param hosts extra allowed hosts ({@code host}, {@code host:port}, {@code *.domain}), already checked with
     *     {@link #parseHosts(String, String)}
     * @param family a service's sibling domains, allowed with their subdomains only when the base URL's host is one
     *     of them or under one; empty for none
     * @return the origins
     */
    public static Origins of(URI base, Collection<String> hosts, Collection<String> family) {
        Objects.requireNonNull(base, "base == null");
        if (base.getHost() == null) {
            throw new IllegalArgumentException("base URL has no host: " + base.getScheme() + ":...");
        }
        return new Origins(base, hosts, family);
    }

    /**
     * Reads a comma-separated allow-list setting.
     *
     * @param key the full configuration key, for the message
     * @param value the setting, such as {@code cdn.example.com, *.example.net, 127.0.0.1:8080}
     * @return the entries, lower-cased, blanks dropped
     * @throws IllegalArgumentException naming the key and the entry when an entry is not a host, {@code host:port}
     *     or {@code *.domain} (a scheme, a path or a bare {@code *} included)
     */
    public static List<String> parseHosts(String key, String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String entry = part.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (!ENTRY.matcher(entry).matches() || portOf(entry) > 65535) {
                String shown = entry.length() > 64 ? entry.substring(0, 64) + "..." : entry;
                throw ConfigValues.outOfRange(
                        key, "'" + shown + "'", "a comma-separated list of host, host:port or *.domain entries");
            }
            out.add(entry);
        }
        return List.copyOf(out);
    }

    /**
     * Whether the key may be sent to a URL.
     *
     * @param url the URL a service answer named, resolved against the base URL if it was relative
     * @return true when it is on an allowed origin
     */
    public boolean allows(URI url) {
        String scheme = lower(url.getScheme());
        if (!(scheme.equals("https") || (scheme.equals("http") && baseScheme.equals("http")))) {
            return false;
        }
        if (url.getRawUserInfo() != null || url.getHost() == null) {
            return false;
        }
        String host = host(url);
        int port = port(url);
        if (host.equals(baseHost) && port == basePort) {
            return true;
        }
        for (String entry : hosts) {
            if (matches(entry, host, port, url)) {
                return true;
            }
        }
        for (String domain : family) {
            if (within(host, domain) && url.getPort() == -1) {
                return true;
            }
        }
        return false;
    }

    /**
     * Resolves a URL a service answer named against the base URL.
     *
     * @param url absolute, or relative to the base URL
     * @return the absolute URL
     * @throws IllegalArgumentException when it is not a URL
     */
    public URI resolve(String url) {
        URI parsed = URI.create(url.trim());
        if (parsed.isAbsolute()) {
            return parsed;
        }
        String b = base.toString();
        return URI.create(b.endsWith("/") ? b : b + "/").resolve(parsed);
    }

    /**
     * What is allowed, for messages: the base origin, the allow-list and the sibling domains.
     *
     * @return a short description, without any path or query
     */
    public String describe() {
        List<String> all = new ArrayList<>();
        all.add(baseHost + (base.getPort() == -1 ? "" : ":" + base.getPort()));
        all.addAll(hosts);
        family.forEach(d -> all.add("*." + d));
        return all.toString();
    }

    /**
     * The host (and port, if any) of a URL, for messages: never its path, query or user info.
     *
     * @param url the URL
     * @return {@code host} or {@code host:port}, or the scheme when there is no host
     */
    public static String hostOf(URI url) {
        if (url.getHost() == null) {
            return lower(url.getScheme()) + ":...";
        }
        return lower(url.getScheme()) + "://" + host(url) + (url.getPort() == -1 ? "" : ":" + url.getPort());
    }

    private static boolean matches(String entry, String host, int port, URI url) {
        int colon = entry.lastIndexOf(':');
        String name = colon < 0 ? entry : entry.substring(0, colon);
        if (colon >= 0 && port != portOf(entry)) {
            return false;
        }
        if (colon < 0 && url.getPort() != -1) {
            return false;
        }
        return name.startsWith("*.") ? within(host, name.substring(2)) : host.equals(name);
    }

    private static int portOf(String entry) {
        int colon = entry.lastIndexOf(':');
        return colon < 0 ? -1 : Integer.parseInt(entry.substring(colon + 1));
    }

    private static boolean within(String host, String domain) {
        return host.equals(domain) || host.endsWith("." + domain);
    }

    private static String host(URI url) {
        String h = lower(url.getHost());
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static int port(URI url) {
        if (url.getPort() != -1) {
            return url.getPort();
        }
        return lower(url.getScheme()).equals("http") ? 80 : 443;
    }

    private static String lower(@Nullable String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "Origins" + describe();
    }
}
