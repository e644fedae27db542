package io.kinora.jobs.internal;

import io.kinora.api.media.RgbImage;
import io.kinora.api.video.FrameSink;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands frames to the next step on its own thread, in order, so the steps of the video stage (rendering on the
 * engine's threads, labelling and watermarking, H.264 encoding) overlap. Bounded: a fast producer waits for the
 * consumer instead of filling memory.
 */
final class FramePipe implements AutoCloseable {
    private record Item(int index, RgbImage frame) {
    }

    private static final Item END = new Item(-1, null);

    private final BlockingQueue<Item> queue;
    private final Thread worker;
    private volatile Throwable failure;

    FramePipe(FrameSink next, int capacity, String name) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(() -> {
            try {
                for (Item f = queue.take(); f != END; f = queue.take()) {
                    if (failure == null) {
                        next.accept(f.index(), f.frame());
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

    void put(int index, RgbImage frame) {
        rethrow();
        Item item = new Item(index, frame);
        try {
            while (!queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
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
