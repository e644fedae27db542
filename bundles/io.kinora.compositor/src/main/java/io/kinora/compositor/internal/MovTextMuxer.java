package io.kinora.compositor.internal;

import io.kinora.api.media.StageException;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;

/**
 * Adds an MP4 timed-text track (3GPP TS 26.245 {@code tx3g}, FFmpeg's {@code mov_text}) to a finished MP4 by
 * remuxing it: the video and audio packets are copied unchanged, the captions are written as text samples (a
 * 16-bit big-endian byte count and UTF-8 text; an empty sample where nothing is shown), the track is tagged with
 * the ISO 639-2 language. The sample description is the one FFmpeg's own mov_text encoder writes (bottom-centred
 * white sans-serif text on a transparent background). Container metadata is written again with
 * {@code use_metadata_tags} and faststart.
 */
final class MovTextMuxer {
    /** TextSampleEntry after the SampleEntry header: display flags, justification, colours, box, style, font table. */
    static final byte[] SAMPLE_DESCRIPTION = sampleDescription();

    private MovTextMuxer() {
    }

    private static byte[] sampleDescription() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] font = "Sans-Serif".getBytes(StandardCharsets.US_ASCII);
        b.writeBytes(new byte[] {0, 0, 0, 0,        // displayFlags
                1,                                   // horizontal justification: centre
                (byte) 0xFF,                         // vertical justification: bottom
                0, 0, 0, 0,                          // background colour RGBA: transparent
                0, 0, 0, 0, 0, 0, 0, 0,              // default text box (top, left, bottom, right): whole track
                0, 0, 0, 0,                          // style record: startChar, endChar
                0, 1,                                // font id 1
                0,                                   // face style flags: plain
                0x12,                                // font size 18
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // text colour: opaque white
        int ftab = 4 + 4 + 2 + 2 + 1 + font.length;
        b.writeBytes(new byte[] {0, 0, 0, (byte) ftab, 'f', 't', 'a', 'b', 0, 1, 0, 1, (byte) font.length});
        b.writeBytes(font);
        return b.toByteArray();
    }

    /** ISO 639-2 code for a BCP 47 tag ({@code und} when unknown). */
    static String iso639(String bcp47) {
        if (bcp47 == null || bcp47.isBlank()) return "und";
        try {
            String code = new Locale.Builder().setLanguageTag(bcp47.trim()).build().getISO3Language();
            return code == null || code.length() != 3 ? "und" : code;
        } catch (IllformedLocaleException | MissingResourceException e) {
            return "und";
        }
    }

    /** One text sample: 16-bit big-endian byte count, then UTF-8. */
    static byte[] sample(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(utf8.length, 0xFFFF);
        byte[] out = new byte[2 + n];
        out[0] = (byte) (n >> 8);
        out[1] = (byte) n;
        System.arraycopy(utf8, 0, out, 2, n);
        return out;
    }

    /**
     * Copies {@code in} to {@code out} adding the captions track.
     *
     * @param segments consecutive stretches covering the clip, each with its text ("" = nothing shown)
     */
    static void remux(Path in, Path out, List<Captions.Segment> segments, boolean names, String language,
                      Map<String, String> metadata) {
        AVFormatContext ifmt = new AVFormatContext(null);
        AVFormatContext ofmt = null;
        AVPacket pkt = null;
        AVDictionary options = new AVDictionary(null);
        boolean ioOpen = false;
        try {
            check(avformat.avformat_open_input(ifmt, in.toString(), null, null), "open " + in);
            check(avformat.avformat_find_stream_info(ifmt, (PointerPointer<?>) null), "read streams of " + in);
            ofmt = new AVFormatContext(null);
            check(avformat.avformat_alloc_output_context2(ofmt, null, "mp4", out.toString()), "create " + out);
            int streams = ifmt.nb_streams();
            for (int i = 0; i < streams; i++) {
                AVStream is = ifmt.streams(i);
                AVStream os = avformat.avformat_new_stream(ofmt, null);
                check(avcodec.avcodec_parameters_copy(os.codecpar(), is.codecpar()), "copy stream " + i);
                os.codecpar().codec_tag(0);
                os.time_base(is.time_base());
                AVDictionary md = new AVDictionary(null);
                avutil.av_dict_copy(md, is.metadata(), 0);
                os.metadata(md);
            }
            AVStream ss = avformat.avformat_new_stream(ofmt, null);
            ss.codecpar().codec_type(avutil.AVMEDIA_TYPE_SUBTITLE);
            ss.codecpar().codec_id(avcodec.AV_CODEC_ID_MOV_TEXT);
            BytePointer extradata = new BytePointer(avutil.av_mallocz(SAMPLE_DESCRIPTION.length + avcodec.AV_INPUT_BUFFER_PADDING_SIZE));
            extradata.put(SAMPLE_DESCRIPTION, 0, SAMPLE_DESCRIPTION.length);
            ss.codecpar().extradata(extradata);
            ss.codecpar().extradata_size(SAMPLE_DESCRIPTION.length);
            ss.time_base(avutil.av_make_q(1, 1000));
            AVDictionary sm = new AVDictionary(null);
            avutil.av_dict_set(sm, "language", iso639(language), 0);
            avutil.av_dict_set(sm, "handler_name", "Captions", 0);
            ss.metadata(sm);
            AVDictionary fm = new AVDictionary(null);
            for (Map.Entry<String, String> e : metadata.entrySet()) avutil.av_dict_set(fm, e.getKey(), e.getValue(), 0);
            ofmt.metadata(fm);

            AVIOContext pb = new AVIOContext(null);
            check(avformat.avio_open(pb, out.toString(), avformat.AVIO_FLAG_WRITE), "open " + out + " for writing");
            ofmt.pb(pb);
            ioOpen = true;
            avutil.av_dict_set(options, "movflags", "+faststart+use_metadata_tags", 0);
            check(avformat.avformat_write_header(ofmt, options), "write the header of " + out);
            AVRational ms = avutil.av_make_q(1, 1000);
            AVRational subtitleBase = ofmt.streams(streams).time_base();

            pkt = avcodec.av_packet_alloc();
            int next = 0;
            while (avformat.av_read_frame(ifmt, pkt) >= 0) {
                int index = pkt.stream_index();
                AVRational ib = ifmt.streams(index).time_base();
                double t = pkt.dts() == avutil.AV_NOPTS_VALUE ? 0 : pkt.dts() * avutil.av_q2d(ib);
                while (next < segments.size() && segments.get(next).start() <= t) {
                    writeText(ofmt, segments.get(next++), streams, names, ms, subtitleBase);
                }
                avcodec.av_packet_rescale_ts(pkt, ib, ofmt.streams(index).time_base());
                pkt.pos(-1);
                check(avformat.av_interleaved_write_frame(ofmt, pkt), "write a packet to " + out);
                avcodec.av_packet_unref(pkt);
            }
            while (next < segments.size()) writeText(ofmt, segments.get(next++), streams, names, ms, subtitleBase);
            check(avformat.av_write_trailer(ofmt), "finish " + out);
        } finally {
            if (pkt != null) avcodec.av_packet_free(pkt);
            avutil.av_dict_free(options);
            if (ofmt != null) {
                if (ioOpen) avformat.avio_closep(ofmt.pb());
                avformat.avformat_free_context(ofmt);
            }
            avformat.avformat_close_input(ifmt);
        }
    }

    private static void writeText(AVFormatContext ofmt, Captions.Segment s, int stream, boolean names, AVRational ms,
                                  AVRational base) {
        long start = Math.round(s.start() * 1000);
        long end = Math.round(s.end() * 1000);
        if (end <= start) return;
        byte[] data = sample(Captions.display(s, names));
        AVPacket p = avcodec.av_packet_alloc();
        try {
            check(avcodec.av_new_packet(p, data.length), "allocate a caption sample");
            p.data().put(data, 0, data.length);
            p.stream_index(stream);
            p.pts(avutil.av_rescale_q(start, ms, base));
            p.dts(p.pts());
            p.duration(avutil.av_rescale_q(end, ms, base) - p.pts());
            p.flags(avcodec.AV_PKT_FLAG_KEY);
            check(avformat.av_interleaved_write_frame(ofmt, p), "write a caption sample");
        } finally {
            avcodec.av_packet_free(p);
        }
    }

    private static void check(int ret, String what) {
        if (ret < 0) {
            byte[] buf = new byte[256];
            avutil.av_strerror(ret, buf, buf.length);
            String msg = new String(buf, StandardCharsets.UTF_8).trim().replace("\0", "");
            throw new StageException("captions track: cannot " + what + " (" + msg + ")");
        }
    }
}
