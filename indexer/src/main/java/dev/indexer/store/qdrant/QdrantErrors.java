package dev.indexer.store.qdrant;

import dev.indexer.IndexerException;
import io.grpc.StatusRuntimeException;

/** Turns a failed gRPC call into the one sentence a user reads. */
final class QdrantErrors {
    private QdrantErrors() {}

    /** Whether the failure is a host name that does not resolve: a typo, which no retry cures. */
    static boolean unresolvedHost(StatusRuntimeException e) {
        return e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE
                && (e.getStatus().getCause() instanceof java.net.UnknownHostException
                || String.valueOf(e.getStatus().getDescription()).startsWith("Unable to resolve host"));
    }

    static IndexerException fatal(QdrantAddress address, String action, StatusRuntimeException e, int attempts) {
        if (unresolvedHost(e)) {
            return new IndexerException("The Qdrant address " + address + " names host '" + address.host()
                    + "', which does not resolve; check --qdrant-url or the QDRANT_URL environment variable.", e);
        }
        String tries = attempts > 1 ? " after " + attempts + " tries" : "";
        String detail = e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription();
        String message = switch (e.getStatus().getCode()) {
            case UNAVAILABLE -> "Could not reach Qdrant at " + address + " to " + action + tries + detail
                    + "; check that it is running and that the URL names its gRPC port"
                    + (address.port() == QdrantAddress.REST_PORT ? " (6334; 6333 is the REST port)" : " (6334 by default)")
                    + ", then run again: finished files are kept.";
            case DEADLINE_EXCEEDED -> "Qdrant at " + address + " did not answer in time to " + action + tries
                    + "; it may be overloaded: run again later or raise --qdrant-timeout (finished files are kept).";
            case RESOURCE_EXHAUSTED -> "Qdrant at " + address + " refused to " + action + " for lack of resources"
                    + tries + detail + "; free memory or disk on the server, or lower --qdrant-batch-bytes,"
                    + " then run again (finished files are kept).";
            case UNAUTHENTICATED, PERMISSION_DENIED -> "Qdrant at " + address + " refused to " + action + detail
                    + "; set the right API key in the QDRANT_API_KEY environment variable.";
            default -> "Qdrant at " + address + " failed to " + action + " (" + e.getStatus().getCode() + detail
                    + "); run again, and if it persists check the server's log.";
        };
        return new IndexerException(message, e);
    }
}
