package io.kinora.model.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** What the verifier needs from a model bundle or jar: manifest headers, entry names, entry contents. */
interface ModelArchive {

    /** A main manifest header, or {@code null}. */
    String header(String name);

    /** Every entry name as stored in the archive (directories included). */
    List<String> entryNames() throws IOException;

    /** An entry's content, or {@code null} if there is no such entry. */
    InputStream open(String entry) throws IOException;

    /** Where it comes from, for messages. */
    String source();
}
