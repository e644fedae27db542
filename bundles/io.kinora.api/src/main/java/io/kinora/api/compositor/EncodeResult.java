package io.kinora.api.compositor;

import java.nio.file.Path;

/** A finished MP4: path, codecs used, size in bytes, frames written and duration in seconds. */
public record EncodeResult(Path file, String videoCodec, String audioCodec, long bytes, int frames, double duration) {
}
