package io.kinora.provenance.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One operator-defined label policy, factory PID {@value #FACTORY_PID}: add as many as needed (Felix Web Console:
 * Configuration, "Kinora label policy", +; File Install: {@code conf/io.kinora.provenance.labelpolicy-<name>.config}).
 * A scene picks it with {@code labels.policy}; it can also be the provenance service's {@code defaultPolicy}.
 */
@ObjectClassDefinition(id = LabelPolicyConfig.FACTORY_PID, name = "Kinora label policy",
        description = "A custom AI-content label policy (visible label, audio label) selectable per job with labels.policy. The implicit GB 45438 metadata is written under every policy.")
public @interface LabelPolicyConfig {
    String FACTORY_PID = "io.kinora.provenance.labelpolicy";

    @AttributeDefinition(name = "Policy id",
            description = "Id used in labels.policy and defaultPolicy: lower-case letters, digits and '-', 1-32 characters, starting with a letter; not cn, eu or none.")
    String policyId();

    @AttributeDefinition(name = "Description", description = "One line shown in logs, reports and the console.", required = false)
    String description() default "";

    @AttributeDefinition(name = "Visible label", description = "Burn a visible label into the frames.")
    boolean visible() default true;

    @AttributeDefinition(name = "Label text per language",
            description = "Entries lang=text, e.g. de=KI-generiert or pt-br=Gerado por IA. The scene language's full tag is tried, then its primary subtag, then the fallback text.",
            required = false)
    String[] labelTexts() default {};

    @AttributeDefinition(name = "Fallback label text", description = "Label text for languages the list above does not name.")
    String fallbackText() default "AI-generated";

    @AttributeDefinition(name = "Opening (s)",
            description = "The label is on every frame of at least this many seconds from the start (GB 45438 asks for 2).", min = "0", max = "3600")
    double openingSeconds() default 2.0;

    @AttributeDefinition(name = "Persistent after the opening", description = "Keep the label in its corner until the end of the clip.")
    boolean persistent() default true;

    @AttributeDefinition(name = "Corner",
            description = "Where the label sits; 'default' uses labelCorner of configuration io.kinora.provenance.",
            options = {
                    @Option(label = "Service default", value = "default"),
                    @Option(label = "Top left", value = "top-left"),
                    @Option(label = "Top right", value = "top-right"),
                    @Option(label = "Bottom left", value = "bottom-left"),
                    @Option(label = "Bottom right", value = "bottom-right")})
    String corner() default "default";

    @AttributeDefinition(name = "Text height (%)",
            description = "Letter height as a % of the frame's short side, 5-20 (values below 5 are raised to 5: Kinora keeps the GB 45438 minimum under every policy); 0 uses labelHeightPercent of configuration io.kinora.provenance.",
            min = "0", max = "20")
    double heightPercent() default 0;

    @AttributeDefinition(name = "Audio label",
            description = "What is heard at the start of the clip; the first line of dialogue starts after it.",
            options = {
                    @Option(label = "None", value = "none"),
                    @Option(label = "GB 45438 rhythm cue (short-long-short-short)", value = "rhythm-cue"),
                    @Option(label = "Spoken notice (voice service)", value = "spoken-notice")})
    String audioLabel() default "none";

    @AttributeDefinition(name = "Spoken notice per language",
            description = "Entries lang=text for the spoken notice, e.g. de=Dieses Video wurde mit KI erzeugt.", required = false)
    String[] noticeTexts() default {};

    @AttributeDefinition(name = "Fallback spoken notice", description = "Spoken notice for languages the list above does not name.")
    String noticeFallback() default "This video was generated with AI.";

    @AttributeDefinition(name = "Notice voice",
            description = "Voice id that speaks the notice; empty: the first catalogue voice (by id) that speaks the scene language.", required = false)
    String noticeVoice() default "";
}
