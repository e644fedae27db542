package io.kinora.models.parallax.internal;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kinora.api.scene.CameraMove;
import io.kinora.api.scene.CameraSpec;

/**
 * Picks the camera move: the scene's {@code camera.move} when it names one, otherwise (AUTO) the move the prompt
 * asks for. The earliest camera phrase in the prompt wins (a clip has one move); at the same position the longer
 * phrase wins ("pan left" over "pan"). No camera phrase: push-in, the gentlest move that still reads as motion.
 */
final class PromptCamera {

    /** The chosen move and the reason, for the job report. */
    record Choice(CameraMove move, String reason) {
    }

    private record Rule(Pattern pattern, CameraMove move) {
    }

    private static final String S = "(?:s|es|ed|ing)?";

    private static final List<Rule> RULES = List.of(
            rule("\\bpan" + S + "\\s+(?:to\\s+the\\s+|towards?\\s+the\\s+)?left\\b", CameraMove.PAN_LEFT),
            rule("\\b(?:track|truck|slide|move|drift)" + S + "\\s+(?:to\\s+the\\s+)?left\\b", CameraMove.PAN_LEFT),
            rule("\\bpan" + S + "\\s+(?:to\\s+the\\s+|towards?\\s+the\\s+)?right\\b", CameraMove.PAN_RIGHT),
            rule("\\b(?:track|truck|slide|move|drift)" + S + "\\s+(?:to\\s+the\\s+)?right\\b", CameraMove.PAN_RIGHT),
            rule("\\bpan(?:s|ned|ning)?(?:\\s+across)?\\b", CameraMove.PAN_RIGHT),
            rule("\\b(?:tilt|pan|look)" + S + "\\s+up(?:wards?)?\\b", CameraMove.TILT_UP),
            rule("\\b(?:tilt|pan|look)" + S + "\\s+down(?:wards?)?\\b", CameraMove.TILT_DOWN),
            rule("\\b(?:crane|boom|jib)" + S + "\\s+up(?:wards?)?\\b", CameraMove.CRANE_UP),
            rule("\\b(?:crane|boom|jib)" + S + "\\s+down(?:wards?)?\\b", CameraMove.CRANE_DOWN),
            rule("\\bcrane\\s+shot\\b", CameraMove.CRANE_UP),
            rule("\\bcamera\\s+(?:rises|rising|ascends|ascending|goes\\s+up)\\b", CameraMove.CRANE_UP),
            rule("\\bcamera\\s+(?:descends|descending|sinks|sinking|goes\\s+down)\\b", CameraMove.CRANE_DOWN),
            rule("\\b(?:orbit|arc|circl(?:e|es|ed|ing))" + S + "\\s+(?:around\\s+\\S+\\s+)?(?:to\\s+the\\s+)?left\\b", CameraMove.ARC_LEFT),
            rule("\\b(?:orbit|arc|circl(?:e|es|ed|ing))" + S + "\\s+(?:around\\s+\\S+\\s+)?(?:to\\s+the\\s+)?right\\b", CameraMove.ARC_RIGHT),
            rule("\\b(?:orbit(?:s|ed|ing)?|arc(?:s|ed|ing)?\\s+(?:shot|around)|circl(?:e|es|ed|ing)\\s+around)\\b", CameraMove.ARC_RIGHT),
            rule("\\bdolly[- ]zoom\\b|\\bvertigo\\s+(?:shot|effect|zoom)\\b|\\bzolly\\b|\\bcontra[- ]zoom\\b", CameraMove.DOLLY_ZOOM),
            rule("\\bhand[- ]?held\\b|\\bshaky[- ]?cam(?:era)?\\b|\\bdocumentary[- ]style\\b", CameraMove.HANDHELD),
            rule("\\bzoom" + S + "\\s+in\\b", CameraMove.PUSH_IN),
            rule("\\bpush" + S + "(?:\\s+in)?\\b", CameraMove.PUSH_IN),
            rule("\\bdoll(?:y|ies|ied|ying)\\s+in\\b", CameraMove.PUSH_IN),
            rule("\\b(?:move|moves|moving|creep|creeps|creeping)\\s+(?:in|closer)\\b", CameraMove.PUSH_IN),
            rule("\\bclose[- ]?up\\b", CameraMove.PUSH_IN),
            rule("\\bzoom" + S + "\\s+out\\b", CameraMove.PULL_OUT),
            rule("\\bpull" + S + "\\s+(?:back|out|away)\\b", CameraMove.PULL_OUT),
            rule("\\bdoll(?:y|ies|ied|ying)\\s+(?:out|back)\\b", CameraMove.PULL_OUT),
            rule("\\breveal" + S + "\\b", CameraMove.PULL_OUT),
            rule("\\bwiden" + S + "\\b", CameraMove.PULL_OUT),
            rule("\\bstatic\\b", CameraMove.STATIC),
            rule("\\b(?:still|fixed|locked|steady)\\s+camera\\b", CameraMove.STATIC),
            rule("\\blocked[- ]off\\b", CameraMove.STATIC),
            rule("\\btripod\\b", CameraMove.STATIC),
            rule("\\bno\\s+camera\\s+(?:move|movement|motion)\\b", CameraMove.STATIC),
            rule("推进|推近|拉近|放大", CameraMove.PUSH_IN),
            rule("拉远|拉开|后拉|缩小", CameraMove.PULL_OUT),
            rule("左摇|向左(?:平移|摇|移)", CameraMove.PAN_LEFT),
            rule("右摇|向右(?:平移|摇|移)", CameraMove.PAN_RIGHT),
            rule("上摇|仰拍|向上(?:摇|移)", CameraMove.TILT_UP),
            rule("下摇|俯拍|向下(?:摇|移)", CameraMove.TILT_DOWN),
            rule("固定镜头|静止镜头", CameraMove.STATIC),
            rule("向左环绕|左环绕", CameraMove.ARC_LEFT),
            rule("环绕|绕拍", CameraMove.ARC_RIGHT),
            rule("希区柯克变焦|滑动变焦|眩晕镜头", CameraMove.DOLLY_ZOOM),
            rule("升镜头|镜头上升|摇臂上升", CameraMove.CRANE_UP),
            rule("降镜头|镜头下降|摇臂下降", CameraMove.CRANE_DOWN),
            rule("手持", CameraMove.HANDHELD));

    private PromptCamera() {
    }

    private static Rule rule(String regex, CameraMove move) {
        return new Rule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), move);
    }

    static Choice choose(CameraSpec camera, String prompt) {
        if (camera.move() != CameraMove.AUTO) {
            return new Choice(camera.move(), camera.move().id() + ": requested by camera.move");
        }
        String text = prompt == null ? "" : prompt.toLowerCase(Locale.ROOT);
        int bestStart = Integer.MAX_VALUE;
        int bestLength = -1;
        Rule best = null;
        String phrase = null;
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(text);
            if (m.find()) {
                int len = m.end() - m.start();
                if (m.start() < bestStart || (m.start() == bestStart && len > bestLength)) {
                    bestStart = m.start();
                    bestLength = len;
                    best = r;
                    phrase = text.substring(m.start(), m.end());
                }
            }
        }
        if (best == null) {
            return new Choice(CameraMove.PUSH_IN, "push-in: default (the prompt names no camera move)");
        }
        String reason = best.move().id() + ": prompt says '" + phrase + "'";
        if (best.move() == CameraMove.PAN_RIGHT && !phrase.contains("right")
                && !phrase.contains("右")) {
            reason += " (no direction given: left to right)";
        }
        if (best.move() == CameraMove.ARC_RIGHT && !phrase.contains("right")) {
            reason += " (no direction given: orbit to the right)";
        }
        return new Choice(best.move(), reason);
    }
}
