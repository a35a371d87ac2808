package dev.indexer.store.qdrant;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk.Fields;
import dev.indexer.store.RepoScope;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.StoreReader;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.QuantizationSearchParams;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchParams;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Searches repositories of a collection in a Qdrant server, through the official Java client over
 * gRPC: every call is filtered by the repositories in scope (none when all are), which the tenant
 * index answers.
 */
final class QdrantReader implements StoreReader {
    /** Quantized scores pick twice the candidates asked for; the original vectors rank them. */
    private static final double OVERSAMPLING = 2.0;
    /** Quantized scores pick the candidates; their original vectors, read from disk, rank them. */
    private static final SearchParams RESCORED = SearchParams.newBuilder().setQuantization(
            QuantizationSearchParams.newBuilder().setRescore(true).setOversampling(OVERSAMPLING)).build();

    private final QdrantGrpcClient client;
    private final CollectionInfo info;
    private final RepoScope scope;
    private final Retrier retrier;
    /** What closing does with the client: close it, or leave it to the writer that lent it. */
    private final Runnable release;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    QdrantReader(QdrantGrpcClient client, QdrantSettings settings, CollectionInfo info, RepoScope scope,
            Runnable release) {
        this.client = client;
        this.info = info;
        this.scope = scope;
        this.retrier = QdrantCollections.retrier(settings);
        this.release = release;
    }

    /**
     * Opens an existing collection for searching and counting, with a client of its own.
     *
     * @throws dev.indexer.IndexerException if it does not exist or the server cannot be reached
     */
    static QdrantReader open(QdrantGrpcClient client, QdrantSettings settings, String name) {
        return open(client, settings, name, RepoScope.ALL);
    }

    static QdrantReader open(QdrantGrpcClient client, QdrantSettings settings, String name, RepoScope scope) {
        try {
            Retrier retrier = QdrantCollections.retrier(settings);
            Collections.CollectionInfo existing = QdrantCollections.getWithRepos(client, retrier, settings, name);
            Map<String, String> repos = CollectionSchema.repos(existing);
            List<String> unknown = scope.names().stream().filter(r -> !repos.containsKey(r)).toList();
            if (!unknown.isEmpty()) {
                throw new IndexerException(RepoScope.noSuch(name, unknown, repos.keySet()) + ".");
            }
            CollectionInfo stored = CollectionSchema.infoOf(name, existing, "unknown");
            // One repository's root is where its paths are relative to; several have no one root.
            String root = scope.names().size() == 1 ? repos.get(scope.names().get(0))
                    : scope.all() && repos.size() == 1 ? repos.values().iterator().next() : "";
            CollectionInfo info = new CollectionInfo(name, stored.model(), stored.dimension(), root);
            return new QdrantReader(client, settings, info, scope, client::close);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Whether this reader reads one repository: its hits then carry their chunk's id (unique within
     * one repository), else their point's (unique within the collection).
     */
    private boolean single() {
        return scope.names().size() == 1;
    }

    @Override
    public CollectionInfo info() {
        return info;
    }

    /** The collection's configuration and state as the server reports it. */
    @Override
    public Map<String, Object> describe() {
        return CollectionSchema.describe(QdrantCollections.get(client, retrier, info.name()));
    }

    @Override
    public Map<String, Chunk> withoutVectors(Collection<String> ids) {
        Map<String, Chunk> chunks = new java.util.HashMap<>();
        retrieve(ids, true, "read chunks waiting for vectors").forEach((id, p) -> {
            if (PointCodec.vector(p.getVectors()) == null) {
                chunks.put(id, PointCodec.chunk(p.getPayloadMap()));
            }
        });
        return chunks;
    }

    @Override
    public Map<String, float[]> vectorsOf(Collection<String> ids) {
        Map<String, float[]> vectors = new java.util.HashMap<>();
        retrieve(ids, false, "read stored vectors").forEach((id, p) -> {
            float[] vector = PointCodec.vector(p.getVectors());
            if (vector != null) {
                vectors.put(id, vector);
            }
        });
        return vectors;
    }

    /** The points of these ids (as hits give them) that the collection holds, with their vectors, by id. */
    private Map<String, RetrievedPoint> retrieve(Collection<String> ids, boolean withPayload, String what) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        GetPoints.Builder request = GetPoints.newBuilder().setCollectionName(info.name())
                .setWithPayload(WithPayloadSelector.newBuilder().setEnable(withPayload))
                .setWithVectors(QdrantCollections.dense());
        Map<String, String> byPoint = new java.util.HashMap<>();
        for (String id : ids) {
            String point = single() ? PointCodec.pointId(scope.names().get(0), id) : id;
            byPoint.put(point, id);
            request.addIds(PointCodec.id(point));
        }
        GetPoints built = request.build();
        Map<String, RetrievedPoint> points = new java.util.HashMap<>();
        for (RetrievedPoint p : retrier.call(what, () -> client.points().get(built)).getResultList()) {
            String id = byPoint.get(PointCodec.chunkId(p.getId()));
            if (id != null) {
                points.put(id, p);
            }
        }
        return points;
    }

    @Override
    public long count() {
        CountPoints.Builder count = CountPoints.newBuilder().setCollectionName(info.name()).setExact(true);
        if (!scope.all()) {
            count.setFilter(Filter.newBuilder().addMust(PointCodec.inRepos(scope.names())));
        }
        CountPoints built = count.build();
        return retrier.call("count points", () -> client.points().count(built)).getResult().getCount();
    }

    /**
     * Vector mode asks for the nearest dense vectors, lexical mode for the best sparse-term matches
     * (BM25 with the server's IDF). The language filter runs on the server; Qdrant has no glob
     * match, so a path glob filters the answers here, from a candidate list ten times as long.
     */
    @Override
    public List<SearchHit> searchOne(SearchRequest request) {
        int limit = request.path().isPresent() ? Math.min(1000, 10 * request.k()) : request.k();
        QueryPoints.Builder query = QueryPoints.newBuilder().setCollectionName(info.name()).setLimit(limit)
                .setWithPayload(QdrantCollections.include(Fields.PATH, Fields.START, Fields.END,
                        Fields.LANGUAGE, Fields.TEXT, Fields.SYMBOL, Fields.KIND, Fields.CONTAINER, Fields.REPO,
                        Fields.ORDINAL));
        Filter.Builder filter = Filter.newBuilder();
        if (!scope.all()) {
            filter.addMust(PointCodec.inRepos(scope.names()));
        }
        request.language().ifPresent(l -> filter.addMust(Condition.newBuilder().setField(
                FieldCondition.newBuilder().setKey(Fields.LANGUAGE).setMatch(Match.newBuilder().setKeyword(l)))));
        if (filter.getMustCount() > 0) {
            query.setFilter(filter);
        }
        switch (request.mode()) {
            case VECTOR -> query.setQuery(dense(request.vector())).setUsing(CollectionSchema.DENSE).setParams(RESCORED);
            case LEXICAL -> {
                SparseTerms terms = PointCodec.queryTerms(request.text());
                if (terms.isEmpty()) {
                    return List.of();
                }
                query.setQuery(Query.newBuilder().setNearest(VectorInput.newBuilder()
                        .setSparse(PointCodec.sparse(terms)))).setUsing(CollectionSchema.SPARSE);
            }
            case HYBRID -> throw new IllegalArgumentException("hybrid requests are split by HybridSearch");
        }
        QueryPoints built = query.build();
        List<SearchHit> hits = new ArrayList<>();
        for (ScoredPoint p : retrier.call("search", () -> client.points().query(built)).getResultList()) {
            SearchHit hit = PointCodec.hit(p.getId(), p.getPayloadMap(), p.getScore(), single());
            if (request.path().map(g -> g.matches(hit.path())).orElse(true) && hits.size() < request.k()) {
                hits.add(hit);
            }
        }
        return hits;
    }

    private static Query dense(float[] vector) {
        return Query.newBuilder().setNearest(VectorInput.newBuilder().setDense(PointCodec.denseVector(vector))).build();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }
}
