package io.kinora.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.osgi.framework.Bundle;

/** An installed bundle's own entries (not its class path, not its fragments). */
final class BundleArchive implements ModelArchive {

    private final Bundle bundle;

    BundleArchive(Bundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public String header(String name) {
        return bundle.getHeaders("").get(name);
    }

    @Override
    public List<String> entryNames() {
        List<String> names = new ArrayList<>();
        Enumeration<String> paths = bundle.getEntryPaths("/");
        collect(paths, names);
        return names;
    }

    private void collect(Enumeration<String> paths, List<String> names) {
        if (paths == null) return;
        for (String p : Collections.list(paths)) {
            names.add(p);
            if (p.endsWith("/")) collect(bundle.getEntryPaths(p), names);
        }
    }

    @Override
    public InputStream open(String entry) throws IOException {
        URL url = bundle.getEntry(entry);
        return url == null ? null : url.openStream();
    }

    @Override
    public String source() { return "bundle " + bundle.getBundleId() + " (" + bundle.getLocation() + ")"; }
}
