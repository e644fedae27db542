package io.kinora.api.scene;

/**
 * AI-content labelling for the clip: a jurisdiction policy id ({@code cn}, {@code eu}, {@code none}, or an
 * operator-defined id) or {@code null} for the operator's default policy.
 */
public record LabelSpec(String policy) {
    public static final LabelSpec DEFAULT = new LabelSpec(null);
}
