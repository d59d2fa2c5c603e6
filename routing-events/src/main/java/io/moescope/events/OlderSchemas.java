package io.moescope.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * Writer schemas of earlier revisions, kept as resources beside the codecs: a decoder that knows an older schema's
 * fingerprint resolves records written with it to the current schema (added fields take their defaults).
 */
final class OlderSchemas {

    private OlderSchemas() {
    }

    static Schema load(String resource) {
        try (InputStream in = OlderSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema resource " + resource + " is missing from the build");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema resource " + resource, e);
        }
    }
}
