package io.kinora.voice.internal.freetts;

import io.kinora.api.media.StageException;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * At most {@code size} synthesizers, allocated on first need and reused; each is used by one thread at a
 * time, so several lines can be spoken in parallel without sharing FreeTTS state.
 */
final class SynthesizerPool<S extends AutoCloseable> {
    private final Semaphore permits;
    private final Deque<S> idle = new ArrayDeque<>();
    private final Supplier<S> factory;
    private boolean closed;

    SynthesizerPool(int size, Supplier<S> factory) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be positive, was " + size);
        }
        this.permits = new Semaphore(size, true);
        this.factory = factory;
    }

    <R> R with(Function<S, R> work) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageException("speech synthesis was interrupted");
        }
        S synthesizer = null;
        try {
            synchronized (this) {
                if (closed) {
                    throw new StageException("the voice engine is shutting down");
                }
                synthesizer = idle.pollFirst();
            }
            if (synthesizer == null) {
                synthesizer = factory.get();
            }
            R result = work.apply(synthesizer);
            giveBack(synthesizer);
            synthesizer = null;
            return result;
        } finally {
            if (synthesizer != null) {
                closeQuietly(synthesizer); // failed mid-synthesis: its state is unknown, do not reuse it
            }
            permits.release();
        }
    }

    private void giveBack(S synthesizer) {
        boolean keep;
        synchronized (this) {
            keep = !closed;
            if (keep) idle.addFirst(synthesizer);
        }
        if (!keep) closeQuietly(synthesizer);
    }

    /** Number of allocated synthesizers now idle. */
    synchronized int idleCount() {
        return idle.size();
    }

    void close() {
        Deque<S> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        toClose.forEach(SynthesizerPool::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // releasing memory only
        }
    }
}
