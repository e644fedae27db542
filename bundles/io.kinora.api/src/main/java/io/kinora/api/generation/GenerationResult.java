package io.kinora.api.generation;

import io.kinora.api.timeline.Timeline;

import java.nio.file.Path;
import java.util.List;

/** A finished job: its id, the MP4s written (primary first), the timeline and the report. */
public record GenerationResult(String jobId, List<Path> outputs, Timeline timeline, JobReport report) {
    public GenerationResult {
        outputs = List.copyOf(outputs);
    }
}
