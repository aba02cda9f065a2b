package dev.loraport.watch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** One re-entrant lock per provider account, inside one JVM. Thread-safe. */
final class AccountLocks {

    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    <T> T locked(String providerId, String account, Supplier<T> action) {
        // The id is URL-safe text and the fingerprint hex, so the newline cannot occur in either.
        ReentrantLock lock = locks.computeIfAbsent(providerId + "\n" + account, k -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
