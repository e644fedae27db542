package io.kinora.api.scene;

/**
 * The ambient sound bed: a preset name, {@code auto} (chosen from prompt and image) or {@code none};
 * and its level in dB relative to the generator's reference level (0 = reference, negative = quieter).
 */
public record AmbienceSpec(String preset, double levelDb) {
    public static final AmbienceSpec AUTO = new AmbienceSpec("auto", 0.0);

    public boolean isNone() { return "none".equalsIgnoreCase(preset); }

    public boolean isAuto() { return preset == null || "auto".equalsIgnoreCase(preset); }
}
