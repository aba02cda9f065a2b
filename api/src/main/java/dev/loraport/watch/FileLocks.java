package dev.loraport.watch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Locks that exclude other processes on one machine as well as other threads: a byte range of one lock file per
 * region, taken with {@link FileChannel#lock(long, long, boolean)}. The JVM holds a file lock for all its threads
 * (and throws when one thread asks for a range another already holds), so a re-entrant lock per range orders the
 * threads first. Thread-safe.
 */
final class FileLocks {

    private static final ConcurrentHashMap<String, ReentrantLock> THREADS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Path, FileChannel> CHANNELS = new ConcurrentHashMap<>();

    private FileLocks() {}

    static <T> T locked(Path lockFile, long region, Supplier<T> action) {
        ReentrantLock threads = THREADS.computeIfAbsent(lockFile + "#" + region, k -> new ReentrantLock());
        threads.lock();
        try {
            if (threads.getHoldCount() > 1) {
                return action.get();
            }
            FileLock lock;
            try {
                lock = channel(lockFile).lock(region, 1, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + lockFile, e);
            }
            try {
                return action.get();
            } finally {
                try {
                    lock.release();
                } catch (IOException e) {
                    // The lock goes with the channel at the latest; the action's outcome matters more.
                    TaskWatcher.log().warn("loraport: cannot release the lock on {}: {}", lockFile, e.toString());
                }
            }
        } finally {
            threads.unlock();
        }
    }

    private static FileChannel channel(Path lockFile) throws IOException {
        FileChannel ch = CHANNELS.get(lockFile);
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        synchronized (CHANNELS) {
            ch = CHANNELS.get(lockFile);
            if (ch == null || !ch.isOpen()) {
                Path dir = lockFile.getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                // Kept open for the JVM's life: closing a channel drops every lock this JVM holds on the file.
                ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                CHANNELS.put(lockFile, ch);
            }
            return ch;
        }
    }
}
