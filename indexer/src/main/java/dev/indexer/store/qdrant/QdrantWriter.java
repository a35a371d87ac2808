package dev.indexer.store.qdrant;

import dev.indexer.IndexerException;
import dev.indexer.chunk.Chunk;
import dev.indexer.config.Shard;
import dev.indexer.json.Json;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk.Fields;
import dev.indexer.store.EmbeddedChunk;
import dev.indexer.store.RepoScope;
import dev.indexer.store.RunRecord;
import dev.indexer.store.StoreReader;
import dev.indexer.store.StoreTarget;
import dev.indexer.store.StoreWriter;
import dev.indexer.store.StoredChunk;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.KeywordIndexParams;
import io.qdrant.client.grpc.Collections.PayloadIndexParams;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.HasVectorCondition;
import io.qdrant.client.grpc.Common.IsEmptyCondition;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.Common.RepeatedStrings;
import io.qdrant.client.grpc.JsonWithInt.NullValue;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.NamedVectors;
import io.qdrant.client.grpc.Points.PointVectors;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.UpdateBatchPoints;
import io.qdrant.client.grpc.Points.UpdatePointVectors;
import io.qdrant.client.grpc.Points.Vectors;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes a collection in a Qdrant server. A new collection is created as
 * {@link QdrantSettings.CollectionSettings} says (by default everything on disk but the
 * int8-quantized vectors); an existing one must hold vectors of this model's size and distance.
 *
 * <p>Writes go through a {@link PointUploader}: byte-bounded batches, a cap on requests in flight,
 * retries with backoff. Qdrant applies each acknowledged write at once, so unlike the embedded store
 * nothing waits for {@link #commit()} to become visible; what {@code commit} adds is the guarantee
 * that everything sent has been acknowledged, which is what the manifest needs before it records.
 */
final class QdrantWriter implements StoreWriter {
    private static final int IDS_PER_GET = 256;
    /** 256 vectors of 384 floats: about 400 KB a request, far below gRPC's 4 MB limit. */
    private static final int VECTORS_PER_UPDATE = 256;
    private static final int SCROLL_PAGE = 1000;
    /** Scroll pages one look-up of shared vectors may take (see {@link #sharedVectors}). */
    private static final int SHARED_PAGES = 16;
    /** Set-payload operations in one request: a few KB, far below gRPC's limit. */
    private static final int FILES_PER_BATCH = 128;

    private final QdrantGrpcClient client;
    private final QdrantSettings settings;
    private final CollectionInfo info;
    /** The repository this writer writes: every point it sends, deletes or reads is one of its. */
    private final String repo;
    private final Optional<CollectionInfo> previous;
    private final Retrier retrier;
    private final PointUploader uploader;
    /** Files written since the last commit and their content hashes, to set on their points at the next. */
    private final Map<String, String> fileHashes = new LinkedHashMap<>();
    /** Searches through this writer's client. */
    private final QdrantReader reader;
    private boolean closed;

    private QdrantWriter(QdrantGrpcClient client, QdrantSettings settings, CollectionInfo info, String repo,
            Optional<CollectionInfo> previous) {
        this.client = client;
        this.settings = settings;
        this.info = info;
        this.repo = repo;
        this.previous = previous;
        this.retrier = QdrantCollections.retrier(settings);
        this.uploader = new PointUploader(client, info.name(), repo, retrier, settings.upload());
        this.reader = new QdrantReader(client, settings, info, RepoScope.of(repo), () -> { });
    }

    /**
     * Opens the collection for writing, creating it if needed; the writer closes the client.
     *
     * @throws dev.indexer.IndexerException if the server cannot be reached, or the collection holds other vectors
     */
    static QdrantWriter open(QdrantGrpcClient client, QdrantSettings settings, CollectionInfo expected,
            StoreTarget.Contents contents) {
        return open(client, settings, expected, expected.name(), contents);
    }

    static QdrantWriter open(QdrantGrpcClient client, QdrantSettings settings, CollectionInfo expected, String repo,
            StoreTarget.Contents contents) {
        try {
            Retrier retrier = QdrantCollections.retrier(settings);
            String name = expected.name();
            boolean exists = QdrantCollections.exists(client, retrier, name);
            boolean repoKnown = false;
            if (exists) {
                Collections.CollectionInfo before = QdrantCollections.get(client, retrier, name);
                Map<String, String> repos = CollectionSchema.repos(before);
                repoKnown = repos.containsKey(repo);
                boolean othersThere = repos.keySet().stream().anyMatch(r -> !r.equals(repo));
                if (contents == StoreTarget.Contents.DELETE && (!CollectionSchema.holdsRepos(before) || !othersThere)) {
                    // Nothing of another repository to keep: the collection is made anew, in this version's shape.
                    QdrantCollections.delete(client, retrier, name);
                    exists = false;
                    repoKnown = false;
                } else if (!CollectionSchema.holdsRepos(before)) {
                    throw CollectionSchema.withoutRepos(settings.address(), name);
                } else if (contents == StoreTarget.Contents.DELETE) {
                    checkFits(settings, before, expected, repo);
                    deleteRepo(client, retrier, before, name, repo);
                    repoKnown = false;
                }
            }
            boolean created = !exists && QdrantCollections.create(client, retrier, settings, expected);
            Collections.CollectionInfo existing = QdrantCollections.get(client, retrier, name);
            if (!CollectionSchema.holdsRepos(existing)) {
                throw CollectionSchema.withoutRepos(settings.address(), name); // made meanwhile by an earlier version
            }
            checkFits(settings, existing, expected, repo);
            String root = CollectionSchema.repos(existing).get(repo);
            // The store keeps no run of this repository before its first: a previous collection
            // without it is, for this writer, one that did not hold its chunks.
            Optional<CollectionInfo> previous = created || !repoKnown ? Optional.empty()
                    : Optional.of(new CollectionInfo(name,
                            CollectionSchema.infoOf(name, existing, expected.model()).model(), expected.dimension(),
                            root == null ? "" : root));
            if (!existing.getPayloadSchemaMap().containsKey(Fields.REPO)) {
                // The tenant index: Qdrant keeps each repository's points together on disk and plans
                // a search of one repository by it.
                retrier.call("index payload field " + Fields.REPO, () -> client.points().createFieldIndex(
                        CreateFieldIndexCollection.newBuilder().setCollectionName(name).setFieldName(Fields.REPO)
                                .setFieldType(FieldType.FieldTypeKeyword)
                                .setFieldIndexParams(PayloadIndexParams.newBuilder().setKeywordIndexParams(
                                        KeywordIndexParams.newBuilder().setIsTenant(true)))
                                .setWait(true).build()));
            }
            for (String field : CollectionSchema.INDEXED_FIELDS) {
                if (!existing.getPayloadSchemaMap().containsKey(field)) {
                    retrier.call("index payload field " + field, () -> client.points().createFieldIndex(
                            CreateFieldIndexCollection.newBuilder().setCollectionName(name).setFieldName(field)
                                    .setFieldType(FieldType.FieldTypeKeyword).setWait(true).build()));
                }
            }
            if (!existing.getPayloadSchemaMap().containsKey(Fields.PATH_SLOT)) {
                // Workers of one part of a tree select their points by a range of it.
                retrier.call("index payload field " + Fields.PATH_SLOT, () -> client.points().createFieldIndex(
                        CreateFieldIndexCollection.newBuilder().setCollectionName(name).setFieldName(Fields.PATH_SLOT)
                                .setFieldType(FieldType.FieldTypeInteger).setWait(true).build()));
            }
            if (!expected.root().equals(root)) {
                // The repository's entry lists it in the collection; its root is where its paths
                // are relative to, which search uses to print full paths.
                retrier.call("record the repository", () -> client.collections().update(
                        UpdateCollection.newBuilder().setCollectionName(name)
                                .putMetadata(CollectionSchema.REPO_KEY_PREFIX + repo,
                                        PointCodec.string(expected.root()))
                                .build()));
            }
            return new QdrantWriter(client, settings, expected, repo, previous);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Checks that the collection takes this run's vectors; when it does not and other repositories
     * are in it, says so: a rebuild of one repository cannot change what the others were made with.
     */
    private static void checkFits(QdrantSettings settings, Collections.CollectionInfo existing, CollectionInfo expected,
            String repo) {
        try {
            CollectionSchema.check(settings.address(), existing, expected);
        } catch (IndexerException e) {
            List<String> others = CollectionSchema.repos(existing).keySet().stream().filter(r -> !r.equals(repo))
                    .map(r -> "'" + r + "'").toList();
            if (others.isEmpty()) {
                throw e;
            }
            throw new IndexerException("Qdrant collection '" + expected.name() + "' at " + settings.address()
                    + " holds other repositories (" + String.join(", ", others) + ") embedded with model "
                    + CollectionSchema.infoOf(expected.name(), existing, "unknown").model() + ", and one collection is"
                    + " searched with one model; nothing was changed. Index '" + repo + "' with that --model or into"
                    + " another --collection, or drop the others first.", e);
        }
    }

    /**
     * Deletes the points of {@code repo} and forgets its entry and runs: the collection's other
     * repositories keep theirs ({@code existing}: the collection as the caller just read it). Returns
     * whether it had any of them.
     */
    static boolean deleteRepo(QdrantGrpcClient client, Retrier retrier, Collections.CollectionInfo existing,
            String collection, String repo) {
        Filter filter = Filter.newBuilder().addMust(PointCodec.inRepo(repo)).build();
        long points = retrier.call("count points", () -> client.points().count(CountPoints.newBuilder()
                .setCollectionName(collection).setFilter(filter).setExact(true).build())).getResult().getCount();
        retrier.call("delete the points of repository " + repo, () -> client.points().delete(DeletePoints.newBuilder()
                .setCollectionName(collection).setWait(true)
                .setPoints(PointsSelector.newBuilder().setFilter(filter)).build()));
        // Metadata is merged, never replaced: the repository's keys are left with no value.
        UpdateCollection.Builder forget = UpdateCollection.newBuilder().setCollectionName(collection);
        boolean listed = false;
        for (String key : existing.getConfig().getMetadataMap().keySet()) {
            boolean run = key.startsWith(CollectionSchema.RUN_KEY_PREFIX) && key.indexOf(':', 4) > 0
                    && key.substring(key.indexOf(':', 4) + 1).equals(repo);
            Value value = existing.getConfig().getMetadataMap().get(key);
            if (value.hasStringValue() && (run || key.equals(CollectionSchema.REPO_KEY_PREFIX + repo))) {
                forget.putMetadata(key, Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build());
                listed = true;
            }
        }
        if (listed) {
            UpdateCollection built = forget.build();
            retrier.call("forget repository " + repo, () -> client.collections().update(built));
        }
        return points > 0 || listed;
    }

    @Override
    public String repo() {
        return repo;
    }

    @Override
    public Optional<CollectionInfo> previous() {
        return previous;
    }

    @Override
    public CollectionInfo info() {
        return info;
    }

    @Override
    public void deleteFile(String path) {
        fileHashes.remove(path);
        uploader.deletePath(path);
    }

    @Override
    public void recordRun(RunRecord run) {
        retrier.call("record the run", () -> client.collections().update(UpdateCollection.newBuilder()
                .setCollectionName(info.name()).putMetadata(CollectionSchema.runKey(run.part(), repo),
                        PointCodec.string(Json.of(run))).build()));
    }

    @Override
    public void fileWritten(String path, String contentHash) {
        fileHashes.put(path, contentHash);
    }

    @Override
    public void upsert(List<EmbeddedChunk> chunks) {
        for (EmbeddedChunk chunk : chunks) {
            uploader.add(PointCodec.point(chunk, repo), chunk.chunk().path());
        }
    }

    @Override
    public void commit() {
        uploader.flush();
        recordFileHashes();
    }

    /**
     * The content hash of each file written since the last commit, set on its points by path: only
     * once its chunks are acknowledged (a payload set on points still on their way would find
     * none), in batches of operations. A crash before this leaves points without it, and a home that
     * recovers from the store reads those files again (their unchanged chunks keep their vectors).
     */
    private void recordFileHashes() {
        List<Map.Entry<String, String>> owed = new ArrayList<>(fileHashes.entrySet());
        for (int from = 0; from < owed.size(); from += FILES_PER_BATCH) {
            UpdateBatchPoints.Builder batch = UpdateBatchPoints.newBuilder().setCollectionName(info.name()).setWait(true);
            for (Map.Entry<String, String> file : owed.subList(from, Math.min(owed.size(), from + FILES_PER_BATCH))) {
                batch.addOperations(PointsUpdateOperation.newBuilder().setSetPayload(
                        PointsUpdateOperation.SetPayload.newBuilder()
                                .putPayload(Fields.FILE_HASH, PointCodec.string(file.getValue()))
                                .setPointsSelector(PointsSelector.newBuilder().setFilter(PointUploader.byPaths(
                                        repo, List.of(file.getKey()))))));
            }
            UpdateBatchPoints built = batch.build();
            retrier.call("record file hashes", () -> client.points().updateBatch(built));
        }
        fileHashes.clear();
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
            var update = UpdatePointVectors.newBuilder().setCollectionName(info.name()).setWait(true);
            for (EmbeddedChunk chunk : chunks.subList(from, Math.min(chunks.size(), from + VECTORS_PER_UPDATE))) {
                update.addPoints(PointVectors.newBuilder().setId(PointCodec.id(repo, chunk.chunk().id()))
                        .setVectors(Vectors.newBuilder().setVectors(NamedVectors.newBuilder()
                                .putVectors(CollectionSchema.DENSE, PointCodec.dense(chunk.vector())))));
            }
            UpdatePointVectors built = update.build();
            retrier.call("store vectors", () -> client.points().updateVectors(built));
        }
    }

    @Override
    public List<Chunk> chunksWithoutVectors(String path) {
        List<Chunk> chunks = new ArrayList<>();
        Filter byPath = PointUploader.byPaths(repo, List.of(path));
        scroll("read chunks waiting for vectors", request -> request.setFilter(byPath)
                        .setWithPayload(WithPayloadSelector.newBuilder().setEnable(true))
                        .setWithVectors(QdrantCollections.dense()),
                p -> {
                    if (PointCodec.vector(p.getVectors()) == null) {
                        chunks.add(PointCodec.chunk(p.getPayloadMap()));
                    }
                });
        chunks.sort(Comparator.comparingInt(Chunk::ordinal));
        return chunks;
    }

    @Override
    public Map<String, float[]> vectors(Map<String, String> hashById) {
        Map<String, float[]> found = new HashMap<>();
        List<String> ids = new ArrayList<>(hashById.keySet());
        Map<String, String> byPoint = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_GET) {
            GetPoints.Builder request = GetPoints.newBuilder().setCollectionName(info.name())
                    .setWithPayload(QdrantCollections.include(Fields.HASH)).setWithVectors(QdrantCollections.dense());
            for (String id : ids.subList(from, Math.min(ids.size(), from + IDS_PER_GET))) {
                String point = PointCodec.pointId(repo, id);
                byPoint.put(point, id);
                request.addIds(PointCodec.id(point));
            }
            GetPoints built = request.build();
            for (RetrievedPoint p : retrier.call("read stored vectors", () -> client.points().get(built)).getResultList()) {
                String id = byPoint.get(PointCodec.chunkId(p.getId()));
                float[] vector = PointCodec.vector(p.getVectors());
                if (vector != null && PointCodec.text(p.getPayloadMap(), Fields.HASH).equals(hashById.get(id))) {
                    found.put(id, vector);
                }
            }
        }
        return found;
    }

    @Override
    public void scan(Consumer<StoredChunk> visitor) {
        scan(Shard.ALL, visitor);
    }

    @Override
    public void scan(Shard part, Consumer<StoredChunk> visitor) {
        // Two scrolls, with vectors and without, tell which points have one without sending any.
        for (boolean embedded : new boolean[] {true, false}) {
            Condition hasVector = Condition.newBuilder()
                    .setHasVector(HasVectorCondition.newBuilder().setHasVector(CollectionSchema.DENSE)).build();
            Filter.Builder builder = (embedded ? Filter.newBuilder().addMust(hasVector)
                    : Filter.newBuilder().addMustNot(hasVector)).addMust(PointCodec.inRepo(repo));
            if (!part.isAll()) {
                builder.addMust(Condition.newBuilder().setFilter(inPart(part)));
            }
            Filter filter = builder.build();
            scroll("list points", request -> request.setFilter(filter)
                            .setWithPayload(QdrantCollections.include(Fields.PATH, Fields.ORDINAL, Fields.HASH,
                                    Fields.FILE_HASH, Fields.PATH_SLOT))
                            .setWithVectors(WithVectorsSelector.newBuilder().setEnable(false)),
                    p -> {
                        Map<String, Value> payload = p.getPayloadMap();
                        String path = PointCodec.text(payload, Fields.PATH);
                        // The server chose the points by their slot; only those written without one are sorted here.
                        if (payload.containsKey(Fields.PATH_SLOT) || part.holds(path)) {
                            int ordinal = (int) payload.getOrDefault(Fields.ORDINAL, Value.getDefaultInstance())
                                    .getIntegerValue();
                            visitor.accept(new StoredChunk(Chunk.idFor(path, ordinal), path, ordinal,
                                    PointCodec.text(payload, Fields.HASH), PointCodec.text(payload, Fields.FILE_HASH),
                                    embedded));
                        }
                    });
        }
    }

    /** Every point a scroll request shaped by {@code shape} returns, page by page. */
    private void scroll(String what, Consumer<ScrollPoints.Builder> shape, Consumer<RetrievedPoint> visitor) {
        Optional<PointId> offset = Optional.empty();
        do {
            var request = ScrollPoints.newBuilder().setCollectionName(info.name()).setLimit(SCROLL_PAGE);
            shape.accept(request);
            offset.ifPresent(request::setOffset);
            ScrollPoints built = request.build();
            ScrollResponse page = retrier.call(what, () -> client.points().scroll(built));
            page.getResultList().forEach(visitor);
            offset = page.hasNextPageOffset() ? Optional.of(page.getNextPageOffset()) : Optional.empty();
        } while (offset.isPresent());
    }

    @Override
    public long count() {
        return reader.count();
    }

    @Override
    public long count(Shard part) {
        if (part.isAll()) {
            return count();
        }
        return retrier.call("count points", () -> client.points().count(CountPoints.newBuilder()
                .setCollectionName(info.name()).setFilter(Filter.newBuilder().addMust(PointCodec.inRepo(repo))
                        .addMust(Condition.newBuilder().setFilter(inPart(part)))).setExact(true).build()))
                .getResult().getCount();
    }

    /**
     * The points of files in {@code part}: by the range of their path's slot, and any point written
     * before points had one (those are sorted out here, by path).
     */
    private static Filter inPart(Shard part) {
        return Filter.newBuilder()
                .addShould(Condition.newBuilder().setField(FieldCondition.newBuilder().setKey(Fields.PATH_SLOT)
                        .setRange(Range.newBuilder().setGte(part.firstSlot()).setLt(part.endSlot()))))
                .addShould(Condition.newBuilder().setIsEmpty(IsEmptyCondition.newBuilder().setKey(Fields.PATH_SLOT)))
                .build();
    }

    /**
     * Vectors of chunk texts any repository of the collection holds, by text hash: a fork or a
     * vendored copy of a repository indexed before takes them instead of the model's time.
     * Scrolls points of the hashes still missing, with their vectors, a page of at most two per
     * hash: a text many files share (a licence header) has many points, and a page full of them
     * is followed by one for the hashes still missing, so each page finds at least one more; a
     * short page means the rest are nowhere.
     */
    @Override
    public Map<String, float[]> sharedVectors(Collection<String> hashes) {
        Map<String, float[]> found = new HashMap<>();
        Set<String> missing = new HashSet<>(hashes);
        for (int page = 0; page < SHARED_PAGES && !missing.isEmpty(); page++) {
            Filter filter = Filter.newBuilder()
                    .addMust(Condition.newBuilder().setField(FieldCondition.newBuilder().setKey(Fields.HASH).setMatch(
                            Match.newBuilder().setKeywords(RepeatedStrings.newBuilder().addAllStrings(missing)))))
                    .addMust(Condition.newBuilder().setHasVector(
                            HasVectorCondition.newBuilder().setHasVector(CollectionSchema.DENSE)))
                    .build();
            int limit = Math.min(SCROLL_PAGE, 2 * missing.size());
            ScrollPoints request = ScrollPoints.newBuilder().setCollectionName(info.name()).setFilter(filter)
                    .setLimit(limit).setWithPayload(QdrantCollections.include(Fields.HASH))
                    .setWithVectors(QdrantCollections.dense()).build();
            List<RetrievedPoint> points = retrier.call("look up shared vectors", () -> client.points().scroll(request))
                    .getResultList();
            for (RetrievedPoint p : points) {
                float[] vector = PointCodec.vector(p.getVectors());
                String hash = PointCodec.text(p.getPayloadMap(), Fields.HASH);
                if (vector != null && missing.remove(hash)) {
                    found.put(hash, vector);
                }
            }
            if (points.size() < limit) {
                break; // every point of the missing hashes was on this page: the rest are nowhere
            }
        }
        return found;
    }

    /** A reader sharing this writer's client: nothing to open. */
    @Override
    public StoreReader reader() {
        return reader;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        uploader.close();
        client.close();
    }
}
