package io.kinora.provenance.internal;

import io.kinora.provenance.internal.visible.Corner;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One factory configuration {@value LabelPolicyConfig#FACTORY_PID}, parsed once. Registered as a service under
 * this internal class (visible to this bundle only); {@link ProvenanceServiceImpl} binds every one dynamically,
 * so policies come and go without restarting it. An invalid configuration is still registered, carrying its
 * {@link #problem()}: the provenance service then names it when a scene asks for its id.
 */
@Component(service = CustomPolicy.class, configurationPid = LabelPolicyConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = LabelPolicyConfig.class, factory = true)
public final class CustomPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(CustomPolicy.class);
    static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    static final Pattern LANG = Pattern.compile("[a-z]{2,3}(-[a-z0-9]{1,8})*");
    static final Set<String> RESERVED = Set.of(LabelPolicy.CN, LabelPolicy.EU, LabelPolicy.NONE);
    /** Longest label or notice text, in characters. */
    static final int MAX_TEXT = 200;

    private final String configuration;
    private final String askedId;
    private final LabelPolicy policy;
    private final String problem;

    @Activate
    public CustomPolicy(LabelPolicyConfig config, Map<String, Object> properties) {
        this(config, name(properties));
    }

    CustomPolicy(LabelPolicyConfig config, String configuration) {
        this.configuration = configuration;
        this.askedId = config.policyId() == null ? "" : config.policyId().trim().toLowerCase(Locale.ROOT);
        LabelPolicy p = null;
        String why = null;
        try {
            p = parse(config, configuration);
        } catch (IllegalArgumentException e) {
            why = e.getMessage();
        }
        this.policy = p;
        this.problem = why;
        if (p != null) LOG.info("Label policy '{}' defined by configuration {}: {}", p.id(), configuration, p.description());
        else LOG.error("{}; the policy is not available", why);
    }

    /** The configuration as named in messages: its PID, and the File Install file when there is one. */
    static String name(Map<String, Object> properties) {
        Object pid = properties == null ? null : properties.get("service.pid");
        Object file = properties == null ? null : properties.get("felix.fileinstall.filename");
        String n = pid == null ? LabelPolicyConfig.FACTORY_PID + " (no PID)" : pid.toString();
        if (file != null) {
            String f = file.toString();
            n += " (" + f.substring(f.lastIndexOf('/') + 1) + ")";
        }
        return n;
    }

    /** The configuration as named in messages. */
    public String configuration() { return configuration; }

    /** The policy id as configured (lower case), also when the configuration is invalid. */
    public String askedId() { return askedId; }

    /** The parsed policy, or null when the configuration is invalid. */
    public LabelPolicy policy() { return policy; }

    /** Why the configuration is invalid, or null. */
    public String problem() { return problem; }

    /**
     * Checks and reads one configuration.
     *
     * @throws IllegalArgumentException with a message naming the configuration, the property and the problem
     */
    static LabelPolicy parse(LabelPolicyConfig c, String configuration) {
        String where = "Label policy configuration " + configuration + ": ";
        String id = c.policyId() == null ? "" : c.policyId().trim();
        if (id.isEmpty()) throw new IllegalArgumentException(where + "policyId is empty");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(where + "policyId \"" + id + "\" must be 1-32 lower-case letters, digits or '-', starting with a letter");
        }
        if (RESERVED.contains(id)) {
            throw new IllegalArgumentException(where + "policyId \"" + id + "\" is a built-in policy (cn, eu, none); choose another id");
        }
        boolean visible = c.visible();
        Map<String, String> texts = entries(c.labelTexts(), "labelTexts", where);
        String fallback = c.fallbackText() == null ? "" : c.fallbackText().strip();
        if (fallback.length() > MAX_TEXT) throw new IllegalArgumentException(where + "fallbackText is longer than " + MAX_TEXT + " characters");
        if (visible && fallback.isEmpty()) {
            throw new IllegalArgumentException(where + "fallbackText is empty, but the visible label is on (it is the text for languages labelTexts does not name)");
        }
        double opening = c.openingSeconds();
        if (!(opening >= 0) || opening > 3600) throw new IllegalArgumentException(where + "openingSeconds " + opening + " is not between 0 and 3600");
        if (visible && opening == 0 && !c.persistent()) {
            throw new IllegalArgumentException(where + "openingSeconds is 0 and persistent is off: the visible label would never be shown");
        }
        Corner corner = null;
        String cornerId = c.corner() == null ? "" : c.corner().trim();
        if (!cornerId.isEmpty() && !cornerId.equalsIgnoreCase("default")) {
            corner = Corner.fromId(cornerId);
            if (corner == null) {
                throw new IllegalArgumentException(where + "corner \"" + cornerId + "\" is not one of default, top-left, top-right, bottom-left, bottom-right");
            }
        }
        double height = c.heightPercent();
        if (Double.isNaN(height) || height < 0 || height > 20) {
            throw new IllegalArgumentException(where + "heightPercent " + height + " is not between 0 (service default) and 20");
        }
        if (height == 0) {
            height = Double.NaN;
        } else if (height < 5) {
            LOG.warn("{}heightPercent {} is below the GB 45438 minimum Kinora keeps under every policy; using 5", where, height);
            height = 5;
        }
        LabelPolicy.Audio audio = LabelPolicy.Audio.fromId(c.audioLabel() == null || c.audioLabel().isBlank() ? "none" : c.audioLabel());
        if (audio == null) {
            throw new IllegalArgumentException(where + "audioLabel \"" + c.audioLabel() + "\" is not one of none, rhythm-cue, spoken-notice");
        }
        Map<String, String> notices = entries(c.noticeTexts(), "noticeTexts", where);
        String noticeFallback = c.noticeFallback() == null ? "" : c.noticeFallback().strip();
        if (noticeFallback.length() > MAX_TEXT) throw new IllegalArgumentException(where + "noticeFallback is longer than " + MAX_TEXT + " characters");
        if (audio == LabelPolicy.Audio.SPOKEN_NOTICE && noticeFallback.isEmpty()) {
            throw new IllegalArgumentException(where + "noticeFallback is empty, but audioLabel is spoken-notice (it is the notice for languages noticeTexts does not name)");
        }
        String voice = c.noticeVoice() == null ? "" : c.noticeVoice().trim();
        String description = c.description() == null || c.description().isBlank() ? describe(visible, texts, fallback, opening, c.persistent(), audio)
                : c.description().strip();
        return new LabelPolicy(id, description, visible, false, opening, c.persistent(), audio, texts, fallback, corner, height,
                audio == LabelPolicy.Audio.SPOKEN_NOTICE ? notices : Map.of(), noticeFallback, voice, configuration);
    }

    /** {@code lang=text} entries, keys lower-cased; blank entries are skipped. */
    static Map<String, String> entries(String[] raw, String property, String where) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null) return m;
        for (int i = 0; i < raw.length; i++) {
            String e = raw[i] == null ? "" : raw[i].strip();
            if (e.isEmpty()) continue;
            int eq = e.indexOf('=');
            String entry = property + " entry " + (i + 1) + " \"" + e + "\"";
            if (eq < 0) throw new IllegalArgumentException(where + entry + " is not lang=text (e.g. de=KI-generiert)");
            String lang = e.substring(0, eq).trim().toLowerCase(Locale.ROOT).replace('_', '-');
            String text = e.substring(eq + 1).strip();
            if (!LANG.matcher(lang).matches()) {
                throw new IllegalArgumentException(where + entry + ": \"" + lang + "\" is not a language tag (BCP 47, e.g. de, pt-br)");
            }
            if (text.isEmpty()) throw new IllegalArgumentException(where + entry + " has no text after '='");
            if (text.length() > MAX_TEXT) throw new IllegalArgumentException(where + entry + " is longer than " + MAX_TEXT + " characters");
            if (m.containsKey(lang)) throw new IllegalArgumentException(where + entry + ": language " + lang + " is given twice");
            m.put(lang, text);
        }
        return m;
    }

    private static String describe(boolean visible, Map<String, String> texts, String fallback, double opening, boolean persistent,
                                   LabelPolicy.Audio audio) {
        StringBuilder b = new StringBuilder("custom: ");
        if (visible) {
            b.append("visible \"").append(fallback).append('"');
            if (!texts.isEmpty()) b.append(" (").append(texts.size()).append(" language").append(texts.size() == 1 ? "" : "s").append(')');
            b.append(persistent ? " for the whole clip" : String.format(Locale.ROOT, " for the first %.1f s", opening));
        } else {
            b.append("no visible label");
        }
        b.append(", audio ").append(audio.id()).append(", implicit metadata");
        return b.toString();
    }
}
