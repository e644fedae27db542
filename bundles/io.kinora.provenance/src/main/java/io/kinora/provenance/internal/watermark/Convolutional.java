package io.kinora.provenance.internal.watermark;

/**
 * The rate-1/2, constraint-length-7 convolutional code (generators 171 and 133 octal, the NASA/CCSDS code, free
 * distance 10) with a zero tail, and its soft-decision Viterbi decoder. The watermark's 88-bit code word (64-bit
 * payload + CRC-24) becomes 188 coded bits; decoding from correlation values (sign and reliability) gains several
 * dB over reading each bit alone, and the CRC then checks the result.
 */
final class Convolutional {
    static final int K = 7;
    private static final int STATES = 1 << (K - 1);
    private static final int G1 = 0171;
    private static final int G2 = 0133;

    private Convolutional() {
    }

    /** Number of coded bits for {@code n} information bits (with the K-1 zero tail bits). */
    static int codedLength(int n) {
        return 2 * (n + K - 1);
    }

    static boolean[] encode(boolean[] info) {
        boolean[] out = new boolean[codedLength(info.length)];
        int reg = 0;
        for (int i = 0; i < info.length + K - 1; i++) {
            int bit = i < info.length && info[i] ? 1 : 0;
            reg = ((reg << 1) | bit) & ((1 << K) - 1);
            out[2 * i] = (Integer.bitCount(reg & G1) & 1) != 0;
            out[2 * i + 1] = (Integer.bitCount(reg & G2) & 1) != 0;
        }
        return out;
    }

    /**
     * Maximum-likelihood information bits for soft values (positive = 1, magnitude = reliability), ending in the zero
     * state.
     */
    static boolean[] decode(double[] soft, int n) {
        int steps = n + K - 1;
        if (soft.length != 2 * steps) throw new IllegalArgumentException("expected " + 2 * steps + " soft values, got " + soft.length);
        double[] metric = new double[STATES];
        double[] next = new double[STATES];
        java.util.Arrays.fill(metric, Double.NEGATIVE_INFINITY);
        metric[0] = 0;
        int[][] from = new int[steps][STATES];
        for (int i = 0; i < steps; i++) {
            java.util.Arrays.fill(next, Double.NEGATIVE_INFINITY);
            for (int s = 0; s < STATES; s++) {
                if (metric[s] == Double.NEGATIVE_INFINITY) continue;
                for (int bit = 0; bit <= (i < n ? 1 : 0); bit++) {
                    int reg = (s << 1) | bit;
                    double m = metric[s]
                            + ((Integer.bitCount(reg & G1) & 1) != 0 ? soft[2 * i] : -soft[2 * i])
                            + ((Integer.bitCount(reg & G2) & 1) != 0 ? soft[2 * i + 1] : -soft[2 * i + 1]);
                    int ns = reg & (STATES - 1);
                    if (m > next[ns]) {
                        next[ns] = m;
                        from[i][ns] = s;
                    }
                }
            }
            double[] t = metric;
            metric = next;
            next = t;
        }
        boolean[] info = new boolean[n];
        int s = 0;
        for (int i = steps - 1; i >= 0; i--) {
            if (i < n) info[i] = (s & 1) != 0;
            s = from[i][s];
        }
        return info;
    }
}
