package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.StageException;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decodes what the watermark detectors need from a clip with the embedded FFmpeg: luma of at most
 * {@code maxFrames} frames spread evenly over the clip (each handed to a {@link LumaDetector}) and the sound as
 * 48 kHz mono floats (FFmpeg resamples and downmixes; the MP4 edit list, i.e. the AAC priming, is applied by the
 * demuxer, and the audio detector searches an offset window on top).
 */
public final class ClipDecoder {
    static final String CACHEDIR_PROPERTY = "org.bytedeco.javacpp.cachedir";
    static final int AUDIO_RATE = 48_000;
    private static final Logger LOG = LoggerFactory.getLogger(ClipDecoder.class);
    private static boolean loaded;
    private static String failure;

    /** What was read: picture size, frames handed to the detector, the clip's frame count, mono 48 kHz audio or null. */
    record Decoded(int width, int height, int framesRead, int framesInClip, float[] audio) {
    }

    private ClipDecoder() {
    }

    /** Chooses the javacpp cache directory under the kinora work folder unless the system property is already set. */
    public static synchronized void configureCacheDir(String kinoraWork) {
        if (System.getProperty(CACHEDIR_PROPERTY) != null || kinoraWork == null || kinoraWork.isBlank()) return;
        System.setProperty(CACHEDIR_PROPERTY, Path.of(kinoraWork, "javacpp").toAbsolutePath().toString());
    }

    static synchronized void ensureLoaded() {
        if (loaded) return;
        if (failure != null) throw new StageException(failure);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClipDecoder.class.getClassLoader());
        long t0 = System.nanoTime();
        try {
            FFmpegFrameGrabber.tryLoad();
            avutil.av_log_set_level(avutil.AV_LOG_ERROR);
            loaded = true;
            LOG.info("FFmpeg decoder loaded for watermark detection in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception | LinkageError e) {
            failure = "the FFmpeg libraries embedded in io.kinora.provenance cannot be loaded on this machine ("
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "; linux-x86_64 is supported): " + e;
            LOG.error("FFmpeg native loading failed", e);
            throw new StageException(failure);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Reads {@code file}. Luma frames go to {@code luma} (null: pictures are skipped); up to {@code maxAudioSeconds}
     * of sound is returned (0: none).
     *
     * @throws StageException when FFmpeg cannot open or decode the file
     */
    static Decoded read(Path file, LumaDetector luma, int maxFrames, double maxAudioSeconds) {
        ensureLoaded();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClipDecoder.class.getClassLoader());
        // the luma is whitened and folded on a second thread while FFmpeg decodes the next frames
        java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kinora-watermark-fold");
            t.setDaemon(true);
            return t;
        });
        java.util.List<java.util.concurrent.Future<?>> tasks = new java.util.ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
            g.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            g.setSampleRate(AUDIO_RATE);
            g.setAudioChannels(1);
            g.start();
            boolean video = luma != null && g.hasVideo() && g.getImageWidth() > 0;
            boolean audio = maxAudioSeconds > 0 && g.hasAudio();
            int total = video ? Math.max(1, g.getLengthInVideoFrames()) : 0;
            int maxSamples = (int) Math.min(Integer.MAX_VALUE - 8, Math.round(maxAudioSeconds * AUDIO_RATE));
            float[] pcm = new float[audio ? Math.min(maxSamples, AUDIO_RATE * 4) : 0];
            int samples = 0;
            int index = 0;
            int read = 0;
            int w = 0;
            int h = 0;
            byte[] y = null;
            while (true) {
                boolean wantVideo = video && read < maxFrames;
                boolean wantAudio = audio && samples < maxSamples;
                if (!wantVideo && !wantAudio) break;
                Frame f = g.grabFrame(wantAudio, wantVideo, true, false);
                if (f == null) break;
                if (f.image != null && wantVideo) {
                    long slot = (long) index * maxFrames / total;
                    boolean take = index == 0 || slot != (long) (index - 1) * maxFrames / total;
                    index++;
                    if (!take) continue;
                    w = f.imageWidth;
                    h = f.imageHeight;
                    y = new byte[w * h];
                    ByteBuffer b = (ByteBuffer) f.image[0];
                    int stride = f.imageStride;
                    for (int r = 0; r < h; r++) {
                        b.position(r * stride);
                        b.get(y, r * w, w);
                    }
                    byte[] frameLuma = y;
                    int fw = w;
                    int fh = h;
                    if (tasks.size() >= 4) tasks.get(tasks.size() - 4).get(); // at most 4 frames waiting
                    tasks.add(worker.submit(() -> luma.add(frameLuma, fw, fh))); // one worker: frames are folded in order
                    read++;
                } else if (f.samples != null && wantAudio) {
                    FloatBuffer fb = (FloatBuffer) f.samples[0];
                    int n = Math.min(fb.remaining(), maxSamples - samples);
                    if (samples + n > pcm.length) pcm = Arrays.copyOf(pcm, Math.min(maxSamples, Math.max(samples + n, pcm.length * 2)));
                    fb.get(pcm, samples, n);
                    samples += n;
                }
            }
            g.stop();
            worker.shutdown();
            for (java.util.concurrent.Future<?> t : tasks) t.get();
            return new Decoded(w, h, read, total, audio ? Arrays.copyOf(pcm, samples) : null);
        } catch (org.bytedeco.javacv.FrameGrabber.Exception e) {
            throw new StageException("cannot decode " + file.getFileName() + " for watermark detection: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageException("watermark detection in " + file.getFileName() + " was interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new StageException("cannot read the frames of " + file.getFileName() + ": " + e.getCause().getMessage());
        } finally {
            worker.shutdownNow();
            thread.setContextClassLoader(previous);
        }
    }
}
