package io.kinora.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** A model jar on disk (before installing it, or the file behind a bundle's {@code file:} location). */
final class JarArchive implements ModelArchive, AutoCloseable {

    private final Path path;
    private final ZipFile zip;
    private final Manifest manifest;

    JarArchive(Path path) throws IOException {
        this.path = path;
        this.zip = new ZipFile(path.toFile());
        ZipEntry m = zip.getEntry(JarFile.MANIFEST_NAME);
        Manifest mf = null;
        if (m != null) {
            try (InputStream in = zip.getInputStream(m)) {
                mf = new Manifest(in);
            }
        }
        this.manifest = mf;
    }

    @Override
    public String header(String name) {
        return manifest == null ? null : manifest.getMainAttributes().getValue(name);
    }

    @Override
    public List<String> entryNames() {
        List<String> names = new ArrayList<>();
        for (ZipEntry e : Collections.list(zip.entries())) names.add(e.getName());
        return names;
    }

    @Override
    public InputStream open(String entry) throws IOException {
        ZipEntry e = zip.getEntry(entry);
        return e == null || e.isDirectory() ? null : zip.getInputStream(e);
    }

    @Override
    public String source() { return path.toString(); }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
