package dev.loraport.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The figures of {@link BadInputContract}: per case a line in {@code bad-input-<id>.tsv} beside the report, and
 * the report itself, per provider and overall. The report also reads the {@code .tsv} of sibling modules
 * ({@code ../*}{@code /target/}) so that after a reactor build each module's report covers both providers.
 */
final class BadInputReport {

    private BadInputReport() {}

    /** How one case went. */
    record Outcome(
            String provider,
            String group,
            String name,
            boolean rejectedBeforeCall,
            boolean ownType,
            boolean namesField,
            boolean namesAllowed,
            String detail) {

        static Outcome of(String provider, BadInputCase c, String field, @Nullable Throwable thrown, int sent) {
            String message = thrown == null ? "" : String.valueOf(thrown.getMessage());
            boolean rejected = thrown != null && sent == 0;
            boolean type = thrown != null && c.expected().isInstance(thrown);
            boolean names = thrown != null && message.contains(field);
            boolean allowed = c.allowed().isEmpty()
                    || c.allowed().stream()
                            .anyMatch(w -> message.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT)));
            List<String> wrong = new ArrayList<>();
            if (thrown == null) {
                wrong.add("nothing was thrown");
            } else if (!type) {
                wrong.add("expected " + c.expected().getSimpleName() + " but got "
                        + thrown.getClass().getName());
            }
            if (sent > 0) {
                wrong.add(sent + " request(s) reached the simulator");
            }
            if (thrown != null && !names) {
                wrong.add("the message does not name '" + field + "'");
            }
            if (thrown != null && !allowed) {
                wrong.add("the message names nothing allowed (looked for one of " + c.allowed() + ")");
            }
            String detail = String.join("; ", wrong)
                    + (thrown == null ? "" : " | " + thrown.getClass().getSimpleName() + ": " + message);
            return new Outcome(provider, c.group(), c.name(), rejected, type, names, allowed && thrown != null, detail);
        }

        boolean proper() {
            return rejectedBeforeCall && ownType && namesField && namesAllowed;
        }

        String explain() {
            return "[" + provider + "] " + group + " / " + name + ": " + detail;
        }

        String tsv() {
            return String.join(
                    "\t",
                    provider,
                    clean(group),
                    clean(name),
                    bit(rejectedBeforeCall),
                    bit(ownType),
                    bit(namesField),
                    bit(namesAllowed),
                    clean(detail));
        }

        static @Nullable Outcome parse(String line) {
            String[] f = line.split("\t", -1);
            if (f.length < 8) {
                return null;
            }
            return new Outcome(
                    f[0], f[1], f[2], f[3].equals("1"), f[4].equals("1"), f[5].equals("1"), f[6].equals("1"), f[7]);
        }

        private static String bit(boolean b) {
            return b ? "1" : "0";
        }

        private static String clean(String s) {
            StringBuilder sb = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                sb.append(Character.isISOControl(c) ? ' ' : c);
            }
            return sb.length() > 400 ? sb.substring(0, 400) + "..." : sb.toString();
        }
    }

    /**
     * Writes this run's cases and the summary.
     *
     * @param report the report file
     * @param runs this JVM's outcomes per provider
     * @throws IOException when a file cannot be written
     */
    static void write(Path report, Map<String, List<Outcome>> runs) throws IOException {
        Path dir = report.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Map<String, List<Outcome>> all = new TreeMap<>();
        Map<String, Path> sources = new TreeMap<>();
        for (Map.Entry<String, List<Outcome>> e : runs.entrySet()) {
            List<Outcome> copy;
            synchronized (e.getValue()) {
                copy = new ArrayList<>(e.getValue());
            }
            Path tsv = dir.resolve("bad-input-" + e.getKey() + ".tsv");
            List<String> lines = new ArrayList<>();
            copy.forEach(o -> lines.add(o.tsv()));
            Files.write(tsv, lines, StandardCharsets.UTF_8);
            all.put(e.getKey(), copy);
            sources.put(e.getKey(), tsv);
        }
        Path modules = dir.getParent() == null ? null : dir.getParent().getParent();
        if (modules != null && Files.isDirectory(modules)) {
            try (DirectoryStream<Path> siblings = Files.newDirectoryStream(modules)) {
                for (Path module : siblings) {
                    Path target = module.resolve(dir.getFileName());
                    if (!Files.isDirectory(target)) {
                        continue;
                    }
                    try (DirectoryStream<Path> tsvs = Files.newDirectoryStream(target, "bad-input-*.tsv")) {
                        for (Path tsv : tsvs) {
                            String name = tsv.getFileName().toString();
                            String id = name.substring("bad-input-".length(), name.length() - ".tsv".length());
                            if (all.containsKey(id)) {
                                continue;
                            }
                            List<Outcome> read = new ArrayList<>();
                            for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
                                Outcome o = Outcome.parse(line);
                                if (o != null) {
                                    read.add(o);
                                }
                            }
                            all.put(id, read);
                            sources.put(id, tsv);
                        }
                    }
                }
            }
        }
        Files.writeString(report, summary(all, sources), StandardCharsets.UTF_8);
    }

    static String summary(Map<String, List<Outcome>> all, Map<String, Path> sources) {
        StringBuilder sb = new StringBuilder("Bad-input suite (BadInputContract)\n\n");
        sb.append(String.format(
                Locale.ROOT,
                "%-20s %6s %22s %22s %22s %22s%n",
                "provider",
                "cases",
                "rejected before call",
                "own exception type",
                "names the field",
                "fully proper"));
        List<Outcome> overall = new ArrayList<>();
        all.forEach((id, list) -> {
            overall.addAll(list);
            line(sb, id, list);
        });
        if (all.size() != 1) {
            line(sb, "overall", overall);
        }
        sb.append('\n');
        sources.forEach((id, p) -> {
            sb.append(id).append(": ").append(p);
            try {
                sb.append(" (written ").append(Files.getLastModifiedTime(p)).append(')');
            } catch (IOException e) {
                // The path alone still says where the figures came from.
            }
            sb.append('\n');
        });
        for (Map.Entry<String, List<Outcome>> e : all.entrySet()) {
            List<Outcome> failing =
                    e.getValue().stream().filter(o -> !o.proper()).toList();
            sb.append('\n')
                    .append(e.getKey())
                    .append(": ")
                    .append(failing.size())
                    .append(" not fully proper\n");
            failing.forEach(o -> sb.append("  ")
                    .append(o.group())
                    .append(" / ")
                    .append(o.name())
                    .append(": ")
                    .append(o.detail())
                    .append('\n'));
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String id, List<Outcome> list) {
        int n = list.size();
        sb.append(String.format(
                Locale.ROOT,
                "%-20s %6d %22s %22s %22s %22s%n",
                id,
                n,
                share(list.stream().filter(Outcome::rejectedBeforeCall).count(), n),
                share(list.stream().filter(Outcome::ownType).count(), n),
                share(list.stream().filter(Outcome::namesField).count(), n),
                share(list.stream().filter(Outcome::proper).count(), n)));
    }

    private static String share(long k, int n) {
        return String.format(Locale.ROOT, "%d (%.1f %%)", k, n == 0 ? 0.0 : 100.0 * k / n);
    }
}
