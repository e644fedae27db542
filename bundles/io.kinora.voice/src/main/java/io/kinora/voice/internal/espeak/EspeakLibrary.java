package io.kinora.voice.internal.espeak;

import com.sun.jna.Callback;
import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * espeak-ng's C library ({@code libespeak-ng.so.1}, installed with the Debian package {@code espeak-ng}) through
 * JNA, in synchronous mode: {@link #synthesize} returns the samples and the events espeak-ng reported (word starts,
 * marks, clause ends) with their sample positions.
 *
 * <p><b>Same line, same samples.</b> The library keeps state between syntheses that no call resets (the pitch
 * flutter phase and the waveform generator's counters are static variables; the breath noise comes from the C
 * library's {@code rand()}), so a line spoken twice in one process would come out slightly different each time.
 * Each synthesis therefore loads the library afresh, initializes it, seeds {@code rand()} with 1 (as a new
 * process has it), speaks, and terminates and unloads it: every line comes out as the {@code espeak-ng} command
 * gives it in a new process, sample for sample (~20 ms of loading per line). {@code srand(1)} resets the C
 * library's shared generator for the whole process; nothing else in Kinora uses it. Syntheses run one at a time
 * (a lock shared by every instance in this class loader).
 *
 * <p>JNA's own native part ({@code libjnidispatch.so}, embedded in this bundle for linux-x86-64) is unpacked to
 * {@code jna.tmpdir}, which {@link EspeakVoiceEngine#configureJnaTempDir} points under Kinora's work folder before
 * this class (whose constants start JNA) is first used.
 */
final class EspeakLibrary {
    static final int AUDIO_OUTPUT_SYNCHRONOUS = 2;
    static final int INITIALIZE_DONT_EXIT = 0x8000;
    static final int POS_CHARACTER = 1;
    static final int CHARS_UTF8 = 1;
    static final int SSML = 0x10;
    static final int ENDPAUSE = 0x1000;
    static final int RATE = 1, VOLUME = 2, PITCH = 3, RANGE = 4, PUNCTUATION = 5, CAPITALS = 6, WORDGAP = 7;
    static final int EVENT_WORD = 1, EVENT_SENTENCE = 2, EVENT_MARK = 3, EVENT_END = 5;
    /** Bytes per espeak_EVENT (speak_lib.h, API revision 12): 6 ints, user_data pointer, id union (int, pointer, char[8]). */
    static final int EVENT_SIZE = 24 + Native.POINTER_SIZE + Math.max(8, Native.POINTER_SIZE);
    /** The functions of speak_lib.h used here. */
    private static final List<String> FUNCTIONS = List.of("espeak_Initialize", "espeak_SetSynthCallback",
            "espeak_SetVoiceByName", "espeak_SetParameter", "espeak_Synth", "espeak_Terminate", "espeak_Info");

    /** {@code int SynthCallback(short *wav, int numsamples, espeak_EVENT *events)}. */
    public interface SynthCallback extends Callback {
        int invoke(Pointer wav, int samples, Pointer events);
    }

    /** One espeak_EVENT: type, text position (1-based code points), length, sample offset, mark name. */
    record Event(int type, int textPosition, int length, int sample, String name) {
    }

    /** The audio (16-bit samples at {@code sampleRate}) and the events of one synthesis. */
    record Result(short[] samples, int sampleRate, List<Event> events) {
    }

    private static final Object LOCK = new Object();

    private final String path;
    private final int sampleRate;
    private final String version;
    private final Function srand;
    /** Filled by the callback during one synthesis (under LOCK). */
    private short[] buffer = new short[1 << 16];
    private int length;
    private final List<Event> events = new ArrayList<>();
    /** Strong reference: JNA must not collect the callback while the library holds it. */
    private final SynthCallback callback = this::collect;

    private EspeakLibrary(String path, int sampleRate, String version, Function srand) {
        this.path = path;
        this.sampleRate = sampleRate;
        this.version = version;
        this.srand = srand;
    }

    /**
     * Checks that the library loads, has the functions used here and initializes.
     *
     * @param path a library name the dynamic linker finds ({@code libespeak-ng.so.1}) or an absolute file
     * @throws IllegalStateException naming the reason when it cannot be loaded or initialized
     */
    static EspeakLibrary load(String path) {
        synchronized (LOCK) {
            try {
                if (path.contains("/") && !Files.isRegularFile(Path.of(path))) {
                    throw new IllegalStateException("no file " + path);
                }
                Function srand = NativeLibrary.getInstance("c").getFunction("srand");
                NativeLibrary lib = NativeLibrary.getInstance(path);
                try {
                    for (String f : FUNCTIONS) lib.getFunction(f);
                    int rate = init(lib);
                    String version = (String) lib.getFunction("espeak_Info").invoke(String.class, new Object[]{null});
                    lib.getFunction("espeak_Terminate").invokeInt(new Object[0]);
                    return new EspeakLibrary(path, rate, version, srand);
                } finally {
                    lib.close();
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
            }
        }
    }

    private static int init(NativeLibrary lib) {
        int rate = lib.getFunction("espeak_Initialize").invokeInt(
                new Object[]{AUDIO_OUTPUT_SYNCHRONOUS, 0, null, INITIALIZE_DONT_EXIT});
        if (rate <= 0) throw new IllegalStateException("espeak_Initialize returned " + rate + " (no espeak-ng-data?)");
        return rate;
    }

    int sampleRate() {
        return sampleRate;
    }

    String version() {
        return version;
    }

    String path() {
        return path;
    }

    /**
     * Speaks SSML with the given voice ("en-us+f2"), pitch (0-99) and rate (words per minute), from a fresh state.
     *
     * @throws IllegalArgumentException when espeak-ng does not know the voice or refuses the text
     * @throws IllegalStateException    when the library can no longer be loaded
     */
    Result synthesize(String voice, int pitch, int rate, String ssml) {
        synchronized (LOCK) {
            length = 0;
            events.clear();
            NativeLibrary lib;
            try {
                lib = NativeLibrary.getInstance(path);
            } catch (UnsatisfiedLinkError e) {
                throw new IllegalStateException("espeak-ng's library " + path + " cannot be loaded: " + e.getMessage(), e);
            }
            try {
                if (init(lib) != sampleRate) throw new IllegalStateException("espeak-ng changed its sample rate");
                srand.invokeVoid(new Object[]{1});
                lib.getFunction("espeak_SetSynthCallback").invokeVoid(new Object[]{callback});
                int r = lib.getFunction("espeak_SetVoiceByName").invokeInt(new Object[]{voice});
                if (r != 0) throw new IllegalArgumentException("espeak-ng has no voice '" + voice + "' (error " + r + ")");
                Function set = lib.getFunction("espeak_SetParameter");
                set.invokeInt(new Object[]{RATE, rate, 0});
                set.invokeInt(new Object[]{PITCH, pitch, 0});
                byte[] utf8 = (ssml + '\0').getBytes(StandardCharsets.UTF_8);
                r = lib.getFunction("espeak_Synth").invokeInt(new Object[]{utf8, (long) utf8.length, 0, POS_CHARACTER, 0,
                        CHARS_UTF8 | SSML | ENDPAUSE, null, null});
                if (r != 0) throw new IllegalArgumentException("espeak_Synth failed (error " + r + ")");
                return new Result(Arrays.copyOf(buffer, length), sampleRate, List.copyOf(events));
            } finally {
                try {
                    lib.getFunction("espeak_Terminate").invokeInt(new Object[0]);
                } finally {
                    lib.close();
                }
            }
        }
    }

    private int collect(Pointer wav, int samples, Pointer list) {
        if (list != null) {
            for (int i = 0; ; i++) {
                Pointer e = list.share((long) i * EVENT_SIZE);
                int type = e.getInt(0);
                if (type == 0) break;
                String name = null;
                if (type == EVENT_MARK) {
                    Pointer p = e.getPointer(24 + Native.POINTER_SIZE);
                    name = p == null ? null : p.getString(0, "UTF-8");
                }
                if (type == EVENT_WORD || type == EVENT_SENTENCE || type == EVENT_MARK || type == EVENT_END) {
                    int sample = e.getInt(20);
                    int ms = e.getInt(16);
                    if (sample < 0) sample = (int) Math.round(ms * (double) sampleRate / 1000);
                    events.add(new Event(type, e.getInt(8), e.getInt(12), sample, name));
                }
            }
        }
        if (wav != null && samples > 0) {
            if (length + samples > buffer.length) buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + samples));
            wav.read(0, buffer, length, samples);
            length += samples;
        }
        return 0;
    }
}
