package io.kinora.provenance.internal.watermark;

import io.kinora.api.media.StageException;
import io.kinora.natives.NativeLibraries;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * Decodes what the watermark detectors need from a clip with the embedded FFmpeg, in two independent passes that
 * can run at the same time: luma of at most {@code maxFrames} frames spread evenly over the clip (each handed to a
 * {@link LumaDetector}, with an early stop once the payload is read), and the sound as 48 kHz mono floats (FFmpeg
 * resamples and downmixes; the MP4 edit list, i.e. the AAC priming, is applied by the demuxer, and the audio
 * detector searches an offset window on top).
 */
public final class ClipDecoder {
    static final String CACHEDIR_PROPERTY = NativeLibraries.CACHEDIR_PROPERTY;
    public static final int AUDIO_RATE = 48_000;
    private static final Logger LOG = LoggerFactory.getLogger(ClipDecoder.class);
    /** The embedded FFmpeg's decoders, loaded once per installed revision of this bundle (see {@link NativeLibraries}). */
    private static final NativeLibraries NATIVES = new NativeLibraries("FFmpeg", "io.kinora.provenance", ClipDecoder.class, () -> {
        FFmpegFrameGrabber.tryLoad();
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        return "decoders for watermark detection";
    });

    /** What was read: picture size, frames handed to the detector, the clip's frame count, mono 48 kHz audio or null. */
    record Decoded(int width, int height, int framesRead, int framesInClip, float[] audio) {
    }

    private ClipDecoder() {
    }

    /** Chooses the javacpp cache directory under the kinora work folder unless the system property is already set. */
    public static void configureCacheDir(String kinoraWork) {
        NativeLibraries.configureCacheDir(kinoraWork);
    }

    static void ensureLoaded() {
        NATIVES.ensureLoaded();
    }

    /** What the picture pass read: picture size, frames handed to the detector, the clip's frame count. */
    record Video(int width, int height, int framesRead, int framesInClip, boolean stoppedEarly) {
    }

    /**
     * Decodes up to {@code maxFrames} luma frames spread evenly over the clip into {@code luma} (FFmpeg converts
     * only the frames taken to GRAY8; the others are decoded, as H.264 needs them, but not converted). The luma is
     * whitened and folded on a worker thread while FFmpeg decodes the next frames. After every {@code checkEvery}
     * frames taken, {@code enough} is asked (all frames so far folded) whether to stop: a payload already decoded
     * with its CRC spares decoding the rest of the clip.
     *
     * @return null when the file has no video stream
     * @throws StageException when FFmpeg cannot open or decode the file
     */
    static Video readVideo(Path file, LumaDetector luma, int maxFrames, int checkEvery, BooleanSupplier enough) {
        ensureLoaded();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClipDecoder.class.getClassLoader());
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kinora-watermark-fold");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> tasks = new ArrayList<>();
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
            g.start();
            if (!g.hasVideo() || g.getImageWidth() <= 0) {
                g.stop();
                return null;
            }
            int total = Math.max(1, g.getLengthInVideoFrames());
            int index = 0;
            int read = 0;
            int w = 0;
            int h = 0;
            boolean early = false;
            while (read < maxFrames) {
                long slot = (long) index * maxFrames / total;
                boolean take = index == 0 || slot != (long) (index - 1) * maxFrames / total;
                Frame f = g.grabFrame(false, true, take, false);
                if (f == null) break;
                if (f.image == null) continue;
                index++;
                if (!take) continue;
                w = f.imageWidth;
                h = f.imageHeight;
                byte[] y = new byte[w * h];
                ByteBuffer b = (ByteBuffer) f.image[0];
                int stride = f.imageStride;
                for (int r = 0; r < h; r++) {
                    b.position(r * stride);
                    b.get(y, r * w, w);
                }
                int fw = w;
                int fh = h;
                if (tasks.size() >= 4) tasks.get(tasks.size() - 4).get(); // at most 4 frames waiting
                tasks.add(worker.submit(() -> luma.add(y, fw, fh))); // one worker: frames are folded in order
                read++;
                if (enough != null && checkEvery > 0 && read % checkEvery == 0 && read < maxFrames) {
                    for (Future<?> t : tasks) t.get();
                    if (enough.getAsBoolean()) {
                        early = true;
                        break;
                    }
                }
            }
            g.stop();
            worker.shutdown();
            for (Future<?> t : tasks) t.get();
            return new Video(w, h, read, total, early);
        } catch (FrameGrabber.Exception e) {
            throw new StageException("cannot decode " + file.getFileName() + " for watermark detection: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageException("watermark detection in " + file.getFileName() + " was interrupted");
        } catch (ExecutionException e) {
            throw new StageException("cannot read the frames of " + file.getFileName() + ": " + e.getCause().getMessage());
        } finally {
            worker.shutdownNow();
            thread.setContextClassLoader(previous);
        }
    }

    /** Receives the frames a {@link #readFrames} pass picks; the picture is 8-bit luma, row-major, no padding. */
    public interface FrameSink {
        /** Called once before the first frame: picture size, frame rate and the clip's frame count (an estimate). */
        void start(int width, int height, double fps, int framesInClip);

        /** Whether frame {@code index} is wanted (converted to luma and handed to {@link #accept}). */
        boolean wants(int index);

        /** One wanted frame; return false to stop decoding. */
        boolean accept(int index, byte[] luma, int width, int height);
    }

    /**
     * Decodes the video from the start, converting to GRAY8 only the frames {@code sink} wants, until the clip ends
     * or {@code sink} says stop (frames it does not want are decoded, as H.264 needs them, but not converted).
     *
     * @return false when the file has no video stream
     * @throws StageException when FFmpeg cannot open or decode the file
     */
    public static boolean readFrames(Path file, FrameSink sink) {
        ensureLoaded();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClipDecoder.class.getClassLoader());
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setPixelFormat(avutil.AV_PIX_FMT_GRAY8);
            g.start();
            if (!g.hasVideo() || g.getImageWidth() <= 0) {
                g.stop();
                return false;
            }
            double fps = g.getFrameRate();
            sink.start(g.getImageWidth(), g.getImageHeight(), fps > 0 && Double.isFinite(fps) ? fps : 25, Math.max(1, g.getLengthInVideoFrames()));
            int index = 0;
            while (true) {
                boolean take = sink.wants(index);
                Frame f = g.grabFrame(false, true, take, false);
                if (f == null) break;
                if (f.image == null) continue;
                int i = index++;
                if (!take) continue;
                int w = f.imageWidth;
                int h = f.imageHeight;
                byte[] y = new byte[w * h];
                ByteBuffer b = (ByteBuffer) f.image[0];
                int stride = f.imageStride;
                for (int r = 0; r < h; r++) {
                    b.position(r * stride);
                    b.get(y, r * w, w);
                }
                if (!sink.accept(i, y, w, h)) break;
            }
            g.stop();
            return true;
        } catch (FrameGrabber.Exception e) {
            throw new StageException("cannot decode " + file.getFileName() + ": " + e.getMessage());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Decodes up to {@code maxSeconds} of the sound as 48 kHz mono floats (FFmpeg resamples and downmixes; the MP4
     * edit list, i.e. the AAC priming, is applied by the demuxer). Video packets are skipped, not decoded.
     *
     * @return null when the file has no audio stream
     * @throws StageException when FFmpeg cannot open or decode the file
     */
    public static float[] readAudio(Path file, double maxSeconds) {
        ensureLoaded();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ClipDecoder.class.getClassLoader());
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.setSampleFormat(avutil.AV_SAMPLE_FMT_FLT);
            g.setSampleRate(AUDIO_RATE);
            g.setAudioChannels(1);
            g.start();
            if (!g.hasAudio()) {
                g.stop();
                return null;
            }
            int maxSamples = (int) Math.min(Integer.MAX_VALUE - 8, Math.round(maxSeconds * AUDIO_RATE));
            float[] pcm = new float[Math.min(maxSamples, AUDIO_RATE * 4)];
            int samples = 0;
            while (samples < maxSamples) {
                Frame f = g.grabFrame(true, false, true, false);
                if (f == null) break;
                if (f.samples == null) continue;
                FloatBuffer fb = (FloatBuffer) f.samples[0];
                int n = Math.min(fb.remaining(), maxSamples - samples);
                if (samples + n > pcm.length) pcm = Arrays.copyOf(pcm, Math.min(maxSamples, Math.max(samples + n, pcm.length * 2)));
                fb.get(pcm, samples, n);
                samples += n;
            }
            g.stop();
            return Arrays.copyOf(pcm, samples);
        } catch (FrameGrabber.Exception e) {
            throw new StageException("cannot decode " + file.getFileName() + ": " + e.getMessage());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
