package io.kinora.jobs.internal;

import io.kinora.api.compositor.EncodeSession;
import io.kinora.api.media.RgbImage;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands rendered frames to the encoder on its own thread, so rendering (engine threads) and H.264 encoding
 * overlap. Bounded: a fast renderer waits for the encoder instead of filling memory.
 */
final class FramePipe implements AutoCloseable {
    private static final RgbImage END = RgbImage.blank(1, 1);

    private final BlockingQueue<RgbImage> queue;
    private final Thread worker;
    private volatile Throwable failure;
    private volatile int written;

    FramePipe(EncodeSession session, int capacity, String name) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(() -> {
            try {
                for (RgbImage f = queue.take(); f != END; f = queue.take()) {
                    if (failure == null) {
                        session.write(f);
                        written++;
                    }
                }
            } catch (Throwable t) {
                failure = t;
                queue.clear();
            }
        }, name);
        worker.setDaemon(true);
        worker.start();
    }

    void put(RgbImage frame) {
        rethrow();
        try {
            while (!queue.offer(frame, 200, TimeUnit.MILLISECONDS)) {
                rethrow();
                if (!worker.isAlive()) throw new IllegalStateException("encoder thread ended unexpectedly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding", e);
        }
    }

    /** Waits until every queued frame is encoded; rethrows the encoder's failure. */
    void drain() {
        try {
            if (worker.isAlive()) {
                while (!queue.offer(END, 200, TimeUnit.MILLISECONDS)) {
                    if (!worker.isAlive()) break;
                }
            }
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding", e);
        }
        rethrow();
    }

    int written() { return written; }

    private void rethrow() {
        Throwable t = failure;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        if (t != null) throw new IllegalStateException(t);
    }

    @Override
    public void close() {
        if (worker.isAlive()) {
            queue.clear();
            queue.offer(END);
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
