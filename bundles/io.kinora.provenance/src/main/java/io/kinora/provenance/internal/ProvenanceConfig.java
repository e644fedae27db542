package io.kinora.provenance.internal;

import io.kinora.provenance.internal.c2pa.ManifestSigner;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of the provenance service, PID {@value ProvenanceServiceImpl#PID}. */
@ObjectClassDefinition(id = ProvenanceServiceImpl.PID, name = "Kinora provenance",
        description = "AI-content labels (visible, audio, GB 45438 implicit metadata) applied to every clip, and verification.")
public @interface ProvenanceConfig {

    @AttributeDefinition(name = "Default label policy",
            description = "Policy for scenes that do not name one in labels.policy: cn (China GB 45438-2025), eu (EU AI Act Art. 50), none (implicit metadata only) or the policyId of a custom label policy (factory configuration io.kinora.provenance.labelpolicy). An id that names no known policy is logged and eu is used.")
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

    @AttributeDefinition(name = "Sign with C2PA",
            description = "Embed a signed C2PA manifest (Content Credentials) in every clip. Off only for testing: without it the clip carries no verifiable provenance.")
    boolean c2paEnabled() default true;

    @AttributeDefinition(name = "Signing key store (PKCS#12)",
            description = "Path to the operator's PKCS#12 file with an ECDSA P-256/P-384/P-521 key and its certificate chain (C2PA certificate profile: EKU c2pa-kp-claimSigning or documentSigning/emailProtection, digitalSignature). Empty: a local CA and signing certificate are generated on first start (not publicly trusted).")
    String signingKeystore() default "";

    @AttributeDefinition(name = "Key store password", type = AttributeType.PASSWORD,
            description = "Password of the PKCS#12 key store. Private property (leading dot): never published as a service property, never logged.")
    String _signingKeystorePassword() default "";

    @AttributeDefinition(name = "Key alias", description = "Key entry in the key store; empty: the first key entry.")
    String signingKeyAlias() default "";

    @AttributeDefinition(name = "Local CA directory",
            description = "Where the local CA and signing certificate are kept when no key store is configured. Empty: <kinora.work>/provenance/local-ca, or the bundle's data area. local-ca.pem there is the trust anchor to give to validators.")
    String localCaDirectory() default "";

    @AttributeDefinition(name = "Trust anchors",
            description = "PEM files (comma-separated) whose certificates verify treats as trusted C2PA roots, in addition to the signing identity's own root.")
    String trustAnchors() default "";

    @AttributeDefinition(name = "Time-stamp authority URL",
            description = "RFC 3161 TSA to time-stamp each signature (keeps manifests valid after the certificate expires). Empty (default): no time stamp and no network access.")
    String timeStampUrl() default "";

    @AttributeDefinition(name = "Digital source type",
            description = "IPTC digital source type recorded with c2pa.created.",
            options = {
                    @Option(label = "Trained algorithmic media (generated by AI)", value = ManifestSigner.TRAINED),
                    @Option(label = "Composite with trained algorithmic media", value = ManifestSigner.COMPOSITE)})
    String digitalSourceType() default ManifestSigner.TRAINED;

    @AttributeDefinition(name = "Invisible watermark",
            description = "Add the keyed luma watermark (64-bit payload derived from the content id) to every frame, after the visible label.")
    boolean watermarkEnabled() default true;

    @AttributeDefinition(name = "Watermark key", type = AttributeType.PASSWORD,
            description = "Secret that scrambles the watermark patterns; detection needs the same key. Private property (leading dot), never logged. Empty: the built-in key (anyone with Kinora can then read, and forge, the mark).")
    String _watermarkKey() default "";
}
