#!/usr/bin/python3
"""Draws Kinora's sample images procedurally (no third-party pictures).

Run with Debian's python3 (python3-pil):  /usr/bin/python3 samples/make_samples.py
Deterministic: the same script writes the same PNGs.
"""
import math
import os
import random

from PIL import Image, ImageDraw, ImageFilter

HERE = os.path.dirname(os.path.abspath(__file__))


def vertical_gradient(w, h, top, bottom):
    img = Image.new("RGB", (w, h))
    d = ImageDraw.Draw(img)
    for y in range(h):
        t = y / max(1, h - 1)
        d.line([(0, y), (w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    return img


def figure(d, cx, base, scale, coat, skin=(224, 178, 140), hair=(60, 40, 30)):
    """A simple standing person seen from the front: legs, coat, arms, head with hair."""
    s = scale
    d.rectangle([cx - 16 * s, base - 90 * s, cx - 4 * s, base], fill=(40, 40, 55))
    d.rectangle([cx + 4 * s, base - 90 * s, cx + 16 * s, base], fill=(40, 40, 55))
    d.rounded_rectangle([cx - 34 * s, base - 200 * s, cx + 34 * s, base - 80 * s], radius=18 * s, fill=coat)
    d.rounded_rectangle([cx - 48 * s, base - 190 * s, cx - 30 * s, base - 110 * s], radius=8 * s, fill=coat)
    d.rounded_rectangle([cx + 30 * s, base - 190 * s, cx + 48 * s, base - 110 * s], radius=8 * s, fill=coat)
    d.rectangle([cx - 9 * s, base - 214 * s, cx + 9 * s, base - 196 * s], fill=skin)
    d.ellipse([cx - 26 * s, base - 268 * s, cx + 26 * s, base - 208 * s], fill=skin)
    d.chord([cx - 28 * s, base - 274 * s, cx + 28 * s, base - 226 * s], 180, 360, fill=hair)
    d.ellipse([cx - 12 * s, base - 246 * s, cx - 6 * s, base - 239 * s], fill=(30, 30, 30))
    d.ellipse([cx + 6 * s, base - 246 * s, cx + 12 * s, base - 239 * s], fill=(30, 30, 30))
    d.arc([cx - 10 * s, base - 236 * s, cx + 10 * s, base - 222 * s], 20, 160, fill=(120, 50, 50), width=max(1, int(2 * s)))


def harbour(path):
    """Evening harbour: sky, sun, hills, sea with reflections, a pier and two people talking."""
    w, h = 1600, 900
    rnd = random.Random(7)
    img = vertical_gradient(w, h, (58, 82, 140), (247, 176, 120))
    d = ImageDraw.Draw(img)
    d.ellipse([1080, 300, 1220, 440], fill=(255, 220, 150))
    for i in range(7):
        y = 130 + i * 37
        x = rnd.randint(0, w)
        d.rounded_rectangle([x, y, x + rnd.randint(160, 320), y + 26], radius=13, fill=(250, 214, 190))
    hills = [(0, 520)] + [(x, 500 - 70 * math.sin(x / 230.0) - 40 * math.sin(x / 97.0)) for x in range(0, w + 1, 20)] + [(w, 520)]
    d.polygon(hills + [(w, 560), (0, 560)], fill=(70, 80, 110))
    sea = vertical_gradient(w, h - 540, (230, 150, 110), (40, 60, 100))
    img.paste(sea, (0, 540))
    d = ImageDraw.Draw(img)
    for i in range(160):
        y = rnd.randint(548, h - 10)
        x = rnd.randint(0, w)
        ln = rnd.randint(20, 90)
        c = (255, 214, 160) if abs(x - 1150) < 160 else (200, 150, 130)
        d.line([(x, y), (x + ln, y)], fill=c, width=2)
    d.polygon([(0, 700), (760, 640), (800, 660), (0, 760)], fill=(96, 70, 52))
    for px in range(40, 760, 90):
        d.rectangle([px, 660 - px // 14, px + 10, 820 - px // 14], fill=(70, 50, 38))
    figure(d, 470, 800, 1.25, coat=(170, 40, 50))
    figure(d, 1040, 810, 1.3, coat=(40, 110, 160), hair=(200, 180, 120))
    img = img.filter(ImageFilter.SMOOTH)
    img.save(path, optimize=True)


def product(path):
    """A glass bottle on a table against a soft studio backdrop, with a plant."""
    w, h = 1600, 900
    img = vertical_gradient(w, h, (236, 232, 226), (196, 188, 178))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 640, w, h], fill=(150, 112, 84))
    d.line([(0, 640), (w, 640)], fill=(120, 88, 64), width=4)
    d.ellipse([650, 690, 950, 730], fill=(120, 92, 70))
    d.rounded_rectangle([700, 330, 900, 710], radius=40, fill=(40, 120, 90))
    d.rectangle([765, 220, 835, 340], fill=(40, 120, 90))
    d.rectangle([760, 190, 840, 230], fill=(200, 170, 90))
    d.rounded_rectangle([722, 450, 878, 600], radius=10, fill=(245, 240, 228))
    d.rectangle([745, 500, 855, 512], fill=(40, 120, 90))
    d.rectangle([760, 530, 840, 538], fill=(150, 150, 150))
    d.rounded_rectangle([725, 350, 745, 680], radius=10, fill=(120, 200, 170))
    d.rectangle([1150, 520, 1290, 660], fill=(210, 200, 190))
    for i in range(9):
        a = -1.2 + i * 0.3
        d.ellipse([1220 + 150 * math.sin(a) - 30, 500 - 150 * math.cos(a) - 14,
                   1220 + 150 * math.sin(a) + 30, 500 - 150 * math.cos(a) + 14], fill=(70, 130, 70))
        d.line([(1220, 520), (1220 + 150 * math.sin(a), 500 - 150 * math.cos(a))], fill=(60, 110, 60), width=4)
    img = img.filter(ImageFilter.SMOOTH)
    img.save(path, optimize=True)


if __name__ == "__main__":
    harbour(os.path.join(HERE, "harbour.png"))
    product(os.path.join(HERE, "bottle.png"))
    print("wrote harbour.png and bottle.png")
