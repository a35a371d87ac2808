package dev.indexer.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This build's version, from the properties the build writes. */
public final class IndexerVersion {
    private IndexerVersion() {}

    /** The version, or "unknown" when the classes do not come from a build (an IDE's compile). */
    public static String get() {
        Properties properties = new Properties();
        try (InputStream in = IndexerVersion.class.getResourceAsStream("/dev/indexer/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
