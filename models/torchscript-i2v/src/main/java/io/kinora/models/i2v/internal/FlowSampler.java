package io.kinora.models.i2v.internal;

import java.util.Random;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import io.kinora.api.media.Cancellation;
import io.kinora.api.media.RgbImage;

/**
 * The sampling loop, in Java around the TorchScript modules: rectified-flow Euler integration from seeded Gaussian
 * noise (t = 1) to the clean latent (t = 0) with classifier-free guidance
 * {@code v = v_uncond + g * (v_cond - v_uncond)} (one batched denoiser call of 2 per step), then the decoder.
 * Every frame starts from the same noise (seeded by the scene seed), so the clip is temporally coherent; the frame
 * position is an input of the denoiser. Deterministic: same picture, seed, steps and guidance give the same frames.
 */
final class FlowSampler {

    private final TorchScriptModule encoder;
    private final TorchScriptModule denoiser;
    private final TorchScriptModule decoder;
    private final I2vDescriptor d;

    FlowSampler(TorchScriptModule encoder, TorchScriptModule denoiser, TorchScriptModule decoder, I2vDescriptor d) {
        this.encoder = encoder;
        this.denoiser = denoiser;
        this.decoder = decoder;
        this.d = d;
    }

    /** The condition latent [1,C,L,L] of a picture cover-fitted to size x size. */
    NDArray encode(NDManager m, RgbImage image) {
        float[] chw = Pixels.coverFitChw(image, d.size());
        NDArray x = m.create(chw, new Shape(1, 3, d.size(), d.size()));
        return encoder.forward(m, new NDList(x)).singletonOrThrow();
    }

    /** Seeded standard-normal noise [1,C,L,L]. */
    NDArray noise(NDManager m, long seed) {
        int n = d.latentChannels() * d.latentSize() * d.latentSize();
        float[] z = new float[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) z[i] = (float) r.nextGaussian();
        return m.create(z, new Shape(1, d.latentChannels(), d.latentSize(), d.latentSize()));
    }

    /** One frame: size x size x 3 floats (HWC, 0..1). */
    float[] sample(NDManager m, NDArray cond, NDArray noise, float framePos, int steps, double guidance,
                   Cancellation cancel) {
        NDArray uncond = cond.zerosLike();
        NDArray conds = NDArrays.concat(new NDList(cond, uncond));
        NDArray frame = m.create(new float[] {framePos, framePos});
        NDArray x = noise;
        float dt = 1f / steps;
        for (int i = 0; i < steps; i++) {
            cancel.check();
            float t = 1f - i * dt;
            NDArray xx = NDArrays.concat(new NDList(x, x));
            NDArray v2 = denoiser.forward(m, new NDList(xx, m.create(new float[] {t, t}), conds, frame)).singletonOrThrow();
            NDList parts = v2.split(2);
            NDArray vc = parts.get(0);
            NDArray vu = parts.get(1);
            NDArray v = vu.add(vc.sub(vu).mul((float) guidance));
            x = x.sub(v.mul(dt));
        }
        NDArray rgb = decoder.forward(m, new NDList(x)).singletonOrThrow(); // [1,3,S,S]
        return rgb.squeeze(0).transpose(1, 2, 0).toFloatArray();
    }
}
