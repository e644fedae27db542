package io.kinora.voice.internal;

import io.kinora.api.media.StageException;
import io.kinora.api.scene.CharacterSpec;
import io.kinora.api.voice.Speech;
import io.kinora.api.voice.SpeechRequest;
import io.kinora.api.voice.VoiceEngine;
import io.kinora.api.voice.VoiceInfo;
import io.kinora.api.voice.VoiceService;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The voice catalogue over every registered {@link VoiceEngine}: the union of their voices (sorted by id),
 * casting of characters to voices, and routing of each line to the engine that owns its voice. Engines come
 * and go at run time (a dynamic, greedy reference); a voice id offered by two engines belongs to the engine
 * with the higher service ranking.
 */
@Component(service = VoiceService.class, configurationPid = VoiceServiceImpl.PID)
@Designate(ocd = VoiceServiceImpl.Config.class)
public final class VoiceServiceImpl implements VoiceService {
    public static final String PID = "io.kinora.voice";
    /** How many voice ids an error message lists at most. */
    static final int LISTED_VOICES = 12;

    @ObjectClassDefinition(name = "Kinora voice service",
            description = "Voice catalogue, casting of characters to voices and speech synthesis limits")
    public @interface Config {
        @AttributeDefinition(name = "Default language",
                description = "BCP 47 language used when a scene or request names none, e.g. en")
        String defaultLanguage() default "en";

        @AttributeDefinition(name = "Maximum line length",
                description = "Longest line of dialogue, in characters, that one speak request may carry", min = "1")
        int maxLineLength() default 500;
    }

    private static final Logger LOG = LoggerFactory.getLogger(VoiceServiceImpl.class);

    private final String defaultLanguage;
    private final int maxLineLength;
    private final List<Registered> engines = new CopyOnWriteArrayList<>();

    @Activate
    public VoiceServiceImpl(Config config) {
        this(config.defaultLanguage(), config.maxLineLength());
    }

    public VoiceServiceImpl(String defaultLanguage, int maxLineLength) {
        if (defaultLanguage == null || defaultLanguage.isBlank()) {
            throw new IllegalArgumentException("defaultLanguage must not be empty");
        }
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be positive, was " + maxLineLength);
        }
        this.defaultLanguage = defaultLanguage.trim();
        this.maxLineLength = maxLineLength;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addEngine(VoiceEngine engine, Map<String, Object> properties) {
        engines.add(new Registered(engine, ranking(properties), serviceId(properties)));
        LOG.info("Voice engine '{}' added with {} voices", engine.id(), engine.voices().size());
        Map<String, Owner> owners = owners();
        for (VoiceInfo v : engine.voices()) {
            for (Registered other : engines) {
                if (other.engine != engine && other.engine.voices().stream().anyMatch(o -> o.id().equals(v.id()))) {
                    LOG.warn("Voice id '{}' is offered by engines '{}' and '{}'; '{}' serves it", v.id(),
                            other.engine.id(), engine.id(), owners.get(v.id()).engine.id());
                }
            }
        }
    }

    public void removeEngine(VoiceEngine engine) {
        engines.removeIf(r -> r.engine == engine);
        LOG.info("Voice engine '{}' removed", engine.id());
    }

    @Override
    public List<VoiceInfo> voices() {
        return owners().values().stream().map(o -> o.voice).collect(Collectors.toUnmodifiableList());
    }

    @Override
    public Map<String, String> cast(List<CharacterSpec> characters, String language) {
        String lang = language == null || language.isBlank() ? defaultLanguage : language.trim();
        Map<String, Owner> owners = owners();
        List<VoiceInfo> candidates = owners.values().stream().map(o -> o.voice)
                .filter(v -> v.speaks(lang)).collect(Collectors.toList());
        Map<String, String> cast = new LinkedHashMap<>();
        if (characters == null || characters.isEmpty()) {
            return cast;
        }
        List<VoiceInfo> requested = new ArrayList<>();
        List<CharacterSpec> open = new ArrayList<>();
        List<CharacterSpec> byTraits = new ArrayList<>();
        for (CharacterSpec c : characters) {
            if (c.voice() == null || c.voice().isBlank()) {
                open.add(c);
                continue;
            }
            if (VoiceTraits.isTraits(c.voice())) {
                if (VoiceTraits.words(c.voice()).isEmpty()) {
                    throw new StageException("character " + describe(c) + " asks for voice '" + c.voice()
                            + "' but names no traits (e.g. 'traits:older man, calm')");
                }
                byTraits.add(c);
                continue;
            }
            Owner owner = owners.get(c.voice().trim());
            if (owner == null) {
                throw new StageException("character " + describe(c) + " asks for voice '" + c.voice()
                        + "', which is not in the voice catalogue; " + available(candidates, lang, owners));
            }
            if (!owner.voice.speaks(lang)) {
                throw new StageException("character " + describe(c) + " asks for voice '" + c.voice()
                        + "', which cannot speak language '" + lang + "' (it speaks "
                        + String.join(", ", owner.voice.languages()) + "); " + available(candidates, lang, owners));
            }
            requested.add(owner.voice);
        }
        if ((!open.isEmpty() || !byTraits.isEmpty()) && candidates.isEmpty()) {
            CharacterSpec first = open.isEmpty() ? byTraits.get(0) : open.get(0);
            throw new StageException("no voice in the catalogue speaks language '" + lang + "', so character "
                    + describe(first) + " cannot be given one; " + available(candidates, lang, owners));
        }
        Map<String, String> traitVoices = new java.util.HashMap<>();
        java.util.Set<String> inScene = new java.util.HashSet<>();
        requested.forEach(v -> inScene.add(v.id()));
        for (CharacterSpec c : byTraits) {
            VoiceInfo v = VoiceTraits.best(c.voice(), candidates, inScene);
            traitVoices.put(c.id(), v.id());
            inScene.add(v.id());
            requested.add(v);
        }
        List<String> chosen = open.isEmpty() ? List.of() : VoiceCasting.choose(candidates, requested, open.size());
        int next = 0;
        for (CharacterSpec c : characters) {
            String voice = c.voice() == null || c.voice().isBlank() ? chosen.get(next++)
                    : traitVoices.getOrDefault(c.id(), c.voice().trim());
            cast.put(c.id(), voice);
        }
        LOG.debug("Cast for {}: {}", lang, cast);
        return cast;
    }

    @Override
    public Speech speak(SpeechRequest request) {
        if (request == null) {
            throw new StageException("nothing to speak: the speech request is missing");
        }
        if (request.voice() == null || request.voice().isBlank()) {
            throw new StageException("the speech request names no voice");
        }
        if (request.text() == null || request.text().isBlank()) {
            throw new StageException("nothing to speak for voice '" + request.voice() + "': the text is empty");
        }
        int length = request.text().codePointCount(0, request.text().length());
        if (length > maxLineLength) {
            throw new StageException("line for voice '" + request.voice() + "' is " + length
                    + " characters long; the limit is " + maxLineLength
                    + " (maxLineLength in configuration " + PID + ")");
        }
        Map<String, Owner> owners = owners();
        Owner owner = owners.get(request.voice().trim());
        String lang = request.language() == null || request.language().isBlank()
                ? defaultLanguage : request.language().trim();
        if (owner == null) {
            List<VoiceInfo> all = owners.values().stream().map(o -> o.voice).collect(Collectors.toList());
            throw new StageException("unknown voice '" + request.voice() + "'; " + available(all, null, owners));
        }
        SpeechRequest routed = new SpeechRequest(owner.voice.id(), request.text(), lang);
        try {
            return owner.engine.synthesize(routed);
        } catch (StageException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Voice engine '{}' failed on voice '{}'", owner.engine.id(), owner.voice.id(), e);
            throw new StageException("voice engine '" + owner.engine.id() + "' failed to speak with voice '"
                    + owner.voice.id() + "': " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    /** Voice id to the engine serving it, sorted by id; higher-ranked engines win duplicate ids. */
    private Map<String, Owner> owners() {
        List<Registered> ordered = new ArrayList<>(engines);
        ordered.sort(Comparator.comparingInt((Registered r) -> r.ranking).reversed()
                .thenComparingLong(r -> r.serviceId));
        Map<String, Owner> owners = new TreeMap<>();
        for (Registered r : ordered) {
            for (VoiceInfo v : r.engine.voices()) {
                owners.putIfAbsent(v.id(), new Owner(r.engine, v));
            }
        }
        return owners;
    }

    private String available(List<VoiceInfo> forLanguage, String lang, Map<String, Owner> owners) {
        if (owners.isEmpty()) {
            return "no voice engine is installed";
        }
        List<String> ids = forLanguage.stream().map(VoiceInfo::id).collect(Collectors.toList());
        String scope = lang == null ? "available voices" : "voices for '" + lang + "'";
        if (ids.isEmpty()) {
            String languages = owners.values().stream().flatMap(o -> o.voice.languages().stream())
                    .distinct().sorted().collect(Collectors.joining(", "));
            return "the installed engines speak: " + languages;
        }
        String listed = ids.stream().limit(LISTED_VOICES).collect(Collectors.joining(", "));
        return scope + ": " + listed + (ids.size() > LISTED_VOICES ? " and " + (ids.size() - LISTED_VOICES) + " more" : "");
    }

    private static String describe(CharacterSpec c) {
        String name = c.displayName();
        return "'" + c.id() + "'" + (name.equals(c.id()) ? "" : " (" + name + ")");
    }

    private static int ranking(Map<String, Object> properties) {
        Object r = properties == null ? null : properties.get(Constants.SERVICE_RANKING);
        return r instanceof Integer ? (Integer) r : 0;
    }

    private static long serviceId(Map<String, Object> properties) {
        Object id = properties == null ? null : properties.get(Constants.SERVICE_ID);
        return id instanceof Long ? (Long) id : Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "VoiceService[" + engines.stream().map(r -> r.engine.id()).collect(Collectors.joining(","))
                + "; default language " + defaultLanguage.toLowerCase(Locale.ROOT) + "]";
    }

    private static final class Registered {
        final VoiceEngine engine;
        final int ranking;
        final long serviceId;

        Registered(VoiceEngine engine, int ranking, long serviceId) {
            this.engine = engine;
            this.ranking = ranking;
            this.serviceId = serviceId;
        }
    }

    private static final class Owner {
        final VoiceEngine engine;
        final VoiceInfo voice;

        Owner(VoiceEngine engine, VoiceInfo voice) {
            this.engine = engine;
            this.voice = voice;
        }
    }
}
