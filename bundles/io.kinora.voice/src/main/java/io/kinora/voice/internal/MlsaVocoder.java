package io.kinora.voice.internal;

/**
 * Kinora's source-filter vocoder for HMM speech parameters: mixed excitation through an MLSA (mel log spectrum
 * approximation) filter, written from the published algorithms:
 * <ul>
 * <li>S. Imai, "Cepstral analysis synthesis on the mel frequency scale", ICASSP 1983, and T. Fukada et al.,
 * "An adaptive algorithm for mel-cepstral analysis of speech", ICASSP 1992: the filter
 * {@code H(z) = exp(sum_m b(m) Phi_m(z))}, {@code Phi_1(z) = (1-a^2) z^-1 / (1 - a z^-1)},
 * {@code Phi_m(z) = Phi_1(z) A(z)^(m-1)}, {@code A(z) = (z^-1 - a) / (1 - a z^-1)} (first-order all-pass, warping
 * {@code a}), the exponential realised by a 5th-order modified Pade approximation in two cascaded stages
 * ({@code b(1)} alone, then {@code b(2..M)}), each stage's feedback made possible by the unit delay in
 * {@code Phi_1}.</li>
 * <li>T. Yoshimura et al., "Mixed excitation for HMM-based speech synthesis", Eurospeech 2001: per frame, a pulse
 * train at the pitch period and white noise are shaped by complementary band filters weighted by the frame's band
 * voicing strengths ({@code h_v = sum_j s_j h_j}, {@code h_n = sum_j (1 - s_j) h_j}).</li>
 * <li>The HMM-based synthesis system's (HTS) conventions: pulse amplitude {@code sqrt(period)}, unit-variance
 * noise in unvoiced frames, filter coefficients and pitch period interpolated linearly across a frame, and the
 * formant-sharpening postfilter on the mel-cepstrum ({@code b(m) * (1 + beta)} for {@code m >= 2}) with the
 * frame's energy kept.</li>
 * </ul>
 * All state lives in primitive arrays allocated once per utterance and in locals; nothing is allocated per sample.
 * The noise comes from a fixed-seed generator, so the same parameters always give the same samples.
 */
public final class MlsaVocoder {
    /** Modified Pade approximation of exp(w), 5th order (Imai's coefficients, as tabulated for the MLSA filter). */
    static final double[] PADE5 = {1.0, 0.4999391, 0.1107098, 0.01369984, 0.0009564853, 0.00003041721};
    private static final int L = 5;
    private static final long SEED = 0x4B696E6F7261L;

    private final int sampleRate;
    private final int framePeriod;
    private final double alpha;
    private final double beta;
    private final double[][] bands;
    private final int taps;

    /**
     * @param bands band-pass filters of the mixed excitation (all the same odd length, summing to a unit impulse);
     *              null for simple excitation (pulses in voiced frames, noise in unvoiced ones)
     */
    public MlsaVocoder(int sampleRate, int framePeriod, double alpha, double beta, double[][] bands) {
        if (sampleRate <= 0 || framePeriod <= 0) throw new IllegalArgumentException("rate and frame period must be positive");
        if (!(Math.abs(alpha) < 1)) throw new IllegalArgumentException("all-pass constant " + alpha + " outside (-1, 1)");
        this.sampleRate = sampleRate;
        this.framePeriod = framePeriod;
        this.alpha = alpha;
        this.beta = beta;
        this.bands = bands == null || bands.length == 0 ? null : bands;
        this.taps = this.bands == null ? 0 : this.bands[0].length;
    }

    /**
     * @param mcep      per frame the mel-cepstrum {@code c(0..M)} (c(0): log gain)
     * @param f0        per frame the fundamental frequency in Hz, 0 (or less) for an unvoiced frame
     * @param strengths per frame the voicing strength of each band (0..1), or null
     * @return {@code mcep.length * framePeriod} samples
     */
    public double[] synthesize(double[][] mcep, double[] f0, double[][] strengths) {
        int frames = mcep.length;
        if (f0.length != frames) throw new IllegalArgumentException(frames + " mel-cepstra but " + f0.length + " F0 values");
        double[] out = new double[frames * framePeriod];
        if (frames == 0) return out;
        final int m = mcep[0].length - 1;
        final double a = alpha, aa = 1 - a * a;
        final int fp = framePeriod;
        final boolean mixed = bands != null && strengths != null;

        // filter coefficients b(0..m): current (interpolated) and the target of this frame
        double[] b = new double[m + 1], target = new double[m + 1], inc = new double[m + 1];
        Postfilter post = beta > 0 && m >= 2 ? new Postfilter(m, a, beta) : null;
        // stage 1: one first-order section per Pade level; stage 2: M-1 all-pass sections per level
        double[] s1w = new double[L + 1], s1in = new double[L + 1];
        double[] q1 = new double[m + 1], q2 = new double[m + 1], q3 = new double[m + 1], q4 = new double[m + 1],
                q5 = new double[m + 1];
        double s2e = 0, in2 = 0, in3 = 0, in4 = 0, in5 = 0;
        double[] v = new double[L + 1];
        // mixed excitation: voiced and noise band filters of the frame, and the excitation's history (doubled ring)
        int nt = taps;
        double[] hv = new double[Math.max(1, nt)], hn = new double[Math.max(1, nt)];
        double[] noiseRing = new double[Math.max(2, 2 * nt)];
        int ring = 0;
        int[] pulseAt = new int[8];
        double[] pulseAmp = new double[8];
        int pulseHead = 0;
        double spare = 0;
        boolean spareReady = false;

        long rnd = SEED;
        double period = 0, periodTarget, periodInc = 0, phase = 0;
        boolean first = true;

        for (int t = 0; t < frames; t++) {
            mc2b(mcep[t], target, m, a);
            if (post != null) post.apply(target);
            periodTarget = f0[t] > 0 ? sampleRate / f0[t] : 0;
            if (first) {
                System.arraycopy(target, 0, b, 0, m + 1);
                period = periodTarget;
                phase = period - 1; // the first sample of a voiced start carries a pulse
                first = false;
            }
            for (int k = 0; k <= m; k++) inc[k] = (target[k] - b[k]) / fp;
            if (period != 0 && periodTarget != 0) {
                periodInc = (periodTarget - period) / fp;
            } else {
                periodInc = 0;
                period = periodTarget;
            }
            if (mixed) {
                double[] s = strengths[t];
                for (int k = 0; k < nt; k++) {
                    double sv = 0, sn = 0;
                    for (int j = 0; j < bands.length; j++) {
                        double h = bands[j][k];
                        double st = j < s.length ? Math.max(0, Math.min(1, s[j])) : 0;
                        sv += st * h;
                        sn += (1 - st) * h;
                    }
                    hv[k] = sv;
                    hn[k] = sn;
                }
            }
            int base = t * fp;
            for (int j = 0; j < fp; j++) {
                // excitation
                double pulse = 0;
                if (period != 0) {
                    phase += 1.0;
                    if (phase >= period) {
                        pulse = Math.sqrt(period);
                        phase -= period;
                    }
                }
                // unit-variance Gaussian noise: xorshift64* uniforms, Box-Muller (both of the pair, in turn)
                double noise;
                if (spareReady) {
                    noise = spare;
                    spareReady = false;
                } else {
                    rnd ^= rnd >>> 12; rnd ^= rnd << 25; rnd ^= rnd >>> 27;
                    double u1 = ((rnd * 0x2545F4914F6CDD1DL) >>> 11) * 0x1.0p-53;
                    rnd ^= rnd >>> 12; rnd ^= rnd << 25; rnd ^= rnd >>> 27;
                    double u2 = ((rnd * 0x2545F4914F6CDD1DL) >>> 11) * 0x1.0p-53;
                    double r = Math.sqrt(-2 * Math.log(1 - u1)), phi = 2 * Math.PI * u2;
                    noise = r * Math.cos(phi);
                    spare = r * Math.sin(phi);
                    spareReady = true;
                }
                double x;
                if (mixed) {
                    // pulses through the voiced bands, noise through the others (unvoiced frames: no pulses);
                    // y = sum_k h[k] in[n-k]. The pulses are sparse: only those of the last nt samples count.
                    int n = base + j;
                    if (pulse != 0) {
                        pulseAt[pulseHead & 7] = n;
                        pulseAmp[pulseHead & 7] = pulse;
                        pulseHead++;
                    }
                    double sv = 0;
                    for (int q = pulseHead - 1; q >= 0 && q >= pulseHead - 8; q--) {
                        int age = n - pulseAt[q & 7];
                        if (age >= nt) break;
                        sv += pulseAmp[q & 7] * hv[age];
                    }
                    noiseRing[ring] = noiseRing[ring + nt] = noise;
                    ring = ring + 1 == nt ? 0 : ring + 1;
                    int newest = ring - 1 + nt;
                    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    int k = 0;
                    for (; k + 3 < nt; k += 4) {
                        s0 += hn[k] * noiseRing[newest - k];
                        s1 += hn[k + 1] * noiseRing[newest - k - 1];
                        s2 += hn[k + 2] * noiseRing[newest - k - 2];
                        s3 += hn[k + 3] * noiseRing[newest - k - 3];
                    }
                    for (; k < nt; k++) s0 += hn[k] * noiseRing[newest - k];
                    x = sv + ((s0 + s1) + (s2 + s3));
                } else {
                    x = period == 0 ? noise : pulse;
                }
                x *= Math.exp(b[0]);

                // stage 1: exp(b1 Phi_1(z)) by Pade; the cascade's outputs depend on past inputs only
                double b1 = b[1], e, y;
                double fb = 0, sum = 0;
                for (int l = 1; l <= L; l++) {
                    double w = a * s1w[l] + aa * s1in[l];
                    s1w[l] = w;
                    double vl = b1 * w;
                    v[l] = vl;
                    double av = PADE5[l] * vl;
                    fb += (l & 1) == 1 ? av : -av;
                    sum += av;
                }
                e = x + fb;
                y = e + sum;
                s1in[1] = e;
                for (int l = 2; l <= L; l++) s1in[l] = v[l - 1];

                // stage 2: exp(sum_{m>=2} b(m) Phi_m(z)) by Pade. The five levels' all-pass chains are independent
                // within a sample (each depends on its own past input), so they run side by side in one loop.
                double p1 = q1[1], p2 = q2[1], p3 = q3[1], p4 = q4[1], p5 = q5[1];
                double n1 = a * p1 + aa * s2e, n2 = a * p2 + aa * in2, n3 = a * p3 + aa * in3,
                        n4 = a * p4 + aa * in4, n5 = a * p5 + aa * in5;
                q1[1] = n1; q2[1] = n2; q3[1] = n3; q4[1] = n4; q5[1] = n5;
                double acc1 = 0, acc2 = 0, acc3 = 0, acc4 = 0, acc5 = 0;
                for (int k = 2; k <= m; k++) {
                    double bk = b[k];
                    double o1 = q1[k], o2 = q2[k], o3 = q3[k], o4 = q4[k], o5 = q5[k];
                    // w_k[n] = w_{k-1}[n-1] + a w_k[n-1] - a w_{k-1}[n]: only the last term waits for the chain
                    n1 = (p1 + a * o1) - a * n1; n2 = (p2 + a * o2) - a * n2; n3 = (p3 + a * o3) - a * n3;
                    n4 = (p4 + a * o4) - a * n4; n5 = (p5 + a * o5) - a * n5;
                    q1[k] = n1; q2[k] = n2; q3[k] = n3; q4[k] = n4; q5[k] = n5;
                    acc1 += bk * n1; acc2 += bk * n2; acc3 += bk * n3; acc4 += bk * n4; acc5 += bk * n5;
                    p1 = o1; p2 = o2; p3 = o3; p4 = o4; p5 = o5;
                }
                double t1 = PADE5[1] * acc1, t2 = PADE5[2] * acc2, t3 = PADE5[3] * acc3,
                        t4 = PADE5[4] * acc4, t5 = PADE5[5] * acc5;
                e = y + (t1 - t2 + t3 - t4 + t5);
                out[base + j] = e + (t1 + t2 + t3 + t4 + t5);
                // each level's next input: the stage's signal, then the previous level's output
                in2 = acc1; in3 = acc2; in4 = acc3; in5 = acc4;
                s2e = e;

                // interpolation toward this frame's values
                period += periodInc;
                for (int k = 0; k <= m; k++) b[k] += inc[k];
            }
            System.arraycopy(target, 0, b, 0, m + 1);
            period = periodTarget;
        }
        return out;
    }

    /** Mel-cepstrum to MLSA filter coefficients: {@code b(M) = c(M)}, {@code b(m) = c(m) - a b(m+1)}. */
    static void mc2b(double[] c, double[] b, int m, double a) {
        b[m] = c[m];
        for (int k = m - 1; k >= 0; k--) b[k] = c[k] - a * b[k + 1];
    }

    /**
     * Formant sharpening on the filter coefficients: {@code b(m) *= 1 + beta} for {@code m >= 2} and
     * {@code b(1) -= beta a b(2)} (so {@code c(1)}, the spectral tilt, stays), {@code b(0)} corrected so the frame
     * keeps its energy. As in HTS, the energy is that of the first {@value #IMPULSE} samples of the filter's impulse
     * response: the mel-cepstrum warped back to a linear cepstrum (Oppenheim's recursion with {@code -a}), then the
     * minimum-phase impulse response by the cepstral recursion {@code h(n) = sum_k (k/n) c(k) h(n-k)}.
     */
    static final class Postfilter {
        static final int IMPULSE = 96;
        private final int m;
        private final double a, beta;
        private final double[] mc, c, h;
        private final double[][] warp;

        Postfilter(int m, double a, double beta) {
            this.m = m;
            this.a = a;
            this.beta = beta;
            mc = new double[m + 1];
            c = new double[IMPULSE];
            h = new double[IMPULSE];
            // the warping is linear: tabulate each mel-cepstral coefficient's linear cepstrum once
            warp = new double[m + 1][];
            double[] unit = new double[m + 1];
            for (int i = 1; i <= m; i++) {
                unit[i] = 1;
                warp[i] = toLinear(unit, m, a);
                unit[i] = 0;
            }
        }

        /** Oppenheim's recursion: cepstrum on the all-pass-warped axis (constant a) to {@value #IMPULSE} linear terms. */
        static double[] toLinear(double[] mc, int m, double a) {
            double w = -a, ww = 1 - w * w;
            double[] c = new double[IMPULSE], g = new double[IMPULSE];
            for (int i = m; i >= 0; i--) {
                System.arraycopy(c, 0, g, 0, IMPULSE);
                c[0] = mc[i] + w * g[0];
                c[1] = ww * g[0] + w * g[1];
                for (int j = 2; j < IMPULSE; j++) c[j] = g[j - 1] + w * (g[j] - c[j - 1]);
            }
            return c;
        }

        void apply(double[] b) {
            double e1 = energy(b);
            b[1] -= beta * a * b[2];
            for (int k = 2; k <= m; k++) b[k] *= 1 + beta;
            double e2 = energy(b);
            b[0] += 0.5 * Math.log(e1 / e2);
        }

        /** Energy of the truncated impulse response, without the gain term c(0) (it cancels in the ratio). */
        private double energy(double[] b) {
            mc[m] = b[m];
            for (int k = m - 1; k >= 1; k--) mc[k] = b[k] + a * b[k + 1];
            int n = IMPULSE - 1;
            java.util.Arrays.fill(c, 0);
            for (int i = 1; i <= m; i++) {
                double v = mc[i];
                double[] wi = warp[i];
                for (int j = 1; j <= n; j++) c[j] += v * wi[j];
            }
            for (int k = 1; k <= n; k++) c[k] *= k;
            h[0] = 1;
            double e = 1;
            for (int i = 1; i <= n; i++) {
                double s = 0;
                for (int k = 1; k <= i; k++) s += c[k] * h[i - k];
                h[i] = s / i;
                e += h[i] * h[i];
            }
            return e;
        }
    }
}
