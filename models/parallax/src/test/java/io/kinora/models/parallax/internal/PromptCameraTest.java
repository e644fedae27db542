package io.kinora.models.parallax.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.kinora.api.scene.CameraMove;
import io.kinora.api.scene.CameraSpec;

class PromptCameraTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "A fishing harbour at dawn, slowly zoom in on the red boat | push-in | push-in: prompt says 'zoom in'",
        "Push in on her face | push-in | push-in: prompt says 'push in'",
        "The camera pulls back to reveal the city | pull-out | pull-out: prompt says 'pulls back'",
        "Reveal the whole valley | pull-out | pull-out: prompt says 'reveal'",
        "Zoom out as the sun sets | pull-out | pull-out: prompt says 'zoom out'",
        "Pan left across the market | pan-left | pan-left: prompt says 'pan left'",
        "Slow pan to the right | pan-right | pan-right: prompt says 'pan to the right'",
        "A slow pan across the skyline | pan-right | pan-right: prompt says 'pan across' (no direction given: left to right)",
        "Tilt up to the mountain peak | tilt-up | tilt-up: prompt says 'tilt up'",
        "The camera looks down at the river | tilt-down | tilt-down: prompt says 'looks down'",
        "Static shot, two friends talking | static | static: prompt says 'static'",
        "Locked-off frame of a quiet street | static | static: prompt says 'locked-off'",
        "Zoom in, then pan left | push-in | push-in: prompt says 'zoom in'",
        "Pan left then zoom in | pan-left | pan-left: prompt says 'pan left'",
        "镜头缓慢推进，海边日落 | push-in | push-in: prompt says '推进'",
        "镜头拉远，展现整个城市 | pull-out | pull-out: prompt says '拉远'",
        "Two people chat in a cafe | push-in | push-in: default (the prompt names no camera move)",
        "A panorama of the coast | push-in | push-in: default (the prompt names no camera move)",
        "Slowly orbit around the perfume bottle | arc-right | arc-right: prompt says 'orbit' (no direction given: orbit to the right)",
        "Orbit left around the car | arc-left | arc-left: prompt says 'orbit left'",
        "Arc to the right around the chef | arc-right | arc-right: prompt says 'arc to the right'",
        "Crane up over the rooftops | crane-up | crane-up: prompt says 'crane up'",
        "Boom down to the table | crane-down | crane-down: prompt says 'boom down'",
        "Handheld shot of a busy market | handheld | handheld: prompt says 'handheld'",
        "A dolly zoom on his face | dolly-zoom | dolly-zoom: prompt says 'dolly zoom'",
        "Tilt up to the sky, the sun rising | tilt-up | tilt-up: prompt says 'tilt up'",
        "手持镜头，街头小吃 | handheld | handheld: prompt says '手持'",
        "镜头环绕花瓶 | arc-right | arc-right: prompt says '环绕' (no direction given: orbit to the right)",
    })
    void autoFollowsThePrompt(String prompt, String move, String reason) {
        PromptCamera.Choice c = PromptCamera.choose(CameraSpec.DEFAULT, prompt);
        assertEquals(move, c.move().id());
        assertEquals(reason, c.reason());
    }

    @ParameterizedTest
    @CsvSource({"PAN_LEFT", "STATIC", "PULL_OUT"})
    void explicitMoveWins(CameraMove move) {
        PromptCamera.Choice c = PromptCamera.choose(new CameraSpec(move, 0.5, true), "zoom in");
        assertEquals(move, c.move());
        assertEquals(move.id() + ": requested by camera.move", c.reason());
    }
}
