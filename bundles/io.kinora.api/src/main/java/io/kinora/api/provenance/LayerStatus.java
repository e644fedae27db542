package io.kinora.api.provenance;

/**
 * One provenance layer of a file: {@code layer} is one of {@code visible-label}, {@code audio-label},
 * {@code implicit-label}, {@code c2pa}, {@code watermark}; whether it is present, and details.
 */
public record LayerStatus(String layer, boolean present, String detail) {
}
