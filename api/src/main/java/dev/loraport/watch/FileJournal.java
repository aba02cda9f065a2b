package dev.loraport.watch;

import dev.loraport.TaskId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The file store's create journal: {@code <file>.journal}, one intent per line, rewritten atomically. Every
 * operation takes a lock on {@code <file>.lock} and reads the file afresh, so several processes on one machine
 * can share it. Unlike a corrupt ref file, a corrupt journal is never set aside: a create sent without its record
 * could bill twice, so creates fail until a person repairs the file. Thread-safe.
 */
final class FileJournal {

    static final String HEADER = "# loraport create journal v1";
    static final String TRAILER = "# end ";
    /** The lock file's byte that guards the journal; account locks use others. */
    private static final long JOURNAL_REGION = 0;
    /** The lock file's byte that guards the refs file; account regions run from 1 to 2^31. */
    private static final long REFS_REGION = 1L << 40;

    private final Path file;
    private final Path lockFile;
    private final Path listedFile;

    FileJournal(Path storeFile) {
        this.file = storeFile.resolveSibling(storeFile.getFileName() + ".journal");
        this.lockFile = storeFile.resolveSibling(storeFile.getFileName() + ".lock");
        this.listedFile = storeFile.resolveSibling(storeFile.getFileName() + ".listed");
    }

    /**
     * The ids of {@code <file>.listed} for one account: append-only lines {@code provider account id}. A line
     * torn by a crash mid-append is skipped: at worst it names no real job.
     */
    Set<String> listed(String providerId, String account) {
        return FileLocks.locked(lockFile, JOURNAL_REGION, () -> {
            Set<String> out = new HashSet<>();
            Optional<String> text;
            try {
                text = AtomicFiles.read(listedFile);
            } catch (IOException e) {
                throw new UncheckedIOException("listed-task file " + listedFile + " cannot be read", e);
            }
            String prefix = enc(providerId) + " " + enc(account) + " ";
            for (String line : text.orElse("").split("\n")) {
                if (line.startsWith(prefix)
                        && line.length() > prefix.length()
                        && line.indexOf(' ', prefix.length()) < 0) {
                    out.add(dec(line.substring(prefix.length())));
                }
            }
            return out;
        });
    }

    void addListed(String providerId, String account, Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        FileLocks.locked(lockFile, JOURNAL_REGION, () -> {
            StringBuilder sb = new StringBuilder();
            String prefix = enc(providerId) + " " + enc(account) + " ";
            for (String id : ids) {
                sb.append(prefix).append(enc(id)).append('\n');
            }
            try {
                Files.createDirectories(listedFile.toAbsolutePath().getParent());
                try (FileChannel ch = FileChannel.open(
                        listedFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    // A line torn by an earlier crash must not swallow the first new one.
                    if (ch.size() > 0 && lastByte(listedFile) != '\n') {
                        sb.insert(0, '\n');
                    }
                    ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("listed-task file " + listedFile + " cannot be written", e);
            }
            return null;
        });
    }

    private static int lastByte(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, ch.size() - 1);
            return one.get(0);
        }
    }

    <T> T change(Function<Journal, T> op, boolean write) {
        return FileLocks.locked(lockFile, JOURNAL_REGION, () -> {
            Journal journal = new Journal();
            List<CreateIntent> before = read();
            journal.replaceAll(before);
            T result = op.apply(journal);
            List<CreateIntent> after = journal.intents();
            if (write && !after.equals(before)) {
                write(after);
            }
            return result;
        });
    }

    /** Runs an action holding the lock file's region for the refs file: above every account region. */
    <T> T lockedRefs(Supplier<T> action) {
        return FileLocks.locked(lockFile, REFS_REGION, action);
    }

    <T> T lockedAccount(String providerId, String account, Supplier<T> action) {
        // Region 0 is the journal's; the others spread accounts over the positive longs.
        long region = 1 + ((providerId + "\n" + account).hashCode() & 0x7fffffffL);
        return FileLocks.locked(lockFile, region, action);
    }

    private List<CreateIntent> read() {
        Optional<String> text;
        try {
            text = AtomicFiles.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("create journal " + file + " cannot be read", e);
        }
        List<CreateIntent> out = new ArrayList<>();
        if (text.isEmpty() || text.get().isEmpty()) {
            return out;
        }
        String[] lines = text.get().split("\n", -1);
        if (!lines[0].equals(HEADER)) {
            throw corrupt("line 1 is not the header '" + HEADER + "'");
        }
        int last = lines.length - 2;
        if (last < 1 || !lines[lines.length - 1].isEmpty() || !lines[last].startsWith(TRAILER)) {
            throw corrupt("has no trailer line '" + TRAILER + "<count>'; it looks truncated");
        }
        for (int i = 1; i < last; i++) {
            try {
                out.add(parse(lines[i]));
            } catch (RuntimeException e) {
                throw corrupt("line " + (i + 1) + " is not an intent: " + e.getMessage());
            }
        }
        if (!lines[last].substring(TRAILER.length()).equals(Integer.toString(out.size()))) {
            throw corrupt("the trailer's count does not match its " + out.size() + " lines");
        }
        return out;
    }

    private UncheckedIOException corrupt(String what) {
        return new UncheckedIOException(new IOException("create journal " + file + " is corrupt: " + what
                + "; no create is sent until it is repaired (or moved away, after checking its SENDING lines)"));
    }

    private void write(List<CreateIntent> intents) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (CreateIntent i : intents) {
            sb.append(format(i)).append('\n');
        }
        sb.append(TRAILER).append(intents.size()).append('\n');
        try {
            AtomicFiles.write(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("create journal " + file + " cannot be written", e);
        }
    }

    static String format(CreateIntent i) {
        return String.join(
                " ",
                enc(i.providerId()),
                enc(i.account()),
                enc(i.clientReference()),
                enc(i.requestDigest()),
                i.state().name(),
                i.taskId() == null ? "-" : enc(i.taskId().value()),
                i.createdAt().toString(),
                i.updatedAt().toString(),
                i.reason() == null ? "-" : enc(i.reason()),
                i.correlation() == null ? "-" : enc(i.correlation()));
    }

    static CreateIntent parse(String line) {
        String[] f = line.split(" ", -1);
        // A journal written before 0.2 has no tenth field, the correlation value.
        if (f.length != 9 && f.length != 10) {
            throw new IllegalArgumentException("9 or 10 fields expected, " + f.length + " found");
        }
        return new CreateIntent(
                dec(f[0]),
                dec(f[1]),
                dec(f[2]),
                dec(f[3]),
                CreateIntent.State.valueOf(f[4]),
                f[5].equals("-") ? null : TaskId.of(dec(f[5])),
                f[8].equals("-") ? null : dec(f[8]),
                Instant.parse(f[6]),
                Instant.parse(f[7]),
                f.length < 10 || f[9].equals("-") ? null : dec(f[9]));
    }

    private static String enc(String s) {
        // "-" alone marks an absent field, so a value that is exactly "-" is escaped.
        return s.equals("-") ? "%2D" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
