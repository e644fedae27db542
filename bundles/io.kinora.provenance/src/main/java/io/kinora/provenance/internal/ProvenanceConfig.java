package io.kinora.provenance.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the provenance service, PID {@value ProvenanceServiceImpl#PID}. */
@ObjectClassDefinition(id = ProvenanceServiceImpl.PID, name = "Kinora provenance",
        description = "AI-content labels (visible, audio, GB 45438 implicit metadata) applied to every clip, and verification.")
public @interface ProvenanceConfig {

    @AttributeDefinition(name = "Default label policy",
            description = "Policy for scenes that do not name one in labels.policy: cn (China GB 45438-2025), eu (EU AI Act Art. 50) or none (implicit metadata only).",
            options = {
                    @Option(label = "China (GB 45438-2025)", value = LabelPolicy.CN),
                    @Option(label = "EU (AI Act Art. 50)", value = LabelPolicy.EU),
                    @Option(label = "None (implicit metadata only)", value = LabelPolicy.NONE)})
    String defaultPolicy() default LabelPolicy.EU;

    @AttributeDefinition(name = "Content producer",
            description = "Name or code of the generation service provider written into the implicit label (GB 45438 ContentProducer, e.g. 001 + unified social credit code). Printable ASCII without spaces or backslashes.")
    String producer() default "Kinora";

    @AttributeDefinition(name = "CN: keep the corner label after the opening",
            description = "Under the cn policy the label is on every frame of the first 2 s; when enabled it then stays in its corner until the end.")
    boolean cnPersistentLabel() default true;

    @AttributeDefinition(name = "Label corner", description = "Where the visible label sits (with a margin of 3.5 % of the short side).",
            options = {
                    @Option(label = "Top left", value = "top-left"),
                    @Option(label = "Top right", value = "top-right"),
                    @Option(label = "Bottom left", value = "bottom-left"),
                    @Option(label = "Bottom right", value = "bottom-right")})
    String labelCorner() default "top-right";

    @AttributeDefinition(name = "Label text height (%)",
            description = "Height of the label's letters as a percentage of the frame's short side; GB 45438 requires at least 5, lower values are raised to 5.",
            min = "5", max = "20")
    double labelHeightPercent() default 6.0;

    @AttributeDefinition(name = "Label font file",
            description = "Optional path to a TTF/OTF font for the visible label, tried before the installed fonts. Chinese labels need a CJK font (e.g. Debian fonts-noto-cjk).")
    String labelFontFile() default "";
}
