package dev.indexer.store.qdrant;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a Qdrant server's gRPC service listens, parsed from a URL such as
 * {@code http://localhost:6334} or {@code https://xyz.cloud.qdrant.io:6334}.
 *
 * @param host host name or address
 * @param port the gRPC port (Qdrant's default is 6334; 6333 is its REST port)
 * @param tls whether to use TLS ({@code https})
 */
record QdrantAddress(String host, int port, boolean tls) {
    public static final int DEFAULT_GRPC_PORT = 6334;
    static final int REST_PORT = 6333;

    /**
     * Parses {@code http://host[:port]} or {@code https://host[:port]}; a bare {@code host[:port]}
     * means plain http.
     *
     * @throws IllegalArgumentException with a message fit for a usage error
     */
    public static QdrantAddress parse(String url) {
        String text = url.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("use http:// or https:// (TLS), not " + scheme + "://: " + url);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("no host in " + url);
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw new IllegalArgumentException("a gRPC address has no path: " + url);
        }
        int port = uri.getPort() == -1 ? DEFAULT_GRPC_PORT : uri.getPort();
        return new QdrantAddress(uri.getHost(), port, scheme.equals("https"));
    }

    @Override
    public String toString() {
        return (tls ? "https://" : "http://") + host + ":" + port;
    }
}
