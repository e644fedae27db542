#!/usr/bin/python3
"""Makes the tiny TorchScript models of the torchscript-i2v test model and writes their SHA-256 into model.json.

Run with Debian's python3 (python3-torch 1.13): /usr/bin/python3 models/torchscript-i2v/scripts/make_tiny.py

The three modules have the shapes a real image-to-video export would have, and random (seeded) weights:
  encoder.pt   image [B,3,64,64] in [0,1]          -> latent [B,4,16,16]
  denoiser.pt  (x [B,4,16,16], t [B], cond [B,4,16,16], frame [B]) -> flow-matching velocity [B,4,16,16]
  decoder.pt   latent [B,4,16,16]                  -> image [B,3,64,64] in [0,1]
The denoiser is a rectified-flow velocity v = (x - x0_hat) / t plus a small learned residual, where x0_hat is the
condition pushed in by the frame position, so the untrained network still samples a picture-like, moving result.
An all-zero condition (classifier-free guidance's unconditional branch) pulls toward grey.
"""
import hashlib
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

C = 4
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "main", "resources", "META-INF", "kinora")


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.mix = nn.Conv2d(3, 1, 1)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = image * 2.0 - 1.0
        pooled = F.avg_pool2d(x, 4)
        return torch.cat([pooled, torch.tanh(self.mix(pooled))], 1)


class Denoiser(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Conv2d(2 * C + 2, 32, 3, padding=1)
        self.mid = nn.Conv2d(32, 32, 3, padding=1)
        self.out = nn.Conv2d(32, C, 3, padding=1)

    def forward(self, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor, frame: torch.Tensor) -> torch.Tensor:
        b = x.shape[0]
        h = x.shape[2]
        w = x.shape[3]
        tt = t.view(b, 1, 1, 1).expand(b, 1, h, w)
        ff = frame.view(b, 1, 1, 1).expand(b, 1, h, w)
        z = F.silu(self.inp(torch.cat([x, cond, tt, ff], 1)))
        z = F.silu(self.mid(z)) + z
        # x0_hat: the condition zoomed in by up to 15 % over the clip (a push-in)
        scale = 1.0 - 0.15 * frame
        theta = torch.zeros(b, 2, 3, dtype=x.dtype)
        theta[:, 0, 0] = scale
        theta[:, 1, 1] = scale
        grid = F.affine_grid(theta, [b, cond.shape[1], h, w], align_corners=False)
        x0 = F.grid_sample(cond, grid, mode="bilinear", padding_mode="border", align_corners=False)
        return (x - x0) / t.clamp(min=1e-3).view(b, 1, 1, 1) + 0.05 * torch.tanh(self.out(z))


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.refine = nn.Conv2d(C, 3, 3, padding=1)

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        up = F.interpolate(latent, scale_factor=4.0, mode="bilinear", align_corners=False)
        rgb = (up[:, 0:3] + 1.0) / 2.0 + 0.03 * torch.tanh(self.refine(up))
        return rgb.clamp(0.0, 1.0)


def main():
    torch.manual_seed(20251124)
    files = {}
    for name, module in (("encoder.pt", Encoder()), ("denoiser.pt", Denoiser()), ("decoder.pt", Decoder())):
        scripted = torch.jit.script(module.eval())
        path = os.path.join(OUT, name)
        torch.jit.save(scripted, path)
        with open(path, "rb") as f:
            files[name] = hashlib.sha256(f.read()).hexdigest()
        print(name, os.path.getsize(path), files[name])
    desc_path = os.path.join(OUT, "model.json")
    with open(desc_path, encoding="utf-8") as f:
        desc = json.load(f)
    for entry in desc["files"]:
        entry["sha256"] = files[entry["path"]]
    with open(desc_path, "w", encoding="utf-8") as f:
        json.dump(desc, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
