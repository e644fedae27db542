package io.kinora.model.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kinora.api.model.ModelException;
import io.kinora.model.itest.ModelJars;

/** Real keys and signatures made with the JDK's keytool and jarsigner. */
class SignatureCheckTest {

    @TempDir
    static Path dir;
    static final String PW = "changeit";

    static void run(String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), tool + " " + String.join(" ", args) + ": " + out);
    }

    static void key(String alias, Path store) throws Exception {
        run("keytool", "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=" + alias + ", O=Kinora test", "-validity", "3650", "-keystore", store.toString(), "-storetype",
                "PKCS12", "-storepass", PW, "-keypass", PW);
    }

    @BeforeAll
    static void keys() throws Exception {
        key("operator", dir.resolve("operator.p12"));
        key("stranger", dir.resolve("stranger.p12"));
        run("keytool", "-exportcert", "-alias", "operator", "-keystore", dir.resolve("operator.p12").toString(),
                "-storepass", PW, "-file", dir.resolve("operator.cer").toString());
        run("keytool", "-importcert", "-noprompt", "-alias", "operator", "-file", dir.resolve("operator.cer").toString(),
                "-keystore", dir.resolve("trust.p12").toString(), "-storetype", "PKCS12", "-storepass", PW);
    }

    Path signed(String by) throws Exception {
        Path jar = new ModelJars().write(dir.resolve("jars-" + by));
        if (by != null) {
            run("jarsigner", "-keystore", dir.resolve(by + ".p12").toString(), "-storepass", PW, jar.toString(), by);
        }
        return jar;
    }

    @Test
    void jarSignedByATrustedKeyPassesOthersAreRefused() throws Exception {
        SignatureCheck check = SignatureCheck.load(dir.resolve("trust.p12"), "PKCS12", PW.toCharArray());
        check.check(signed("operator"));
        String unsigned = assertThrows(ModelException.class, () -> check.check(signed(null))).getMessage();
        assertTrue(unsigned.contains("is not signed"), unsigned);
        String stranger = assertThrows(ModelException.class, () -> check.check(signed("stranger"))).getMessage();
        assertTrue(stranger.contains("does not chain to the trust store"), stranger);
    }

    @Test
    void tamperedSignedJarIsRefused() throws Exception {
        Path jar = signed("operator");
        // rewrite one entry after signing: the digest in the signature no longer matches
        Path tampered = dir.resolve("tampered.jar");
        try (var in = new java.util.zip.ZipFile(jar.toFile());
             var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(tampered))) {
            for (var e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("META-INF/kinora/weights.bin")) b = "other weights".getBytes();
                out.write(b);
                out.closeEntry();
            }
        }
        SignatureCheck check = SignatureCheck.load(dir.resolve("trust.p12"), "PKCS12", PW.toCharArray());
        String msg = assertThrows(ModelException.class, () -> check.check(tampered)).getMessage();
        assertTrue(msg.contains("is invalid"), msg);
    }

    @Test
    void unreadableTrustStoreIsAClearError() {
        String msg = assertThrows(ModelException.class,
                () -> SignatureCheck.load(dir.resolve("missing.p12"), "PKCS12", PW.toCharArray())).getMessage();
        assertTrue(msg.startsWith("cannot read the model trust store"), msg);
    }
}
