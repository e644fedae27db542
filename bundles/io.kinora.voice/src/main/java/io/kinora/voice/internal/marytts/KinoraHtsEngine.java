package io.kinora.voice.internal.marytts;

import marytts.datatypes.MaryData;
import marytts.htsengine.HMMData;
import marytts.htsengine.HMMVoice;
import marytts.htsengine.HTSPStream;
import marytts.htsengine.HTSParameterGeneration;
import io.kinora.voice.internal.MlsaVocoder;
import marytts.htsengine.HTSUttModel;
import marytts.htsengine.HTSVocoder;
import marytts.modules.HTSEngine;
import marytts.signalproc.process.AmplitudeNormalizer;
import marytts.unitselection.select.Target;
import marytts.util.data.BufferedDoubleDataSource;
import marytts.util.data.audio.DDSAudioInputStream;
import org.w3c.dom.Element;

import javax.sound.sampled.AudioInputStream;
import java.util.List;

/**
 * MaryTTS's HMM synthesis step with Kinora's vocoder: MaryTTS computes the utterance model (durations, state
 * sequence) and the acoustic parameters (mel-cepstrum, log F0, band voicing strengths, Fourier magnitudes: its
 * maximum-likelihood parameter generation with global variance), and {@link MlsaVocoder} turns them into a waveform
 * in the calling thread. It is installed in place of {@code marytts.modules.HTSEngine} in MaryTTS's module list
 * ({@link MaryRuntime}); MaryTTS's HMM synthesizer picks the registered module that is an {@code HTSEngine}.
 *
 * <p>MaryTTS's own vocoder runs in a producer thread that hands every sample through a blocking queue, and its
 * filters index one shared state array; about half of MaryTTS's synthesis time went there.
 */
public class KinoraHtsEngine extends HTSEngine {
    /** MaryTTS's output level: the vocoder's samples are divided by this (or by their peak when it is larger). */
    static final double LEVEL = 17000.0;

    @Override
    public MaryData process(MaryData d, List<Target> targets, List<Element> segmentsAndBoundaries,
                            List<Element> tokensAndBoundaries) throws Exception {
        HMMData data = ((HMMVoice) d.getDefaultVoice()).getHMMData();
        HTSUttModel um = processTargetList(targets, segmentsAndBoundaries, data);
        HTSParameterGeneration parameters = new HTSParameterGeneration();
        parameters.htsMaximumLikelihoodParameterGeneration(um, data);
        java.util.function.BiConsumer<HTSParameterGeneration, HMMData> t = tap;
        if (t != null) t.accept(parameters, data);
        double[] wave = vocode(parameters, data);
        AudioInputStream audio = new DDSAudioInputStream(
                new BufferedDoubleDataSource(new BufferedDoubleDataSource(wave), new AmplitudeNormalizer(LEVEL)),
                HTSVocoder.getHTSAudioFormat(data));
        MaryData out = new MaryData(outputType(), d.getLocale());
        if (d.getAudioFileFormat() != null) {
            out.setAudioFileFormat(d.getAudioFileFormat());
            if (d.getAudio() != null) {
                out.setAudio(d.getAudio());
            }
        }
        out.appendAudio(audio);
        if (tokensAndBoundaries != null) {
            setRealisedProsody(tokensAndBoundaries, um);
        }
        return out;
    }

    /** For tests: sees each utterance's generated parameters. */
    static volatile java.util.function.BiConsumer<HTSParameterGeneration, HMMData> tap;
    /** For tests: vocode with MaryTTS's own vocoder instead (to compare the two). */
    static volatile boolean maryVocoder;

    static double[] vocode(HTSParameterGeneration p, HMMData data) throws Exception {
        if (maryVocoder) {
            return new HTSVocoder().htsMLSAVocoder(p.getlf0Pst(), p.getMcepPst(), p.getStrPst(), p.getMagPst(),
                    p.getVoicedArray(), data, null);
        }
        HTSPStream mcepStream = p.getMcepPst();
        int frames = mcepStream.getT();
        int order = mcepStream.getOrder();
        boolean[] voiced = p.getVoicedArray();
        HTSPStream lf0 = p.getlf0Pst();
        HTSPStream str = data.getUseMixExc() ? p.getStrPst() : null;
        double[][] mcep = new double[frames][order];
        double[] f0 = new double[frames];
        double[][] strengths = str == null ? null : new double[frames][str.getOrder()];
        // the voice's pitch effects (F0Scale, F0Add) act here: f0 = scale * F0 + (1 - scale) * mean(F0) + add, so the
        // contour widens or narrows around the line's mean and then shifts
        double mean = 0;
        int voicedFrames = 0;
        for (int t = 0; t < frames; t++) {
            if (voiced != null && t < voiced.length && voiced[t]) mean += Math.exp(lf0.getPar(voicedFrames++, 0));
        }
        mean = voicedFrames == 0 ? 0 : mean / voicedFrames;
        double scale = data.getF0Std(), add = data.getF0Mean();
        for (int t = 0, voicedFrame = 0; t < frames; t++) {
            for (int k = 0; k < order; k++) mcep[t][k] = mcepStream.getPar(t, k);
            if (voiced != null && t < voiced.length && voiced[t]) {
                f0[t] = Math.max(0, scale * Math.exp(lf0.getPar(voicedFrame++, 0)) + (1 - scale) * mean + add);
            }
            if (strengths != null) {
                for (int k = 0; k < strengths[t].length; k++) strengths[t][k] = str.getPar(t, k);
            }
        }
        return vocoder(data).synthesize(mcep, f0, strengths);
    }

    private static volatile MlsaVocoder vocoder;
    private static volatile HMMData vocoderData;

    /** The vocoder for a voice's settings (one voice: made once). */
    private static MlsaVocoder vocoder(HMMData data) {
        MlsaVocoder v = vocoder;
        if (v == null || vocoderData != data) {
            double[][] bands = data.getUseMixExc() ? data.getMixFilters() : null;
            v = new MlsaVocoder(data.getRate(), data.getFperiod(), data.getAlpha(), data.getBeta(), bands);
            vocoder = v;
            vocoderData = data;
        }
        return v;
    }
}
