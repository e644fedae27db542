package io.kinora.jobs.internal;

import io.kinora.api.media.RgbImage;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.scene.LineSpec;
import io.kinora.api.scene.Position;
import io.kinora.api.scene.SceneSpec;
import io.kinora.api.vision.Face;
import io.kinora.api.vision.FaceDetector;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The voices' pan: from the scene's positions, else from the faces the model will frame the characters on. */
class SpeakerPanTest {
    /** Faces at known places, standing in for io.kinora.vision's detector: the rule under test is the placement. */
    record Found(List<Face> faces) implements FaceDetector {
        @Override
        public List<Face> detect(RgbImage picture) { return faces; }

        @Override
        public String method() { return "found"; }
    }

    static SceneSpec scene(CharacterSpec... cast) {
        return new SceneSpec(null, "two people talk", null, 24, null, null, null, List.of(cast),
                List.of(new LineSpec(cast[0].id(), "Hello.", null)), null, null, "en", null, 1);
    }

    @Test
    void unplacedSpeakersArePannedToTheirFacesAndGivenPositionsWin() {
        RgbImage picture = RgbImage.blank(1000, 500);
        // faces at x = 0.14 (left) and 0.84 (right); "given" sits at 0.5, on neither
        FaceDetector detector = new Found(List.of(new Face(100, 100, 80, 80, 0.9), new Face(800, 100, 80, 80, 0.8)));
        Map<String, String> choices = new LinkedHashMap<>();
        Map<String, Double> pan = GenerationServiceImpl.pan(scene(new CharacterSpec("ann", null, null, null),
                new CharacterSpec("given", null, null, new Position(0.5, 0.4)),
                new CharacterSpec("bob", null, null, null)), picture, detector, choices);
        assertEquals(-0.432, pan.get("ann"), 1e-9, "leftmost face: (0.14 - 0.5) x 1.2");
        assertEquals(0.0, pan.get("given"), 1e-9);
        assertEquals(0.408, pan.get("bob"), 1e-9, "(0.84 - 0.5) x 1.2");
        assertEquals("ann -0.43 (face in the picture), given +0.00 (scene position), bob +0.41 (face in the picture)", choices.get("pan"));
    }

    @Test
    void withoutADetectorOrAFaceTheVoiceStaysCentredAndTheReportSaysSo() {
        RgbImage picture = RgbImage.blank(1000, 500);
        Map<String, String> choices = new LinkedHashMap<>();
        Map<String, Double> pan = GenerationServiceImpl.pan(scene(new CharacterSpec("ann", null, null, null),
                new CharacterSpec("far", null, null, new Position(1.0, 0.5))), picture, null, choices);
        assertEquals(0.0, pan.get("ann"), 1e-9);
        assertEquals(0.6, pan.get("far"), 1e-9, "kept inside +/-0.6");
        assertEquals("ann +0.00 (no position: centre), far +0.60 (scene position)", choices.get("pan"));

        Map<String, Double> none = GenerationServiceImpl.pan(scene(new CharacterSpec("ann", null, null, null)), picture,
                new Found(List.of()), choices);
        assertEquals(0.0, none.get("ann"), 1e-9);
    }

    @Test
    void aSceneWithoutLinesNeedsNoDetection() {
        Map<String, String> choices = new LinkedHashMap<>();
        SceneSpec silent = new SceneSpec(null, "a bottle", null, 24, null, null, null, List.of(new CharacterSpec("ann", null, null, null)),
                List.of(), null, null, "en", null, 1);
        GenerationServiceImpl.pan(silent, RgbImage.blank(100, 100), null, choices);
        assertFalse(choices.containsKey("pan"));
    }
}
