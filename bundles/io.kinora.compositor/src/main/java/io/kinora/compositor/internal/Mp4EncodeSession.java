package io.kinora.compositor.internal;

import io.kinora.api.compositor.CaptionOptions;
import io.kinora.api.compositor.EncodeRequest;
import io.kinora.api.compositor.EncodeResult;
import io.kinora.api.compositor.EncodeSession;
import io.kinora.api.media.AudioBuffer;
import io.kinora.api.media.RgbImage;
import io.kinora.api.media.StageException;
import io.kinora.api.timeline.Timeline;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/**
 * One MP4 being written: H.264 (yuv420p, BT.709, limited range) + AAC-LC 48 kHz stereo, faststart, with the
 * request's metadata (custom keys kept through {@code use_metadata_tags}).
 *
 * <p>Frames are converted RGB24 -> YUV 4:2:0 by swscale into one reused native buffer (the only copy on the Java
 * side is the RGB pixels into native memory). After every frame the audio belonging to that frame's time is
 * written, so the muxer receives both streams interleaved. Everything goes to a hidden temporary file in the
 * output directory; {@link #finish()} checks the result (streams, codecs, frame count) and moves it into place
 * atomically. Not thread-safe: one thread writes a session.
 */
final class Mp4EncodeSession implements EncodeSession {
    static final int AUDIO_RATE = 48_000;
    private static final Logger LOG = LoggerFactory.getLogger(Mp4EncodeSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path output;
    private Path temp;
    private final Map<String, String> metadata;
    private final CaptionOptions captions;
    private final List<Captions.Segment> captionSegments;
    private final boolean captionNames;
    private final CaptionBurner burner;
    private final boolean captionTrack;
    private final int width;
    private final int height;
    private final int fps;
    private final int frameCount;
    private final String encoder;
    private final float[] audio;      // interleaved stereo 48 kHz, exactly the clip's length
    private final float[] audioChunk; // reused per frame
    private final FFmpegFrameRecorder recorder;
    private final BytePointer rgb;
    private final BytePointer yuv;
    private final ByteBuffer yuvBuffer;
    private final SwsContext sws;
    private final PointerPointer<BytePointer> srcPlanes;
    private final IntPointer srcStrides;
    private final PointerPointer<BytePointer> dstPlanes;
    private final IntPointer dstStrides;
    private final long startNanos = System.nanoTime();

    private int written;
    private long audioFramesWritten;
    private boolean finished;
    private boolean closed;
    private boolean released;

    private Mp4EncodeSession(EncodeRequest request, EncoderSettings settings, CaptionOptions captionDefaults, Path output,
                             Path temp) {
        Timeline timeline = request.timeline();
        this.output = output;
        this.temp = temp;
        this.width = request.width();
        this.height = request.height();
        this.fps = timeline.fps();
        this.frameCount = timeline.frameCount();
        this.metadata = request.metadata();
        this.captions = request.captions() == null ? captionDefaults : request.captions();
        List<Captions.Cue> cues = Captions.cues(timeline, captions.speakerNames());
        this.captionSegments = Captions.segments(cues, frameCount / (double) fps);
        this.captionNames = cues.stream().map(Captions.Cue::speaker).distinct().count() > 1;
        this.captionTrack = captions.track() && !cues.isEmpty();
        this.burner = captions.burnIn() && !cues.isEmpty()
                ? new CaptionBurner(captionSegments, captionNames, width, height) : null;
        this.encoder = FfmpegRuntime.h264Encoder(settings.videoEncoder());
        long clipAudioFrames = (long) frameCount * AUDIO_RATE / fps;
        this.audio = conformAudio(request.audio(), (int) clipAudioFrames);
        this.audioChunk = new float[(AUDIO_RATE / fps + 2) * 2];

        FFmpegFrameRecorder r = new FFmpegFrameRecorder(temp.toFile(), width, height, 2);
        r.setFormat("mp4");
        r.setVideoCodecName(encoder);
        r.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setFrameRate(fps);
        r.setGopSize(settings.gop(fps));
        r.setVideoBitrate(settings.videoBitrate(width, height, fps));
        // BT.709 limited range, as converted below; signalled in the bitstream (VUI) and the container (colr)
        r.setVideoOption("colorspace", "bt709");
        r.setVideoOption("color_primaries", "bt709");
        r.setVideoOption("color_trc", "bt709");
        r.setVideoOption("color_range", "tv");
        for (Map.Entry<String, String> e : settings.encoderOptions().entrySet()) r.setVideoOption(e.getKey(), e.getValue());
        r.setAudioCodecName("aac");
        r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
        r.setAudioChannels(2);
        r.setSampleRate(AUDIO_RATE);
        r.setAudioBitrate(settings.audioBitrateKbps() * 1000);
        r.setOption("movflags", "+faststart+use_metadata_tags");
        r.setMetadata(new java.util.HashMap<>(request.metadata()));
        this.recorder = r;
        try {
            r.start();
        } catch (FFmpegFrameRecorder.Exception e) {
            release();
            throw new StageException("cannot start the MP4 encoder (" + encoder + ", " + width + "x" + height + " @ "
                    + fps + " fps) for " + output + ": " + e.getMessage(), e);
        }

        int frameBytes = width * height * 3;
        int ySize = width * height;
        int cSize = (width / 2) * (height / 2);
        this.rgb = new BytePointer(frameBytes);
        this.yuv = new BytePointer(ySize + 2L * cSize);
        this.yuvBuffer = yuv.asByteBuffer();
        this.sws = swscale.sws_getContext(width, height, avutil.AV_PIX_FMT_RGB24, width, height, avutil.AV_PIX_FMT_YUV420P,
                swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            release();
            throw new StageException("cannot set up RGB to YUV conversion for " + width + "x" + height);
        }
        IntPointer bt709 = swscale.sws_getCoefficients(swscale.SWS_CS_ITU709);
        swscale.sws_setColorspaceDetails(sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
        this.srcPlanes = new PointerPointer<>(rgb, null, null, null);
        this.srcStrides = new IntPointer(width * 3, 0, 0, 0);
        this.dstPlanes = new PointerPointer<>(new BytePointer(yuv).position(0),
                new BytePointer(yuv).position(ySize), new BytePointer(yuv).position(ySize + cSize), null);
        this.dstStrides = new IntPointer(width, width / 2, width / 2, 0);
        LOG.debug("encoding {} ({}x{} @ {} fps, {} frames, {}) via {}", output, width, height, fps, frameCount, encoder, temp);
    }

    static Mp4EncodeSession open(EncodeRequest request, EncoderSettings settings, CaptionOptions captionDefaults) {
        validate(request);
        Path output = request.output().toAbsolutePath().normalize();
        Path dir = output.getParent();
        if (Files.isDirectory(output)) throw new StageException("output path " + output + " is a directory");
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new StageException("cannot create output directory " + dir + ": " + describe(e), e);
        }
        String name = output.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".mp4") ? name.substring(0, name.length() - 4) : name;
        byte[] token = new byte[6];
        RANDOM.nextBytes(token);
        Path temp = dir.resolve("." + stem + ".part-" + HexFormat.of().formatHex(token) + ".mp4");
        try {
            Files.createFile(temp);
        } catch (IOException | SecurityException e) {
            throw new StageException("output directory " + dir + " is not writable: " + describe(e), e);
        }
        try {
            return new Mp4EncodeSession(request, settings, captionDefaults, output, temp);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private static void validate(EncodeRequest r) {
        if (r == null) throw new StageException("encode request is missing");
        if (r.output() == null) throw new StageException("encode request has no output path");
        Timeline t = r.timeline();
        if (t == null) throw new StageException("encode request has no timeline");
        if (t.fps() < 1 || t.fps() > 120) throw new StageException("frame rate " + t.fps() + " fps is outside 1..120");
        if (t.frameCount() < 1) throw new StageException("timeline has no frames (" + t.frameCount() + ")");
        if (r.width() < 16 || r.height() < 16 || r.width() > 8192 || r.height() > 8192) {
            throw new StageException("frame size " + r.width() + "x" + r.height() + " is outside 16..8192 pixels");
        }
        if (r.width() % 2 != 0 || r.height() % 2 != 0) {
            throw new StageException("frame size " + r.width() + "x" + r.height() + " must be even in both directions"
                    + " for H.264 4:2:0");
        }
    }

    /** Stereo 48 kHz, exactly {@code frames} long: resampled, up-mixed, padded with silence or trimmed as needed. */
    static float[] conformAudio(AudioBuffer in, int frames) {
        float[] out = new float[frames * 2];
        if (in == null) return out;
        if (in.channels() > 2) throw new StageException("audio master must be mono or stereo, got " + in.channels() + " channels");
        float[] left = new float[in.frames()];
        float[] right = new float[in.frames()];
        float[] s = in.samples();
        int ch = in.channels();
        for (int n = 0; n < left.length; n++) {
            left[n] = s[n * ch];
            right[n] = s[n * ch + ch - 1];
        }
        if (in.sampleRate() != AUDIO_RATE) {
            Resampler r = new Resampler(in.sampleRate(), AUDIO_RATE);
            left = r.process(left);
            right = r.process(right);
        }
        int n = Math.min(frames, left.length);
        for (int i = 0; i < n; i++) {
            out[2 * i] = left[i];
            out[2 * i + 1] = right[i];
        }
        if (Math.abs(left.length - frames) > AUDIO_RATE / 100) {
            LOG.info("audio master is {} s, the video {} s: {}", String.format(Locale.ROOT, "%.3f", left.length / (double) AUDIO_RATE),
                    String.format(Locale.ROOT, "%.3f", frames / (double) AUDIO_RATE), left.length > frames ? "trimmed" : "padded with silence");
        }
        return out;
    }

    @Override
    public void write(RgbImage frame) {
        if (closed || finished) throw new StageException("the encode session for " + output + " is already " + (finished ? "finished" : "closed"));
        if (frame == null) throw new StageException("frame " + (written + 1) + " is missing");
        if (frame.width() != width || frame.height() != height) {
            throw new StageException("frame " + (written + 1) + " is " + frame.width() + "x" + frame.height()
                    + ", the video is " + width + "x" + height);
        }
        if (written >= frameCount) {
            throw new StageException("the timeline has " + frameCount + " frames; frame " + (written + 1) + " is one too many");
        }
        byte[] pixels = burner == null ? frame.rgb() : burner.apply(frame.rgb(), written / (double) fps);
        rgb.position(0).put(pixels, 0, pixels.length);
        swscale.sws_scale(sws, srcPlanes, srcStrides, 0, height, dstPlanes, dstStrides);
        try {
            recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 1, width, avutil.AV_PIX_FMT_YUV420P, yuvBuffer);
            written++;
            writeAudioUpTo((long) written * AUDIO_RATE / fps);
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new StageException("encoding frame " + (written + 1) + " of " + output + " failed: " + e.getMessage(), e);
        }
    }

    private void writeAudioUpTo(long targetFrames) throws FFmpegFrameRecorder.Exception {
        long end = Math.min(targetFrames, audio.length / 2);
        while (audioFramesWritten < end) {
            int n = (int) Math.min(end - audioFramesWritten, audioChunk.length / 2);
            System.arraycopy(audio, (int) (audioFramesWritten * 2), audioChunk, 0, n * 2);
            recorder.recordSamples(AUDIO_RATE, 2, FloatBuffer.wrap(audioChunk, 0, n * 2));
            audioFramesWritten += n;
        }
    }

    @Override
    public EncodeResult finish() {
        if (closed || finished) throw new StageException("the encode session for " + output + " is already " + (finished ? "finished" : "closed"));
        if (written != frameCount) {
            throw new StageException("only " + written + " of the timeline's " + frameCount + " frames were written to " + output);
        }
        try {
            writeAudioUpTo(audio.length / 2);
            recorder.stop(); // flushes both encoders, writes the trailer and moves moov to the front (faststart)
        } catch (FFmpegFrameRecorder.Exception e) {
            throw new StageException("finishing " + output + " failed: " + e.getMessage(), e);
        }
        if (captionTrack) {
            Path withCaptions = temp.resolveSibling(temp.getFileName().toString().replace(".mp4", ".cc.mp4"));
            try {
                MovTextMuxer.remux(temp, withCaptions, captionSegments, captionNames, captions.language(), metadata);
            } catch (RuntimeException e) {
                deleteQuietly(withCaptions);
                throw e;
            }
            deleteQuietly(temp);
            temp = withCaptions;
        }
        String[] codecs = verify();
        try {
            try {
                Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                LOG.warn("atomic move not supported for {}; replacing non-atomically", output);
                Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING);
            }
            finished = true;
            long bytes = Files.size(output);
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            LOG.info("wrote {}: {} frames {}x{} @ {} fps, {} + {}, {} bytes, encoded at {} fps", output, frameCount, width,
                    height, fps, codecs[0], codecs[1], bytes, String.format(Locale.ROOT, "%.1f", frameCount / seconds));
            return new EncodeResult(output, codecs[0], codecs[1], bytes, frameCount, frameCount / (double) fps);
        } catch (IOException e) {
            throw new StageException("cannot move the finished video to " + output + ": " + describe(e), e);
        } finally {
            release();
        }
    }

    /** Reads the finished temp file back: returns {video codec, audio codec}; throws when it is not what we meant. */
    private String[] verify() {
        AVFormatContext fc = new AVFormatContext(null);
        int ret = avformat.avformat_open_input(fc, temp.toString(), null, null);
        if (ret < 0) throw new StageException("the written file " + temp + " cannot be read back (error " + ret + ")");
        try {
            ret = avformat.avformat_find_stream_info(fc, (PointerPointer<?>) null);
            if (ret < 0) throw new StageException("the written file " + temp + " has unreadable streams (error " + ret + ")");
            String video = null, audioCodec = null;
            boolean text = false;
            for (int i = 0; i < fc.nb_streams(); i++) {
                AVCodecParameters par = fc.streams(i).codecpar();
                if (par.codec_type() == avutil.AVMEDIA_TYPE_VIDEO) {
                    if (par.codec_id() != avcodec.AV_CODEC_ID_H264 || par.format() != avutil.AV_PIX_FMT_YUV420P) {
                        throw new StageException("the encoder produced " + avcodec.avcodec_get_name(par.codec_id()).getString()
                                + " (pixel format " + par.format() + ") instead of H.264 yuv420p");
                    }
                    long frames = fc.streams(i).nb_frames();
                    if (frames != frameCount) {
                        throw new StageException("the written video has " + frames + " frames, the timeline " + frameCount);
                    }
                    video = "h264 (" + encoder + ")";
                } else if (par.codec_type() == avutil.AVMEDIA_TYPE_AUDIO) {
                    if (par.codec_id() != avcodec.AV_CODEC_ID_AAC || par.sample_rate() != AUDIO_RATE || par.ch_layout().nb_channels() != 2) {
                        throw new StageException("the written audio is not AAC 48 kHz stereo");
                    }
                    audioCodec = "aac";
                } else if (par.codec_type() == avutil.AVMEDIA_TYPE_SUBTITLE && par.codec_id() == avcodec.AV_CODEC_ID_MOV_TEXT) {
                    text = true;
                }
            }
            if (video == null || audioCodec == null) throw new StageException("the written file lacks a video or audio stream");
            if (captionTrack && !text) throw new StageException("the written file lacks its captions track");
            return new String[] {video, audioCodec};
        } finally {
            avformat.avformat_close_input(fc);
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (!finished) {
            release();
            deleteQuietly(temp);
            LOG.debug("encode session for {} closed without finish; temporary file removed", output);
        }
    }

    private void release() {
        if (released) return;
        released = true;
        try {
            if (recorder != null) recorder.release();
        } catch (Exception e) {
            LOG.debug("releasing the recorder failed", e);
        }
        if (sws != null) swscale.sws_freeContext(sws);
        closeQuietly(srcPlanes);
        closeQuietly(srcStrides);
        closeQuietly(dstPlanes);
        closeQuietly(dstStrides);
        closeQuietly(rgb);
        closeQuietly(yuv);
    }

    private static void closeQuietly(org.bytedeco.javacpp.Pointer p) {
        if (p != null) p.close();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete temporary file {}: {}", p, e.toString());
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
