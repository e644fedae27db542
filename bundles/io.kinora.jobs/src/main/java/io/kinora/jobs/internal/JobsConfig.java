package io.kinora.jobs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Kinora Generation", description = "Limits and defaults of the main job (image, prompt and dialogue to a finished clip).")
public @interface JobsConfig {
    String PID = "io.kinora.jobs";

    @AttributeDefinition(name = "Video model", description = "Model id or family that renders clips; the model registry's routing policy picks the version.")
    String model_id() default "parallax";

    @AttributeDefinition(name = "Max image pixels", description = "Largest source image accepted, in pixels (width x height), checked from the file's header before anything is decoded.")
    long max_image_pixels() default 40_000_000L;

    @AttributeDefinition(name = "Max image bytes", description = "Largest source image file accepted, in bytes.")
    long max_image_bytes() default 64L * 1024 * 1024;

    @AttributeDefinition(name = "Min image side (px)", description = "Smallest width or height of a source image accepted, in pixels, as displayed (after the EXIF orientation). A 64 px side is already enlarged at least 17x for a 1080p frame; smaller ones are refused with a message naming the size and this limit.")
    int min_image_side() default 64;

    @AttributeDefinition(name = "Max image aspect ratio", description = "Longest side divided by the shortest side of a source image accepted (10 accepts a 728x90 banner or a 6:1 panorama; a 20:1 strip is refused). Every rendition cover-fits the picture, so a thin strip shows only a small part of itself.")
    double max_image_aspect() default 10.0;

    @AttributeDefinition(name = "Background for transparency", description = "Colour (#RRGGBB) that transparent and translucent pixels of a PNG or GIF are composited over, as on a page; the job report says how much of the picture was transparent.")
    String image_background() default "#FFFFFF";

    @AttributeDefinition(name = "Max scene bytes", description = "Largest SceneSpec JSON document accepted, in bytes.")
    int max_scene_bytes() default 256 * 1024;

    @AttributeDefinition(name = "Max prompt characters", description = "Longest prompt accepted.")
    int max_prompt_chars() default 2000;

    @AttributeDefinition(name = "Max line characters", description = "Longest dialogue line accepted.")
    int max_line_chars() default 500;

    @AttributeDefinition(name = "Max lines", description = "Most dialogue lines in one scene.")
    int max_lines() default 40;

    @AttributeDefinition(name = "Max characters", description = "Most speaking characters in one scene.")
    int max_characters() default 4;

    @AttributeDefinition(name = "Max duration (s)", description = "Longest clip, in seconds.")
    double max_duration_seconds() default 60.0;

    @AttributeDefinition(name = "Max frame rate", description = "Highest frames per second accepted.")
    int max_fps() default 60;

    @AttributeDefinition(name = "Loudness target (LUFS)", description = "Integrated loudness of the master (EBU R128 / ITU-R BS.1770); -16 suits online video, -23 broadcast.")
    double loudness_target() default -16.0;

    @AttributeDefinition(name = "Audio stems", description = "Write one WAV per character, the ambience bed and the mix beside each clip.")
    boolean stems() default true;

    @AttributeDefinition(name = "Burn in captions", description = "Draw the captions into the picture as well as in the captions track and the WebVTT file.")
    boolean burn_in_captions() default false;

    @AttributeDefinition(name = "Lines spoken at once", description = "Dialogue lines synthesized in parallel within one job (each voice engine also bounds its own parallelism); 1 speaks them one after another.")
    int speech_threads() default 2;

    @AttributeDefinition(name = "Model wait (s)", description = "How long a job waits for a video model to become ready before failing.")
    int model_wait_seconds() default 120;
}
