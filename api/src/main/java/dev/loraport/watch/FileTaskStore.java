package dev.loraport.watch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TaskStore#file(Path)}: one ref per line, reread and rewritten atomically under a lock on every change, so
 * that several processes on one machine can share it.
 */
final class FileTaskStore implements TaskStore {

    private static final Logger log = LoggerFactory.getLogger(FileTaskStore.class);

    static final String HEADER = "# loraport task store v1";
    static final String TRAILER = "# end ";

    private final Path file;
    private final FileJournal journal;

    FileTaskStore(Path file) {
        this.file = Objects.requireNonNull(file, "file == null").toAbsolutePath();
        this.journal = new FileJournal(this.file);
    }

    @Override
    public synchronized void save(TaskRef ref) {
        Objects.requireNonNull(ref, "ref == null");
        journal.lockedRefs(() -> {
            Map<String, TaskRef> current = fresh();
            TaskRef previous = current.put(InMemoryTaskStore.key(ref), ref);
            if (!ref.equals(previous)) {
                write(current);
            }
            return null;
        });
    }

    @Override
    public synchronized void remove(TaskRef ref) {
        journal.lockedRefs(() -> {
            Map<String, TaskRef> current = fresh();
            if (current.remove(InMemoryTaskStore.key(ref)) != null) {
                write(current);
            }
            return null;
        });
    }

    @Override
    public synchronized List<TaskRef> load() {
        // Reading must not create the folder and its lock file where nothing was ever saved.
        if (!Files.exists(file)) {
            return List.of();
        }
        return journal.lockedRefs(() -> List.copyOf(read().values()));
    }

    /**
     * The refs as the file holds them now, read under the refs' lock: another process may have changed them
     * since this one last looked, and a change written from an older copy would drop its refs.
     */
    private Map<String, TaskRef> fresh() {
        try {
            return read();
        } catch (CorruptStoreException e) {
            // Refusing every save would record each new task nowhere; keep the bad file for a person instead.
            setAside(e);
            return new LinkedHashMap<>();
        }
    }

    private void setAside(CorruptStoreException e) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        try {
            Files.move(file, aside);
            log.error(
                    "loraport: {}; moved it to {} and recording new tasks in a fresh store. Tasks recorded only in "
                            + "the old file are not resumed: repair it and load it with TaskStore.file(path).load()",
                    e.problem,
                    aside);
        } catch (IOException io) {
            log.error("loraport: {}; it cannot be moved aside ({}), so the next save replaces it", e.problem, io);
        }
    }

    /** The file is not a store this version wrote; reading it again will not help. */
    private static final class CorruptStoreException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        /** What is wrong, naming the file, for the log line that reports moving it aside. */
        final String problem;

        CorruptStoreException(String problem, @Nullable Throwable cause) {
            super(new IOException(problem + "; the file was left untouched", cause));
            this.problem = problem;
        }
    }

    private Map<String, TaskRef> read() {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        } catch (CharacterCodingException e) {
            throw corrupt("is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("task store " + file + " cannot be read", e);
        }
        if (text.startsWith("\uFEFF")) {
            // A byte-order mark, as some editors write, is not corruption.
            text = text.substring(1);
        }
        if (text.isEmpty()) {
            // A 0-byte file: created, never written (a crash before the first save, or `touch`).
            return new LinkedHashMap<>();
        }
        // CRLF line ends, as a Windows editor leaves them, are not corruption either.
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        if (!lines[0].equals(HEADER)) {
            throw corrupt("line 1 is not the header '" + HEADER + "'", null);
        }
        // A complete file ends with the trailer and a newline, so the split leaves an empty last element.
        int last = lines.length - 2;
        if (last < 1 || !lines[lines.length - 1].isEmpty() || !lines[last].startsWith(TRAILER)) {
            throw corrupt("has no trailer line '" + TRAILER + "<count>'; it looks truncated", null);
        }
        Map<String, TaskRef> out = new LinkedHashMap<>();
        for (int i = 1; i < last; i++) {
            try {
                TaskRef ref = TaskRef.parse(lines[i]);
                out.put(InMemoryTaskStore.key(ref), ref);
            } catch (IllegalArgumentException e) {
                throw corrupt("line " + (i + 1) + " is not a task ref: " + e.getMessage(), e);
            }
        }
        String count = lines[last].substring(TRAILER.length());
        if (!count.equals(Integer.toString(last - 1))) {
            throw corrupt("the trailer counts " + count + " refs but the file holds " + (last - 1), null);
        }
        return out;
    }

    private CorruptStoreException corrupt(String what, @Nullable Throwable cause) {
        return new CorruptStoreException("task store " + file + " is corrupt: " + what, cause);
    }

    private void write(Map<String, TaskRef> current) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (TaskRef ref : current.values()) {
            sb.append(ref).append('\n');
        }
        sb.append(TRAILER).append(current.size()).append('\n');
        try {
            AtomicFiles.write(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("task store " + file + " cannot be written", e);
        }
    }

    @Override
    public Optional<CreateIntent> begin(CreateIntent intent) {
        return journal.change(j -> j.begin(intent), true);
    }

    @Override
    public void update(CreateIntent intent) {
        journal.change(
                j -> {
                    j.update(intent);
                    return Boolean.TRUE;
                },
                true);
    }

    @Override
    public boolean abandon(CreateIntent expected) {
        return journal.change(j -> j.abandon(expected), true);
    }

    @Override
    public Optional<CreateIntent> intent(CreateIntent.Key key) {
        return journal.change(j -> j.intent(key), false);
    }

    @Override
    public List<CreateIntent> intents() {
        return journal.change(Journal::intents, false);
    }

    @Override
    public Optional<Set<String>> listedTasks(String providerId, String account) {
        return Optional.of(Set.copyOf(journal.listed(providerId, account)));
    }

    @Override
    public void addListedTasks(String providerId, String account, Collection<String> taskIds) {
        journal.addListed(providerId, account, taskIds);
    }

    @Override
    public <T> T locked(String providerId, String account, Supplier<T> action) {
        return journal.lockedAccount(providerId, account, action);
    }

    @Override
    public String toString() {
        return "TaskStore.file(" + file + ")";
    }
}
