package io.kinora.model.itest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds model bundle jars for tests: manifest, descriptor, a weight file and (optionally) the fake model classes. */
public final class ModelJars {

    public String id = "fake";
    public String version = "1.0.0";
    public String family = "test-video";
    public String behaviour = "good";
    public long frameMillis = 0;
    public boolean header = true;
    public String symbolicName;           // null: the model id (as the contract asks)
    public byte[] weights = "weights v1".getBytes(StandardCharsets.UTF_8);
    public String declaredSha;            // null: the real hash
    public boolean includeWeights = true;
    public String descriptor;             // null: a valid one
    public final Map<String, byte[]> extraEntries = new LinkedHashMap<>();
    public Path classes;                  // test-classes folder to copy the fake model from; null: none

    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve(id + "-" + version + "-" + behaviour + "-" + System.nanoTime() + ".jar");
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName != null ? symbolicName : id);
        a.putValue("Bundle-Version", version);
        if (header) a.putValue("Kinora-Model", id);
        a.putValue("X-Fake-Behaviour", behaviour);
        a.putValue("X-Fake-Frame-Millis", String.valueOf(frameMillis));
        a.putValue("X-Fake-Family", family);
        if (classes != null) {
            a.putValue("Bundle-Activator", FakeModelActivator.class.getName());
            a.putValue("Import-Package", "io.kinora.api.media,io.kinora.api.video,io.kinora.api.scene,"
                    + "io.kinora.api.timeline,org.osgi.framework");
        }
        String sha = declaredSha != null ? declaredSha : sha256(weights);
        String desc = descriptor != null ? descriptor : "{\"id\":\"" + id + "\",\"version\":\"" + version
                + "\",\"family\":\"" + family + "\",\"description\":\"test model\",\"licence\":\"Apache-2.0\","
                + "\"files\":[{\"path\":\"weights.bin\",\"sha256\":\"" + sha + "\"}]}";
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os, mf)) {
            put(out, "META-INF/kinora/model.json", desc.getBytes(StandardCharsets.UTF_8));
            if (includeWeights) put(out, "META-INF/kinora/weights.bin", weights);
            for (Map.Entry<String, byte[]> e : extraEntries.entrySet()) put(out, e.getKey(), e.getValue());
            if (classes != null) {
                String pkg = FakeModel.class.getPackageName().replace('.', '/');
                for (String c : new String[] {"FakeModel", "FakeModelActivator"}) {
                    put(out, pkg + "/" + c + ".class", Files.readAllBytes(classes.resolve(pkg).resolve(c + ".class")));
                }
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] data) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(data);
        out.closeEntry();
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }
}
