package dev.loraport.watch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** Whole-file text writes that a crash cannot tear, and strict UTF-8 reads. */
final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Writes to {@code <file>.tmp}, forces it to disk, moves it over the file atomically and syncs the folder, so
     * a crash leaves either the old content or the new.
     */
    static void write(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        Path dir = file.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        try (FileChannel ch = FileChannel.open(
                temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            TaskWatcher.log()
                    .warn("loraport: {} does not support atomic moves; replacing {} non-atomically", dir, file);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        if (dir != null) {
            // Makes the rename durable on POSIX file systems; not possible on every platform, hence best effort.
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException | UnsupportedOperationException e) {
                TaskWatcher.log().debug("loraport: cannot sync directory {}: {}", dir, e.toString());
            }
        }
    }

    /**
     * The file's text without a leading byte-order mark and with CRLF read as LF, or empty when there is no file.
     *
     * @throws CharacterCodingException when it is not UTF-8
     */
    static Optional<String> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String text = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return Optional.of(text.replace("\r\n", "\n"));
    }
}
