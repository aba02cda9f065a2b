package dev.loraport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the shape of the API module: a small root package, and packages that depend on each other one way only,
 * read from the sources every module of the reactor compiles.
 */
class PackageShapeTest {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?(dev\\.loraport[\\w.]*?)\\.[A-Z]", Pattern.MULTILINE);

    @Test
    void theRootPackageHasAtMostThirtyPublicTypes() throws IOException {
        List<String> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(mainSources().resolve("dev/loraport"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (name.endsWith(".java") && !name.equals("package-info.java")) {
                    String src = Files.readString(p);
                    String simple = name.substring(0, name.length() - ".java".length());
                    if (Pattern.compile(
                                    "^public [\\w ]*(class|interface|record|enum) " + simple + "\\b", Pattern.MULTILINE)
                            .matcher(src)
                            .find()) {
                        types.add(simple);
                    }
                }
            }
        }
        assertThat(types).hasSizeLessThanOrEqualTo(30);
    }

    @Test
    void noImportCircleBetweenPackages() throws IOException {
        Map<String, Set<String>> edges = new TreeMap<>();
        Path repo = mainSources().getParent().getParent().getParent().getParent();
        try (Stream<Path> files = Files.walk(repo)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String s = p.toString().replace('\\', '/');
                if (!s.endsWith(".java") || !s.contains("/src/main/java/") || s.contains("/target/")) {
                    continue;
                }
                String src = Files.readString(p);
                Matcher pm = PACKAGE.matcher(src);
                if (!pm.find()) {
                    continue;
                }
                String from = pm.group(1);
                Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher im = IMPORT.matcher(src);
                while (im.find()) {
                    if (!im.group(1).equals(from)) {
                        to.add(im.group(1));
                    }
                }
            }
        }
        assertThat(edges).containsKeys("dev.loraport", "dev.loraport.watch", "dev.loraport.spi");
        assertThat(cycles(edges)).isEmpty();
    }

    /** Every package that can reach itself, with one path that shows it. */
    private static List<String> cycles(Map<String, Set<String>> edges) {
        List<String> found = new ArrayList<>();
        for (String start : edges.keySet()) {
            Deque<List<String>> todo = new ArrayDeque<>();
            todo.push(List.of(start));
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                List<String> path = todo.pop();
                for (String next : edges.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    if (next.equals(start)) {
                        List<String> loop = new ArrayList<>(path);
                        loop.add(start);
                        found.add(String.join(" -> ", loop));
                    } else if (seen.add(next)) {
                        List<String> longer = new ArrayList<>(path);
                        longer.add(next);
                        todo.push(longer);
                    }
                }
            }
        }
        return found;
    }

    private static Path mainSources() {
        // Surefire runs in the module folder.
        return Path.of("src/main/java").toAbsolutePath();
    }
}
