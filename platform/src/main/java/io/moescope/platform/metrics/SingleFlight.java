package io.moescope.platform.metrics;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * At most one computation per key at a time: a caller asking for a key while its computation runs waits for that
 * computation's result, or its failure, instead of starting another. An entry lives only while its computation runs
 * (the map holds one per computation in progress, no more), so the first call after one ended computes again.
 *
 * @param <K> what tells two computations with the same result apart from others
 * @param <V> their result
 */
final class SingleFlight<K, V> {

    private final ConcurrentHashMap<K, CompletableFuture<V>> running = new ConcurrentHashMap<>();

    /** The result of {@code computation}, run by this caller unless another runs it for the same key now. */
    V get(K key, Supplier<V> computation) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> theirs = running.putIfAbsent(key, mine);
        if (theirs != null) {
            return awaitResult(theirs);
        }
        try {
            V result = computation.get();
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    /** The result of the computation for {@code key} running now, waited for; empty at once when none runs. */
    Optional<V> ifRunning(K key) {
        CompletableFuture<V> theirs = running.get(key);
        return theirs == null ? Optional.empty() : Optional.of(awaitResult(theirs));
    }

    /** The waiters see the first caller's own exception, as it did, so that each is answered alike (400, 500). */
    private static <V> V awaitResult(CompletableFuture<V> computation) {
        try {
            return computation.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error failure) {
                throw failure;
            }
            throw e;
        }
    }
}
