package dev.indexer.store.qdrant;

import dev.indexer.IndexerException;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.lexical.SparseTerms;
import dev.indexer.store.SearchHit;
import dev.indexer.store.SearchRequest;
import dev.indexer.store.VectorStore;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.NamedVectors;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.SparseVector;
import io.qdrant.client.grpc.Points.VectorsSelector;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PayloadIncludeSelector;
import io.qdrant.client.grpc.Points.QuantizationSearchParams;
import io.qdrant.client.grpc.Points.Query;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchParams;
import io.qdrant.client.grpc.Points.VectorInput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * A collection in a Qdrant server, through the official Java client over gRPC. A new collection is
 * created as {@link QdrantSettings.CollectionSettings} says (by default everything on disk but the
 * int8-quantized vectors); an existing one must hold vectors of this model's size and distance.
 *
 * <p>Writes go through a {@link PointUploader}: byte-bounded batches, a cap on requests in flight,
 * retries with backoff. Qdrant applies each acknowledged write at once, so unlike the embedded store
 * nothing waits for {@link #commit()} to become visible; what {@code commit} adds is the guarantee
 * that everything sent has been acknowledged, which is what the manifest needs before it records.
 */
public final class QdrantStore implements VectorStore {
    private static final int IDS_PER_GET = 256;
    /** 256 vectors of 384 floats: about 400 KB a request, far below gRPC's 4 MB limit. */
    private static final int VECTORS_PER_UPDATE = 256;
    private static final int SCROLL_PAGE = 1000;
    /** Quantized scores pick twice the candidates asked for; the original vectors rank them. */
    private static final double OVERSAMPLING = 2.0;
    /** Quantized scores pick the candidates; their original vectors, read from disk, rank them. */
    private static final SearchParams RESCORED = SearchParams.newBuilder().setQuantization(
            QuantizationSearchParams.newBuilder().setRescore(true).setOversampling(OVERSAMPLING)).build();

    private final QdrantGrpcClient client;
    private final QdrantAddress address;
    private final CollectionInfo info;
    private final Optional<CollectionInfo> previous;
    private final Retrier retrier;
    private final PointUploader uploader;
    private boolean closed;

    private QdrantStore(QdrantGrpcClient client, QdrantSettings settings, CollectionInfo info,
            Optional<CollectionInfo> previous) {
        this.client = client;
        this.address = settings.address();
        this.info = info;
        this.previous = previous;
        this.retrier = new Retrier(settings.address(), settings.upload());
        this.uploader = new PointUploader(client, info.name(), retrier, settings.upload());
    }

    /** A client for the server the settings name; closing the store closes it. */
    public static QdrantGrpcClient connect(QdrantSettings settings) {
        QdrantAddress a = settings.address();
        // The version check would call the server while building; opening the collection does that anyway.
        QdrantGrpcClient.Builder builder = QdrantGrpcClient.newBuilder(a.host(), a.port(), a.tls(), false)
                .withTimeout(settings.timeout());
        settings.apiKey().ifPresent(builder::withApiKey);
        return builder.build();
    }

    /**
     * Whether the server has the collection; closes the client. Also the check, before a command
     * records anything locally about a collection on that server, that the server answers.
     *
     * @throws IndexerException if the host does not resolve or the server does not answer
     */
    static boolean exists(QdrantGrpcClient client, QdrantSettings settings, String name) {
        try (client) {
            return exists(client, new Retrier(settings.address(), settings.upload()), name);
        }
    }

    /**
     * Opens the collection for writing, creating it if needed.
     *
     * @param recreate delete and create it anew (a {@code --reindex})
     * @throws IndexerException if the server cannot be reached, or the collection holds other vectors
     */
    public static QdrantStore openForWriting(
            QdrantGrpcClient client, QdrantSettings settings, CollectionInfo expected, boolean recreate) {
        try {
            Retrier retrier = new Retrier(settings.address(), settings.upload());
            String name = expected.name();
            boolean exists = exists(client, retrier, name);
            if (exists && recreate) {
                retrier.call("delete collection '" + name + "'", () -> client.collections()
                        .delete(DeleteCollection.newBuilder().setCollectionName(name).build()));
                exists = false;
            }
            boolean created = false;
            if (!exists) {
                created = create(client, retrier, settings, expected);
            }
            Collections.CollectionInfo existing = get(client, retrier, name);
            CollectionSchema.check(settings.address(), existing, expected);
            Optional<CollectionInfo> previous =
                    created ? Optional.empty() : Optional.of(CollectionSchema.infoOf(name, existing, expected.model()));
            for (String field : CollectionSchema.INDEXED_FIELDS) {
                if (!existing.getPayloadSchemaMap().containsKey(field)) {
                    retrier.call("index payload field " + field, () -> client.points().createFieldIndex(
                            CreateFieldIndexCollection.newBuilder()
                                    .setCollectionName(name)
                                    .setFieldName(field)
                                    .setFieldType(FieldType.FieldTypeKeyword)
                                    .setWait(true)
                                    .build()));
                }
            }
            if (previous.isPresent() && !previous.get().root().equals(expected.root())) {
                // The metadata says where paths are relative to; search uses it to print full paths.
                retrier.call("record the collection's root", () -> client.collections().update(
                        UpdateCollection.newBuilder()
                                .setCollectionName(name)
                                .putAllMetadata(CollectionSchema.metadata(expected))
                                .build()));
            }
            return new QdrantStore(client, settings, expected, previous);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Opens an existing collection for searching and counting.
     *
     * @throws IndexerException if it does not exist or the server cannot be reached
     */
    public static QdrantStore openForReading(QdrantGrpcClient client, QdrantSettings settings, String name) {
        try {
            Retrier retrier = new Retrier(settings.address(), settings.upload());
            if (!exists(client, retrier, name)) {
                throw missing(settings.address(), name);
            }
            CollectionInfo info = CollectionSchema.infoOf(name, get(client, retrier, name), "unknown");
            return new QdrantStore(client, settings, info, Optional.of(info));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Deletes the collection from the server, if it is there; returns whether it was. */
    public static boolean drop(QdrantGrpcClient client, QdrantSettings settings, String name) {
        try (client) {
            Retrier retrier = new Retrier(settings.address(), settings.upload());
            if (!exists(client, retrier, name)) {
                return false;
            }
            retrier.call("delete collection '" + name + "'",
                    () -> client.collections().delete(DeleteCollection.newBuilder().setCollectionName(name).build()));
            return true;
        }
    }

    static IndexerException missing(QdrantAddress address, String name) {
        return new IndexerException("There is no collection '" + name + "' in Qdrant at " + address
                + "; index one first with: indexer index PATH --collection " + name + " --qdrant-url " + address);
    }

    private static boolean exists(QdrantGrpcClient client, Retrier retrier, String name) {
        return retrier.call("look up collection '" + name + "'", () -> client.collections()
                        .collectionExists(CollectionExistsRequest.newBuilder().setCollectionName(name).build()))
                .getResult().getExists();
    }

    private static Collections.CollectionInfo get(QdrantGrpcClient client, Retrier retrier, String name) {
        return retrier.call("read collection '" + name + "'", () -> client.collections()
                .get(GetCollectionInfoRequest.newBuilder().setCollectionName(name).build())).getResult();
    }

    /** Creates the collection; false if another process created it meanwhile. */
    private static boolean create(QdrantGrpcClient client, Retrier retrier, QdrantSettings settings, CollectionInfo info) {
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

    @Override
    public Optional<CollectionInfo> previous() {
        return previous;
    }

    public QdrantAddress address() {
        return address;
    }

    /** The collection's configuration and state as the server reports it. */
    @Override
    public Map<String, Object> describe() {
        return CollectionSchema.describe(get(client, retrier, info.name()));
    }

    @Override
    public CollectionInfo info() {
        return info;
    }

    @Override
    public void deleteFile(String path) {
        uploader.deletePath(path);
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        for (EmbeddedChunk chunk : chunks) {
            uploader.add(PointCodec.point(chunk), chunk.chunk().path());
        }
    }

    @Override
    public void commit() {
        uploader.flush();
    }

    /**
     * Dense vectors of points already stored, with {@code UpdateVectors}: payload and sparse vector
     * stay as they are. Sent in batches once the uploads before them are acknowledged (an update of a
     * point that is still on its way would find nothing), each acknowledged before the next.
     */
    @Override
    public void addVectors(List<EmbeddedChunk> chunks) {
        uploader.flush();
        for (int from = 0; from < chunks.size(); from += VECTORS_PER_UPDATE) {
            UpdatePointVectors.Builder update = UpdatePointVectors.newBuilder()
                    .setCollectionName(info.name())
                    .setWait(true);
            for (EmbeddedChunk chunk : chunks.subList(from, Math.min(chunks.size(), from + VECTORS_PER_UPDATE))) {
                update.addPoints(PointVectors.newBuilder()
                        .setId(PointCodec.id(chunk.chunk().id()))
                        .setVectors(Vectors.newBuilder().setVectors(NamedVectors.newBuilder()
                                .putVectors(CollectionSchema.DENSE, PointCodec.dense(chunk.vector())))));
            }
            UpdatePointVectors built = update.build();
            retrier.call("store vectors", () -> client.points().updateVectors(built));
        }
    }

    @Override
    public List<dev.indexer.chunk.Chunk> chunksWithoutVectors(String path) {
        List<dev.indexer.chunk.Chunk> chunks = new ArrayList<>();
        Filter byPath = Filter.newBuilder().addMust(Condition.newBuilder().setField(FieldCondition.newBuilder()
                .setKey(PointCodec.PATH).setMatch(Match.newBuilder().setKeyword(path)))).build();
        Optional<PointId> offset = Optional.empty();
        do {
            ScrollPoints.Builder request = ScrollPoints.newBuilder()
                    .setCollectionName(info.name())
                    .setFilter(byPath)
                    .setLimit(SCROLL_PAGE)
                    .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true))
                    .setWithVectors(WithVectorsSelector.newBuilder().setInclude(
                            VectorsSelector.newBuilder().addNames(CollectionSchema.DENSE)));
            offset.ifPresent(request::setOffset);
            ScrollPoints built = request.build();
            ScrollResponse page = retrier.call("read chunks waiting for vectors", () -> client.points().scroll(built));
            for (RetrievedPoint p : page.getResultList()) {
                if (PointCodec.vector(p.getVectors()) == null) {
                    chunks.add(PointCodec.chunk(p.getPayloadMap()));
                }
            }
            offset = page.hasNextPageOffset() ? Optional.of(page.getNextPageOffset()) : Optional.empty();
        } while (offset.isPresent());
        chunks.sort(java.util.Comparator.comparingInt(dev.indexer.chunk.Chunk::ordinal));
        return chunks;
    }

    /**
     * Vector mode asks for the nearest dense vectors, lexical mode for the best sparse-term matches
     * (BM25 with the server's IDF). The language filter runs on the server; Qdrant has no glob
     * match, so a path glob filters the answers here, from a candidate list ten times as long.
     */
    @Override
    public List<SearchHit> searchOne(SearchRequest request) {
        int limit = request.path().isPresent() ? Math.min(1000, 10 * request.k()) : request.k();
        QueryPoints.Builder query = QueryPoints.newBuilder()
                .setCollectionName(info.name())
                .setLimit(limit)
                .setWithPayload(include(PointCodec.PATH, PointCodec.START, PointCodec.END, PointCodec.LANGUAGE,
                        PointCodec.TEXT, PointCodec.SYMBOL, PointCodec.KIND, PointCodec.CONTAINER));
        request.language().ifPresent(l -> query.setFilter(Filter.newBuilder().addMust(Condition.newBuilder().setField(
                FieldCondition.newBuilder().setKey(PointCodec.LANGUAGE).setMatch(Match.newBuilder().setKeyword(l))))));
        switch (request.mode()) {
            case VECTOR -> query.setQuery(dense(request.vector())).setUsing(CollectionSchema.DENSE).setParams(RESCORED);
            case LEXICAL -> {
                SparseTerms terms = PointCodec.queryTerms(request.text());
                if (terms.isEmpty()) {
                    return List.of();
                }
                query.setQuery(sparse(terms)).setUsing(CollectionSchema.SPARSE);
            }
            case HYBRID -> throw new IllegalArgumentException("hybrid requests are split by HybridSearch");
        }
        QueryPoints built = query.build();
        List<SearchHit> hits = new ArrayList<>();
        for (ScoredPoint p : retrier.call("search", () -> client.points().query(built)).getResultList()) {
            SearchHit hit = PointCodec.hit(p.getId(), p.getPayloadMap(), p.getScore());
            if (request.path().map(g -> g.matches(hit.path())).orElse(true) && hits.size() < request.k()) {
                hits.add(hit);
            }
        }
        return hits;
    }

    private static Query dense(float[] vector) {
        DenseVector.Builder dense = DenseVector.newBuilder();
        for (float f : vector) {
            dense.addData(f);
        }
        return Query.newBuilder().setNearest(VectorInput.newBuilder().setDense(dense)).build();
    }

    private static Query sparse(SparseTerms terms) {
        SparseVector sparse = PointCodec.sparse(terms);
        return Query.newBuilder().setNearest(VectorInput.newBuilder().setSparse(sparse)).build();
    }

    @Override
    public Map<String, float[]> vectors(Map<String, String> hashById) {
        Map<String, float[]> found = new HashMap<>();
        List<String> ids = new ArrayList<>(hashById.keySet());
        for (int from = 0; from < ids.size(); from += IDS_PER_GET) {
            GetPoints.Builder request = GetPoints.newBuilder()
                    .setCollectionName(info.name())
                    .setWithPayload(include(PointCodec.HASH))
                    .setWithVectors(WithVectorsSelector.newBuilder().setInclude(
                            VectorsSelector.newBuilder().addNames(CollectionSchema.DENSE)));
            for (String id : ids.subList(from, Math.min(ids.size(), from + IDS_PER_GET))) {
                request.addIds(PointCodec.id(id));
            }
            GetPoints built = request.build();
            for (RetrievedPoint p : retrier.call("read stored vectors", () -> client.points().get(built)).getResultList()) {
                String id = PointCodec.chunkId(p.getId());
                float[] vector = PointCodec.vector(p.getVectors());
                if (vector != null && PointCodec.text(p.getPayloadMap(), PointCodec.HASH).equals(hashById.get(id))) {
                    found.put(id, vector);
                }
            }
        }
        return found;
    }

    @Override
    public void scan(BiConsumer<String, String> visitor) {
        Optional<PointId> offset = Optional.empty();
        do {
            ScrollPoints.Builder request = ScrollPoints.newBuilder()
                    .setCollectionName(info.name())
                    .setLimit(SCROLL_PAGE)
                    .setWithPayload(include(PointCodec.PATH))
                    .setWithVectors(WithVectorsSelector.newBuilder().setEnable(false));
            offset.ifPresent(request::setOffset);
            ScrollPoints built = request.build();
            ScrollResponse page = retrier.call("list points", () -> client.points().scroll(built));
            for (RetrievedPoint p : page.getResultList()) {
                visitor.accept(PointCodec.chunkId(p.getId()), PointCodec.text(p.getPayloadMap(), PointCodec.PATH));
            }
            offset = page.hasNextPageOffset() ? Optional.of(page.getNextPageOffset()) : Optional.empty();
        } while (offset.isPresent());
    }

    @Override
    public long count() {
        return retrier.call("count points", () -> client.points()
                .count(CountPoints.newBuilder().setCollectionName(info.name()).setExact(true).build()))
                .getResult().getCount();
    }

    private static WithPayloadSelector include(String... fields) {
        return WithPayloadSelector.newBuilder()
                .setInclude(PayloadIncludeSelector.newBuilder().addAllFields(List.of(fields)))
                .build();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        uploader.close();
        client.close();
    }

}
