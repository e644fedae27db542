package io.kinora.provenance.internal;

import io.kinora.api.provenance.LayerStatus;
import io.kinora.provenance.internal.audio.RhythmCueDetector;
import io.kinora.provenance.internal.visible.LabelDetector;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The visible and audio label layers of {@code verify}, from what the detectors found. */
final class LabelReport {
    /** GB 45438-2025 §5.4: letters at least 5 % of the short side, shown at least 2 s. */
    static final double MIN_PERCENT = 5.0;

    private LabelReport() {
    }

    static LayerStatus of(LabelDetector.Result r, long ms) {
        return of(r, ms, null);
    }

    /** @param recorded the {@code visible} record of the file's valid manifest, or null */
    static LayerStatus of(LabelDetector.Result r, long ms, com.fasterxml.jackson.databind.JsonNode recorded) {
        Map<String, String> facts = new LinkedHashMap<>();
        LabelDetector.Match m = r.match();
        String agrees = "";
        if (recorded != null) {
            String text = recorded.path("text").asText("");
            String corner = recorded.path("corner").asText("");
            int px = recorded.path("heightPx").asInt(-1);
            facts.put("manifest", fmt("\"%s\" %s, %d px, %d opening frames at %d fps%s", text, corner, px, recorded.path("openingFrames").asInt(),
                    recorded.path("fps").asInt(), recorded.path("persistent").asBoolean() ? ", then to the end" : ""));
            boolean same = r.found() && m.text().equals(text) && m.corner().id().equals(corner) && Math.abs(m.sprite().textPx() - px) <= 1;
            facts.put("matchesManifest", String.valueOf(same));
            agrees = same ? "; as the signed manifest records" : "; the signed manifest records " + facts.get("manifest");
        }
        facts.put("size", r.width() + "x" + r.height());
        facts.put("fps", fmt("%.3f", r.fps()));
        if (m != null) {
            facts.put(r.found() ? "text" : "bestCandidate", m.text());
            facts.put("corner", m.corner().id());
            facts.put("score", fmt("%.3f", m.score()));
        }
        facts.put("threshold", fmt("%.2f", LabelDetector.THRESHOLD));
        if (r.runnerUp() != null) facts.put("runnerUp", r.runnerUp().text() + " " + fmt("%.3f", r.runnerUp().score()));
        if (r.found()) {
            facts.put("confidence", fmt("%.3f", r.confidence()));
            facts.put("heightPx", String.valueOf(m.sprite().textPx()));
            facts.put("heightPercent", fmt("%.2f", r.heightPercent()));
            facts.put("box", m.x() + "," + m.y() + " " + m.sprite().width() + "x" + m.sprite().height());
            facts.put("openingFrames", r.openingPresent() + " of " + r.openingChecked());
            facts.put("shownSeconds", fmt("%.2f", r.shownSeconds()));
            facts.put("persistent", String.valueOf(r.toEnd()));
            boolean tall = r.heightPercent() >= MIN_PERCENT;
            boolean longEnough = r.shownSeconds() >= 2.0 - 0.5 / r.fps();
            facts.put("gb45438", tall && longEnough ? "meets the 5 % height and 2 s rules"
                    : (tall ? "" : "letters below 5 % of the short side") + (!tall && !longEnough ? "; " : "") + (longEnough ? "" : "shown less than 2 s"));
        }
        facts.put("frames", r.framesRead() + " of " + r.framesInClip());
        facts.put("checkedSeconds", fmt("%.2f", r.checkedSeconds()));
        if (!r.unrenderable().isEmpty()) facts.put("notSearched", String.join(", ", r.unrenderable()) + " (no font can draw it)");
        facts.put("detectMs", String.valueOf(ms));
        if (!r.found()) {
            String best = m == null ? "no candidate could be scored" : fmt("best candidate \"%s\" %s scores %.2f, threshold %.2f", m.text(), m.corner().id(),
                    m.score(), LabelDetector.THRESHOLD);
            return new LayerStatus(Layers.VISIBLE, false, "no visible AI label found in the opening " + fmt("%.1f s", Math.min(2.0, r.checkedSeconds()))
                    + " (" + best + ")" + agrees, LayerStatus.State.ABSENT, facts);
        }
        String shown = r.toEnd() ? fmt("on every frame checked from the start to the end (%.1f s)", r.checkedSeconds())
                : fmt("from the start for %.2f s", r.shownSeconds());
        String detail = fmt("\"%s\" in the %s corner, letters %d px high (%.1f %% of the %d px short side), %s; correlation %.2f (threshold %.2f)",
                m.text(), m.corner().id(), m.sprite().textPx(), r.heightPercent(), r.shortSide(), shown, m.score(), LabelDetector.THRESHOLD);
        return new LayerStatus(Layers.VISIBLE, true, detail + agrees, LayerStatus.State.PRESENT, facts);
    }

    static LayerStatus of(RhythmCueDetector.Detection d, long ms) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("toneRuns", String.valueOf(d.tones()));
        facts.put("searchedSeconds", fmt("%.2f", d.seconds()));
        if (d.found()) {
            facts.put("rhythm", "short-long-short-short");
            facts.put("frequencyHz", "1000");
            facts.put("start", fmt("%.3f", d.start()));
            facts.put("unitMs", fmt("%.1f", d.unit() * 1000));
            facts.put("edgeErrorMs", fmt("%.1f rms, %.1f max", d.rmsError(), d.maxError()));
            facts.put("purity", fmt("%.3f", d.purity()));
            facts.put("level", fmt("%.3f", d.toneLevel()));
            facts.put("confidence", fmt("%.3f", d.confidence()));
        }
        facts.put("detectMs", String.valueOf(ms));
        if (!d.found()) {
            return new LayerStatus(Layers.AUDIO, false, fmt("no GB 45438 rhythm cue at the start (%d 1 kHz tone run(s) in the first %.1f s, none in the"
                    + " short-long-short-short rhythm)", d.tones(), d.seconds()), LayerStatus.State.ABSENT, facts);
        }
        return new LayerStatus(Layers.AUDIO, true, fmt("GB 45438 rhythm cue short-long-short-short at 1 kHz from %.2f s, unit %.0f ms (edges within"
                + " %.0f ms of the rhythm), tone purity %.2f", d.start(), d.unit() * 1000, d.maxError(), d.purity()), LayerStatus.State.PRESENT, facts);
    }

    private static String fmt(String f, Object... a) {
        return String.format(Locale.ROOT, f, a);
    }
}
