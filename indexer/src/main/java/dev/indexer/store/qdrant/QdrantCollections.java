package dev.indexer.store.qdrant;

import dev.indexer.IndexerException;
import dev.indexer.store.CollectionInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points.PayloadIncludeSelector;
import io.qdrant.client.grpc.Points.VectorsSelector;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.List;

/**
 * The server-level calls the reader and writer share: connecting, looking a collection up,
 * creating and deleting one, and the sentence for a collection that is not there.
 */
final class QdrantCollections {
    private QdrantCollections() {}

    /** A client for the server the settings name; whoever gets it closes it. */
    static QdrantGrpcClient connect(QdrantSettings settings) {
        QdrantAddress a = settings.address();
        // The version check would call the server while building; opening the collection does that anyway.
        QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder(a.host(), a.port(), a.tls(), false)
                .withTimeout(settings.timeout());
        settings.apiKey().ifPresent(builder::withApiKey);
        return builder.build();
    }

    static Retrier retrier(QdrantSettings settings) {
        return new Retrier(settings.address(), settings.upload());
    }

    /**
     * Whether the server has the collection; closes the client. Also the check, before a command
     * records anything locally about a collection on that server, that the server answers.
     *
     * @throws IndexerException if the host does not resolve or the server does not answer
     */
    static boolean exists(QdrantGrpcClient client, QdrantSettings settings, String name) {
        try (client) {
            return exists(client, retrier(settings), name);
        }
    }

    static boolean exists(QdrantGrpcClient client, Retrier retrier, String name) {
        return retrier.call("look up collection '" + name + "'", () -> client.collections()
                        .collectionExists(CollectionExistsRequest.newBuilder().setCollectionName(name).build()))
                .getResult().getExists();
    }

    static Collections.CollectionInfo get(QdrantGrpcClient client, Retrier retrier, String name) {
        return retrier.call("read collection '" + name + "'", () -> client.collections()
                .get(GetCollectionInfoRequest.newBuilder().setCollectionName(name).build())).getResult();
    }

    /**
     * An existing collection whose points say their repository, as readers need it.
     *
     * @throws IndexerException if there is none of that name, or an earlier version made it
     */
    static Collections.CollectionInfo getWithRepos(QdrantGrpcClient client, Retrier retrier, QdrantSettings settings,
            String name) {
        if (!exists(client, retrier, name)) {
            throw missing(settings.address(), name);
        }
        Collections.CollectionInfo existing = get(client, retrier, name);
        if (!CollectionSchema.holdsRepos(existing)) {
            throw CollectionSchema.withoutRepos(settings.address(), name);
        }
        return existing;
    }

    /** Creates the collection; false if another process created it meanwhile. */
    static boolean create(QdrantGrpcClient client, Retrier retrier, QdrantSettings settings, CollectionInfo info) {
        try {
            retrier.call("create collection '" + info.name() + "'", () -> client.collections()
                    .create(CollectionSchema.create(info, settings.collection())));
            return true;
        } catch (IndexerException e) {
            if (e.getCause() instanceof StatusRuntimeException s
                    && (s.getStatus().getCode() == Status.Code.ALREADY_EXISTS
                    || String.valueOf(s.getStatus().getDescription()).contains("already exists"))) {
                return false;
            }
            throw e;
        }
    }

    static void delete(QdrantGrpcClient client, Retrier retrier, String name) {
        retrier.call("delete collection '" + name + "'",
                () -> client.collections().delete(DeleteCollection.newBuilder().setCollectionName(name).build()));
    }

    /** Deletes the collection from the server, if it is there; returns whether it was. Closes the client. */
    static boolean drop(QdrantGrpcClient client, QdrantSettings settings, String name) {
        try (client) {
            Retrier retrier = retrier(settings);
            if (!exists(client, retrier, name)) {
                return false;
            }
            delete(client, retrier, name);
            return true;
        }
    }

    static IndexerException missing(QdrantAddress address, String name) {
        return new IndexerException("There is no collection '" + name + "' in Qdrant at " + address
                + "; index one first with: indexer index PATH --collection " + name + " --qdrant-url " + address);
    }

    /** Only these payload fields, in answers. */
    static WithPayloadSelector include(String... fields) {
        return WithPayloadSelector.newBuilder()
                .setInclude(PayloadIncludeSelector.newBuilder().addAllFields(List.of(fields))).build();
    }

    /** Only the dense vector, in answers. */
    static WithVectorsSelector dense() {
        return WithVectorsSelector.newBuilder()
                .setInclude(VectorsSelector.newBuilder().addNames(CollectionSchema.DENSE)).build();
    }
}
