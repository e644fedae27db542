#!/usr/bin/python3
"""Generates warp.pt, the TorchScript helper of the Kinora 'parallax' model.

DJL has no grid_sample; this module wraps torch.nn.functional.grid_sample (bilinear, border padding,
align_corners=True) together with the few element-wise ops that build the sampling grid of one frame, so the
Java side makes one native call per frame. It has no weights: it is code, not a trained network.

Run with Debian's python3 (python3-torch 1.13; the pyenv python on PATH has no torch):

    /usr/bin/python3 models/parallax/scripts/make_warp.py

It checks the scripted module against the eager one on random input, writes
src/main/resources/META-INF/kinora/warp.pt and puts the file's SHA-256 into model.json beside it (the model
refuses to load a warp.pt whose hash differs from the descriptor's).
"""
import hashlib
import io
import linecache
import os
import re
import sys

import torch
import torch.nn.functional as F

# params layout (float32 vector), see ParallaxWarp.forward and WarpHelper.java
P_CX, P_CY, P_INV_ZOOM, P_TX, P_TY, P_DOLLY, P_FOCAL = 0, 1, 2, 3, 4, 5, 6
P_IMG_SX, P_IMG_SY, P_IMG_OX, P_IMG_OY = 7, 8, 9, 10
P_DEP_SX, P_DEP_SY, P_DEP_OX, P_DEP_OY = 11, 12, 13, 14
P_OUT_W, P_OUT_H = 15, 16
# scene motion (all zero = none; the Java side ramps every amplitude up from 0 at frame 0)
P_SHIMMER_AMP, P_SHIMMER_PHASE, P_SHIMMER_FREQ = 17, 18, 19   # water: view units, radians, radians per view unit
P_DRIFT_X = 20                                                 # sky: view units the clouds have drifted
P_FLICKER_GAIN = 21                                            # light: relative brightness change now
P_PART_A1, P_PART_A2 = 22, 23                                  # particle layers' opacity now
P_PART_X1, P_PART_Y1, P_PART_X2, P_PART_Y2 = 24, 25, 26, 27    # particle layers' shift, whole pixels
P_PART_R, P_PART_G, P_PART_B = 28, 29, 30                      # particle colour (+0.5)
P_PART_N0 = 31                                                 # how many particle pixels belong to layer 1
P_LIGHT_X0, P_LIGHT_Y0 = 32, 33                                # light patch position in the picture, pixels
# foreground layer (fg.size(2) == 0: none): its sampling grid is affine in the output pixel (the layer moves as one
# plane at its own nearness), so it is built per frame from 4 numbers, only over the output box it can cover
P_FG_SX, P_FG_OX, P_FG_SY, P_FG_OY = 34, 35, 36, 37            # patch grid coordinate = pixel * S + O, per axis
P_FG_X0, P_FG_Y0, P_FG_X1, P_FG_Y1 = 38, 39, 40, 41            # output box the patch can reach, pixels [x0, x1)
# what to return: 0 = the finished frame; 1 = only the coarse sampling grid (1, h, w, 2) in the picture's grid
# coordinates, for a caller that upsamples, samples, composites and adds particles itself (ParallaxRenderer's Java
# sampler); a 42-float params vector is mode 0
P_MODE = 42
N_PARAMS = 43
# output pixels between lattice points on both axes (ParallaxRenderer.LATTICE_STEP)
STEP = 8


class ParallaxWarp(torch.nn.Module):
    """Renders one frame of a 2.5D camera move by backward warping, with optional scene motion.

    Coordinates are "view units": the cover-fitted picture spans [-1, 1] on both axes (edge to edge).
    For an output position u (view units at zoom 1, centred), the frame samples the picture at

        v  = c + u / zoom                                  camera: centre c, zoom
        k  = depth(v) - focal                              nearness relative to the focal plane
        v' = v + k * (t + dolly * u)                       parallax: lateral (t) and along the axis (dolly)
        v''= v' - water(v) * shimmer(v, phase)             water ripples (horizontal, a little vertical)
                - sky(v) * (drift, 0)                      clouds drifting to the right

    then converts v'' to grid_sample's normalised coordinates with a per-axis affine map. The motion masks
    (water, sky) are looked up at the same coarse lattice as the depth, in the same grid_sample call.
    Flicker rewrites the light region's patch of the picture in place (its original pixels times
    1 + flicker x light mask), so it costs the patch, not the frame; the picture belongs to one render.
    With a foreground layer, `image` is the background plate (the picture with the subject removed and the hole
    filled) and `depth` holds the plate's nearness; the subject comes separately as a premultiplied RGBA patch
    that moves as one plane at its own nearness k_fg: v_fg = c + k_fg t + u (1/zoom + k_fg dolly), an affine map
    of the output pixel, so its grid costs no upsampling. The patch is sampled (zero padding: transparent outside)
    only over the output box it can reach and composited over the plate: out = F + (1 - a) out.
    Particles are two screen-space layers kept sparse (the pixels they cover, with their alpha): each frame
    shifts them by whole pixels, wrapping around, and blends them over the finished uint8 frame in the particle
    colour, one layer after the other (within a layer the pixels are distinct, so the result is deterministic).
    """

    def forward(self, params: torch.Tensor, image: torch.Tensor, depth: torch.Tensor,
                base: torch.Tensor, particles: torch.Tensor, light: torch.Tensor, fg: torch.Tensor) -> torch.Tensor:
        """
        params:    (42,) or (43,) float32, layout above
        image:     (1, 3, Hi, Wi) float32, pixel value + 0.5 (so the cast to uint8 rounds); its light patch is
                   rewritten in place when flicker is on
        depth:     (1, 4, Hd, Wd) float32: nearness (0 = far, 1 = near), water, sky and light masks (0..1)
        base:      (1, h, w, 2) float32 u (x, y) on a coarse lattice whose corners are the output's corner pixel
                   centres; bilinear upsampling of an affine field is exact, so only the parallax and scene
                   motion terms are interpolated
        particles: (3, N) float32 particle pixels (x, y, alpha) in output pixels, layer 1 first; (3, 0) for none
        light:     (1, 4, hb, wb) float32 the light region's original pixels (+0.5) and light mask, at
                   params[32:34] in the picture; (1, 4, 0, 0) for none
        fg:        (1, 5, hf, wf) float32 the foreground patch: premultiplied colour (+0.5 x alpha), alpha and the
                   light mask (flicker brightens the subject's own light too), its outer ring transparent;
                   (1, 5, 0, 0) for none (single layer)
        returns (H, W, 3) uint8, contiguous; in mode 1 (params[42] == 1) the coarse grid (1, h, w, 2) float32 in
        grid_sample's normalised picture coordinates instead (no light patch rewrite, no sampling, no particles)
        """
        c = params[0:2]
        inv_zoom = params[2]
        t = params[3:5]
        dolly = params[5]
        focal = params[6]
        img_s = params[7:9]
        img_o = params[9:11]
        dep_s = params[11:13]
        dep_o = params[13:15]
        out_w = int(params[15].item())
        out_h = int(params[16].item())
        shimmer = float(params[17].item())
        drift = float(params[20].item())

        v = torch.addcmul(c, base, inv_zoom)
        maps = F.grid_sample(depth, torch.addcmul(dep_o, v, dep_s), mode='bilinear',
                             padding_mode='border', align_corners=True).permute(0, 2, 3, 1)
        k = maps[..., 0:1] - focal
        v = torch.addcmul(v, k, t + base * dolly)
        if shimmer != 0.0:
            phase = params[18]
            freq = params[19]
            vy = v[..., 1:2]
            vx = v[..., 0:1]
            wave = torch.sin(vy * freq + phase + 0.8 * torch.sin(vx * (0.37 * freq) - 0.6 * phase))
            wave2 = torch.sin(vy * (1.7 * freq) - 1.3 * phase + 1.1 * vx * freq * 0.21)
            ripple = torch.cat([wave + 0.5 * wave2, 0.35 * wave2], dim=-1)
            v = v - maps[..., 1:2] * shimmer * ripple
        if drift != 0.0:
            v = torch.cat([v[..., 0:1] - maps[..., 2:3] * drift, v[..., 1:2]], dim=-1)
        if params.size(0) > 42 and float(params[42].item()) == 1.0:
            return torch.addcmul(img_o, v, img_s)
        if light.size(2) > 0:
            x0 = int(params[32].item())
            y0 = int(params[33].item())
            patch = (light[:, 0:3] * (light[:, 3:4] * params[21] + 1.0)).clamp(0.5, 255.5)
            image[:, :, y0:y0 + light.size(2), x0:x0 + light.size(3)].copy_(patch)
        g = torch.addcmul(img_o, v, img_s)
        h = g.size(1)
        if h != out_h or g.size(2) != out_w:
            g = self.upsample(g, out_h, out_w)
        out = F.grid_sample(image, g, mode='bilinear', padding_mode='border', align_corners=True)
        if fg.size(2) > 0:
            x0 = int(params[38].item())
            y0 = int(params[39].item())
            x1 = int(params[40].item())
            y1 = int(params[41].item())
            if x1 > x0 and y1 > y0:
                flicker = light.size(2) > 0
                xs = torch.arange(x0, x1, dtype=torch.float32) * params[34] + params[35]
                ys = torch.arange(y0, y1, dtype=torch.float32) * params[36] + params[37]
                gf = torch.stack([xs.view(1, x1 - x0).expand(y1 - y0, x1 - x0),
                                  ys.view(y1 - y0, 1).expand(y1 - y0, x1 - x0)], dim=-1).unsqueeze(0)
                # the light mask (channel 4) is sampled only while something flickers: a fifth less work
                f = F.grid_sample(fg if flicker else fg[:, 0:4], gf, mode='bilinear', padding_mode='zeros',
                                  align_corners=True)
                box = out[:, :, y0:y1, x0:x1]
                if flicker:
                    # flicker brightens the subject's own light too; only then can the sum pass 255.5
                    colour = f[:, 0:3] * (f[:, 4:5] * params[21] + 1.0)
                    box.mul_(1.0 - f[:, 3:4]).add_(colour).clamp_(0.0, 255.5)
                else:
                    # premultiplied colour <= alpha x 255.5, so the sum stays <= 255.5
                    box.mul_(1.0 - f[:, 3:4]).add_(f[:, 0:3])
        # one kernel: cast (the +0.5 in the picture makes truncation round) and interleave to HWC
        frame = out[0].permute(1, 2, 0).to(dtype=torch.uint8, memory_format=torch.contiguous_format)
        if particles.size(1) > 0:
            # on the finished frame, whole RGB rows at a time: only the covered pixels are touched
            n0 = int(params[31].item())
            rows = frame.view(out_h * out_w, 3)
            colour = params[28:31].view(1, 3)
            for layer in range(2):
                seg = particles[:, 0:n0] if layer == 0 else particles[:, n0:]
                if seg.size(1) > 0:
                    x = torch.remainder(seg[0].to(torch.long) + int(params[24 + 2 * layer].item()), out_w)
                    y = torch.remainder(seg[1].to(torch.long) + int(params[25 + 2 * layer].item()), out_h)
                    idx = y * out_w + x
                    vals = rows.index_select(0, idx).to(torch.float32) + 0.5
                    alpha = (seg[2] * params[22 + layer]).view(-1, 1)
                    rows.index_copy_(0, idx, torch.addcmul(vals, colour - vals, alpha).to(torch.uint8))
        return frame

    def upsample(self, g: torch.Tensor, out_h: int, out_w: int) -> torch.Tensor:
        """Bilinear upsampling of the coarse (1, h, w, 2) grid to (1, out_h, out_w, 2). The Java side puts a
        lattice point at every 8th output pixel centre (0, 8, 16, ..., the last at or past the far edge), so
        each lattice cell is 8 x 8 output pixels with the same 8 weights on each axis: one broadcast lerp per
        axis (along x on the few coarse rows, then along y writing the full grid once). Any other lattice (its
        corners on the output's corner pixel centres) is upsampled generally: interpolate along x, then whole
        rows blended along y."""
        h = g.size(1)
        w = g.size(2)
        step = 8  # STEP (TorchScript takes no global)
        if (h - 1) * step >= out_h and (h - 2) * step < out_h and (w - 1) * step >= out_w and (w - 2) * step < out_w:
            r = torch.arange(step, dtype=torch.float32) * (1.0 / step)
            rows = torch.lerp(g[:, :, :-1].unsqueeze(3), g[:, :, 1:].unsqueeze(3), r.view(1, 1, 1, step, 1))
            rows = rows.reshape(1, h, (w - 1) * step, 2)[:, :, 0:out_w]
            full = torch.lerp(rows[:, :-1].unsqueeze(2), rows[:, 1:].unsqueeze(2), r.view(1, 1, step, 1, 1))
            return full.reshape(1, (h - 1) * step, out_w, 2)[:, 0:out_h]
        rows = F.interpolate(g.permute(0, 3, 1, 2), size=[h, out_w], mode='bilinear',
                             align_corners=True).permute(0, 2, 3, 1).contiguous()
        if h == out_h:
            return rows
        y = torch.arange(out_h, dtype=torch.float32) * ((h - 1) / (out_h - 1))
        y0 = torch.clamp(torch.floor(y), max=float(h - 2))
        wy = (y - y0).view(1, out_h, 1, 1)
        i0 = y0.to(torch.long)
        return torch.lerp(rows.index_select(1, i0), rows.index_select(1, i0 + 1), wy)


def self_check(scripted: torch.jit.ScriptModule) -> None:
    torch.manual_seed(7)
    image = torch.rand(1, 3, 40, 60) * 255 + 0.5
    depth = torch.rand(1, 4, 10, 15)
    h, w, out_h, out_w = 5, 7, 33, 49
    ys = torch.linspace(-0.9, 0.9, h)
    xs = torch.linspace(-0.95, 0.95, w)
    base = torch.stack(torch.meshgrid(xs, ys, indexing='xy'), dim=-1).unsqueeze(0)
    camera = [0.05, -0.02, 1 / 1.1, 0.01, 0.0, -0.02, 0.5,
              0.98, 0.97, 0.01, -0.01, 0.99, 0.95, 0.0, 0.0,
              float(out_w), float(out_h)]
    moving = torch.tensor(camera + [0.01, 1.3, 30.0, 0.02, 0.1, 0.4, 0.3, 3.0, 5.0, -2.0, 1.0,
                                    240.5, 240.5, 250.5, 20.0, 7.0, 5.0])
    still = torch.tensor(camera + [0.0] * (34 - 17 - 3) + [20.0, 7.0, 5.0])
    no_particles = torch.zeros(3, 0)
    no_light = torch.zeros(1, 4, 0, 0)
    no_fg = torch.zeros(1, 5, 0, 0)
    alpha = torch.zeros(1, 1, 14, 18)
    alpha[:, :, 3:11, 4:14] = torch.rand(1, 1, 8, 10)
    fg = torch.cat([image[:, :, 10:24, 20:38] * alpha, alpha, torch.rand(1, 1, 14, 18)], dim=1)
    layer = torch.tensor([0.2, -9.0, 0.25, -6.5, 38.0, 20.0, 49.0, 33.0])
    # 40 distinct pixels, 20 per layer, alpha in [0, 1]
    cells = torch.randperm(out_w * out_h)[:40]
    particles = torch.stack([(cells % out_w).float(), (cells // out_w).float(), torch.rand(40)])
    light = torch.cat([image[:, :, 5:17, 7:30], torch.rand(1, 1, 12, 23)], dim=1)
    module = ParallaxWarp()
    for p, parts, lit, f in [(still, no_particles, no_light, no_fg), (moving, no_particles, no_light, no_fg),
                             (moving, particles, light, no_fg), (torch.cat([moving, layer]), particles, light, fg)]:
        if f.size(2) == 0:
            p = torch.cat([p, torch.zeros(8)])
        eager = module(p, image.clone(), depth, base, parts, lit, f)
        script = scripted(p, image.clone(), depth, base, parts, lit, f)
        if eager.shape != (out_h, out_w, 3) or eager.dtype != torch.uint8 or not torch.equal(eager, script):
            sys.exit('self-check failed: scripted module differs from eager module')
    # mode 1: the coarse grid only, the same points the frame is sampled from (upsampled)
    for p in [still, moving]:
        p = torch.cat([p, torch.zeros(8), torch.ones(1)])
        coarse = scripted(p, image.clone(), depth, base, no_particles, no_light, no_fg)
        if coarse.shape != base.shape or coarse.dtype != torch.float32 or not torch.equal(
                coarse, module(p, image.clone(), depth, base, no_particles, no_light, no_fg)):
            sys.exit('self-check failed: the coarse grid (mode 1) differs between scripted and eager module')
        frame = scripted(p[:42], image.clone(), depth, base, no_particles, no_light, no_fg)
        again = F.grid_sample(image, scripted.upsample(coarse, out_h, out_w), mode='bilinear', padding_mode='border',
                              align_corners=True)[0].permute(1, 2, 0).to(torch.uint8)
        if not torch.equal(frame, again):
            sys.exit('self-check failed: the frame is not sampled from the coarse grid of mode 1')
    still = torch.cat([still, torch.zeros(8)])
    plain = scripted(still, image.clone(), depth, base, no_particles, no_light, no_fg)
    if not torch.equal(plain, scripted(still, image.clone(), depth, base, particles, light, no_fg)):
        sys.exit('self-check failed: zero scene motion changes the frame')
    # a transparent foreground changes nothing; an opaque one covers its box exactly
    clear = torch.cat([still[:34], layer])
    if not torch.equal(plain, scripted(clear, image.clone(), depth, base, no_particles, no_light, fg * 0)):
        sys.exit('self-check failed: a transparent foreground changes the frame')
    solid = torch.cat([torch.full((1, 3, 14, 18), 200.5), torch.ones(1, 1, 14, 18), torch.zeros(1, 1, 14, 18)], dim=1)
    covered = scripted(clear, image.clone(), depth, base, no_particles, no_light, solid)
    if not bool((covered[22:31, 40:49] == 200).all()):
        sys.exit('self-check failed: an opaque foreground does not cover its box')
    # the lattice the Java side sends: a point at every STEP-th pixel centre, the last at or past the far edge
    h8, w8 = (out_h + STEP - 1) // STEP + 1, (out_w + STEP - 1) // STEP + 1
    uy = (torch.arange(h8, dtype=torch.float32) * STEP + 0.5) * (2.0 / out_h) - 1
    ux = (torch.arange(w8, dtype=torch.float32) * STEP + 0.5) * (2.0 / out_w) - 1
    base8 = torch.stack(torch.meshgrid(ux, uy, indexing='xy'), dim=-1).unsqueeze(0)
    for p, parts, lit, f in [(still, no_particles, no_light, no_fg),
                             (torch.cat([moving, layer]), particles, light, fg)]:
        eager = module(p, image.clone(), depth, base8, parts, lit, f)
        script = scripted(p, image.clone(), depth, base8, parts, lit, f)
        if eager.shape != (out_h, out_w, 3) or not torch.equal(eager, script):
            sys.exit('self-check failed: scripted module differs from eager module on the 8-pixel lattice')
    for coarse, hh, ww in [(torch.rand(1, h, w, 2), out_h, out_w), (torch.rand(1, h8, w8, 2), (h8 - 1) * STEP + 1,
                                                                     (w8 - 1) * STEP + 1)]:
        # against one 2-D interpolate (on the 8-pixel lattice: to every pixel up to the last point, then cut)
        direct = F.interpolate(coarse.permute(0, 3, 1, 2), size=[hh, ww], mode='bilinear',
                               align_corners=True).permute(0, 2, 3, 1)[:, 0:out_h, 0:out_w]
        separable = scripted.upsample(coarse, out_h, out_w)
        if separable.shape != direct.shape or (separable - direct).abs().max().item() > 1e-5:
            sys.exit('self-check failed: separable upsampling differs from interpolate')


def fixed_source_path(here: str) -> type:
    """ParallaxWarp compiled from this file's text under the name models/parallax/scripts/make_warp.py: TorchScript
    records the source file's path in warp.pt's debug tables, so without this the bytes (and the hash in
    model.json) would depend on where the checkout lives."""
    name = 'models/parallax/scripts/make_warp.py'
    with open(os.path.join(here, 'make_warp.py'), encoding='utf-8') as f:
        source = f.read()
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    namespace = {'__name__': __name__, 'COMPILING': True}
    exec(compile(source, name, 'exec'), namespace)
    return namespace['ParallaxWarp']


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, '..', 'src', 'main', 'resources', 'META-INF', 'kinora', 'warp.pt')
    scripted = torch.jit.script(fixed_source_path(here)())
    self_check(scripted)
    buf = io.BytesIO()
    torch.jit.save(scripted, buf)
    data = buf.getvalue()  # torch.jit.save writes fixed timestamps: same code, same bytes, same hash
    with open(target, 'wb') as f:
        f.write(data)
    sha = hashlib.sha256(data).hexdigest()
    descriptor = os.path.join(os.path.dirname(target), 'model.json')
    with open(descriptor, encoding='utf-8') as f:
        text = f.read()
    text, n = re.subn(r'("path": "warp\.pt",[^}]*?"sha256": ")[0-9a-f]{64}', r'\g<1>' + sha, text)
    if n != 1:
        sys.exit('model.json has no files[] entry for warp.pt with a sha256 to update')
    with open(descriptor, 'w', encoding='utf-8') as f:
        f.write(text)
    print('torch', torch.__version__)
    print('wrote', os.path.normpath(target), len(data), 'bytes, sha256', sha, '(model.json updated)')


if __name__ == '__main__' and 'COMPILING' not in globals():
    main()
