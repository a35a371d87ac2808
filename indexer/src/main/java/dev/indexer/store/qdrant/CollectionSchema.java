package dev.indexer.store.qdrant;

import dev.indexer.IndexerException;
import dev.indexer.json.Json;
import dev.indexer.store.CollectionInfo;
import dev.indexer.store.EmbeddedChunk.Fields;
import io.qdrant.client.grpc.Collections.BinaryQuantization;
import io.qdrant.client.grpc.Collections.CompressionRatio;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.HnswConfigDiff;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.ProductQuantization;
import io.qdrant.client.grpc.Collections.QuantizationConfig;
import io.qdrant.client.grpc.Collections.QuantizationType;
import io.qdrant.client.grpc.Collections.ScalarQuantization;
import io.qdrant.client.grpc.Collections.SparseIndexConfig;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorParamsMap;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.List;
import java.util.Map;

/**
 * The shape of a collection in Qdrant: what a new one is created with, what an existing one must
 * match, and what its config says, for {@code status}. The model, dimension and root the collection
 * was built with travel in the collection's own metadata, so any machine can search it.
 */
final class CollectionSchema {
    /** The embedding, by name: a collection also holds the sparse lexical vector. */
    static final String DENSE = "dense";
    /** Code-aware terms weighted for BM25, with the server supplying the IDF. */
    static final String SPARSE = "text";

    /**
     * Payload fields that filters use (deletes by path; search by language; vectors shared by text
     * hash); they get keyword indexes. The repository's has one of its own, as the tenant.
     */
    static final List<String> INDEXED_FIELDS = List.of(Fields.PATH, Fields.LANGUAGE, Fields.HASH);
    /**
     * Metadata keys of the runs recorded ({@link dev.indexer.store.RunRecord}): {@code run:PART:REPO},
     * one per part of each repository's tree.
     */
    static final String RUN_KEY_PREFIX = "run:";
    /** Metadata keys of the repositories indexed into the collection: {@code repo:NAME}, with its root. */
    static final String REPO_KEY_PREFIX = "repo:";
    /**
     * Set on collections whose points carry their repository: one made by an earlier version has
     * none, and its points would be found by no search of a repository.
     */
    static final String TENANTS_KEY = "indexer.tenants";
    static final String TENANTS_VALUE = Fields.REPO;

    private CollectionSchema() {}

    static CreateCollection create(CollectionInfo info, QdrantSettings.CollectionSettings s) {
        VectorParams vectors = VectorParams.newBuilder().setSize(info.dimension()).setDistance(Distance.Cosine)
                .setOnDisk(s.vectorsOnDisk()).build();
        CreateCollection.Builder create = CreateCollection.newBuilder().setCollectionName(info.name())
                .setVectorsConfig(VectorsConfig.newBuilder()
                        .setParamsMap(VectorParamsMap.newBuilder().putMap(DENSE, vectors)))
                .setSparseVectorsConfig(SparseVectorConfig.newBuilder().putMap(SPARSE, SparseVectorParams.newBuilder()
                        .setModifier(Modifier.Idf).setIndex(SparseIndexConfig.newBuilder().setOnDisk(s.vectorsOnDisk()))
                        .build()))
                .setHnswConfig(graph(s))
                .setOnDiskPayload(s.payloadOnDisk()).setShardNumber(s.shards()).setReplicationFactor(s.replicas())
                .putAllMetadata(metadata(info))
                .putMetadata(TENANTS_KEY, Value.newBuilder().setStringValue(TENANTS_VALUE).build());
        quantization(s).ifPresent(create::setQuantizationConfig);
        return create.build();
    }

    /**
     * One graph over the collection, or (Qdrant's advice for many tenants) none over it and one per
     * repository, built from the points that share a value of the tenant field.
     */
    private static HnswConfigDiff graph(QdrantSettings.CollectionSettings s) {
        HnswConfigDiff.Builder graph = HnswConfigDiff.newBuilder().setEfConstruct(s.hnswEfConstruct())
                .setOnDisk(s.hnswOnDisk());
        return (s.graphPerRepo() ? graph.setM(0).setPayloadM(s.hnswM()) : graph.setM(s.hnswM())).build();
    }

    /** Whether the collection's points carry their repository (see {@link #TENANTS_KEY}). */
    static boolean holdsRepos(Collections.CollectionInfo existing) {
        return existing.getConfig().getMetadataMap().containsKey(TENANTS_KEY);
    }

    /**
     * The sentence for a collection made before collections held repositories, and what to do.
     */
    static IndexerException withoutRepos(QdrantAddress address, String name) {
        return new IndexerException("Qdrant collection '" + name + "' at " + address + " was made by an earlier"
                + " version of the indexer, whose points do not say which repository they belong to; nothing was"
                + " changed. Rebuild it with: indexer index PATH --collection " + name + " --reindex (each repository"
                + " in it is then indexed again), or choose another --collection.");
    }

    /**
     * The repositories recorded in the collection's metadata, by name, with the root each was last
     * indexed from; a dropped one has a null value left behind (metadata keys cannot be removed).
     */
    static Map<String, String> repos(Collections.CollectionInfo existing) {
        Map<String, String> repos = new java.util.TreeMap<>();
        existing.getConfig().getMetadataMap().forEach((key, value) -> {
            if (key.startsWith(REPO_KEY_PREFIX) && value.hasStringValue()) {
                repos.put(key.substring(REPO_KEY_PREFIX.length()), value.getStringValue());
            }
        });
        return repos;
    }

    /** The metadata key of a run of part {@code part} of repository {@code repo}. */
    static String runKey(String part, String repo) {
        return RUN_KEY_PREFIX + part + ":" + repo;
    }

    /** The completed runs the collection's metadata records, newest first; unreadable entries left out. */
    static List<dev.indexer.store.RunRecord> runs(Collections.CollectionInfo existing) {
        List<dev.indexer.store.RunRecord> runs = new java.util.ArrayList<>();
        existing.getConfig().getMetadataMap().forEach((key, value) -> {
            if (key.startsWith(RUN_KEY_PREFIX) && value.hasStringValue()) {
                // another tool's key of that name, or one of an earlier version, is not ours to show
                dev.indexer.store.RunRecord.parse(value.getStringValue()).ifPresent(runs::add);
            }
        });
        runs.sort(java.util.Comparator.comparing(dev.indexer.store.RunRecord::finished).reversed());
        return runs;
    }

    private static java.util.Optional<QuantizationConfig> quantization(QdrantSettings.CollectionSettings s) {
        QuantizationConfig.Builder q = QuantizationConfig.newBuilder();
        switch (s.quantization()) {
            // Clipping the extreme 1% of values spends the 256 levels where the vectors are.
            case SCALAR -> q.setScalar(ScalarQuantization.newBuilder().setType(QuantizationType.Int8).setQuantile(0.99f)
                    .setAlwaysRam(s.quantizedInRam()));
            case PRODUCT -> q.setProduct(ProductQuantization.newBuilder().setCompression(CompressionRatio.x16)
                    .setAlwaysRam(s.quantizedInRam()));
            case BINARY -> q.setBinary(BinaryQuantization.newBuilder().setAlwaysRam(s.quantizedInRam()));
            case NONE -> {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(q.build());
    }

    static Map<String, Value> metadata(CollectionInfo info) {
        return Map.of(CollectionInfo.MODEL_KEY, Value.newBuilder().setStringValue(info.model()).build(),
                CollectionInfo.DIMENSION_KEY, Value.newBuilder().setIntegerValue(info.dimension()).build(),
                CollectionInfo.ROOT_KEY, Value.newBuilder().setStringValue(info.root()).build());
    }

    /** The parameters of an existing collection's dense vector named {@link #DENSE}, if it has one. */
    static java.util.Optional<VectorParams> vectorParams(Collections.CollectionInfo existing) {
        Collections.CollectionParams params = existing.getConfig().getParams();
        return params.hasVectorsConfig() && params.getVectorsConfig().hasParamsMap()
                        && params.getVectorsConfig().getParamsMap().containsMap(DENSE)
                ? java.util.Optional.of(params.getVectorsConfig().getParamsMap().getMapOrThrow(DENSE))
                : java.util.Optional.empty();
    }

    /** Whether an existing collection has the sparse vector lexical search needs. */
    static boolean hasSparse(Collections.CollectionInfo existing) {
        return existing.getConfig().getParams().getSparseVectorsConfig().containsMap(SPARSE);
    }

    /**
     * What an existing collection holds, from its metadata; one made by another tool has none, and is
     * taken to be built with the model that fits its vectors.
     */
    static CollectionInfo infoOf(String name, Collections.CollectionInfo existing, String modelIfUnknown) {
        Map<String, Value> meta = existing.getConfig().getMetadataMap();
        int dimension = vectorParams(existing).map(p -> (int) p.getSize()).orElse(0);
        String model = meta.containsKey(CollectionInfo.MODEL_KEY) ? meta.get(CollectionInfo.MODEL_KEY).getStringValue() : modelIfUnknown;
        String root = meta.containsKey(CollectionInfo.ROOT_KEY) ? meta.get(CollectionInfo.ROOT_KEY).getStringValue() : "";
        return new CollectionInfo(name, model, dimension, root);
    }

    /**
     * Checks that an existing collection can take this run's vectors.
     *
     * @throws IndexerException if its vectors have another size or distance, or another model made them
     */
    static void check(QdrantAddress address, Collections.CollectionInfo existing, CollectionInfo expected) {
        String name = expected.name();
        VectorParams params = vectorParams(existing).filter(p -> hasSparse(existing)).orElseThrow(() -> new IndexerException(
                "Qdrant collection '" + name + "' at " + address + " does not have the '" + DENSE + "' and '" + SPARSE
                + "' vectors this indexer writes (another tool or an older version made it); nothing was written:"
                + " choose another --collection name, or rebuild it with --reindex."));
        if (params.getSize() != expected.dimension() || params.getDistance() != Distance.Cosine) {
            throw new IndexerException("Qdrant collection '" + name + "' at " + address + " holds "
                    + params.getSize() + "-dimensional " + params.getDistance() + " vectors, but model "
                    + expected.model() + " makes " + expected.dimension() + "-dimensional Cosine ones; nothing was"
                    + " written: choose another --collection name, or rebuild it with --reindex.");
        }
        Value model = existing.getConfig().getMetadataMap().get(CollectionInfo.MODEL_KEY);
        if (model != null && !model.getStringValue().equals(expected.model())) {
            throw new IndexerException("Qdrant collection '" + name + "' at " + address + " was built with model "
                    + model.getStringValue() + ", not " + expected.model() + "; nothing was written: rerun with"
                    + " --model " + model.getStringValue() + ", or with --reindex to rebuild it.");
        }
    }

    /** The collection's configuration and state, for {@code status}. */
    static Map<String, Object> describe(Collections.CollectionInfo info) {
        Collections.CollectionConfig config = info.getConfig();
        Collections.HnswConfigDiff hnsw = config.getHnswConfig();
        Collections.CollectionParams params = config.getParams();
        Map<String, Object> out = Json.object("status", info.getStatus().name().toLowerCase(java.util.Locale.ROOT),
                "points", info.getPointsCount(), "indexedVectors", info.getIndexedVectorsCount(),
                "segments", info.getSegmentsCount());
        vectorParams(info).ifPresent(p -> out.putAll(Json.object("vectorSize", p.getSize(), "distance",
                p.getDistance().name(), "vectorsOnDisk", p.getOnDisk())));
        out.putAll(Json.object("hnswM", hnsw.getM(), "hnswEfConstruct", hnsw.getEfConstruct(),
                "hnswOnDisk", hnsw.getOnDisk(), "quantization", describe(config.getQuantizationConfig()),
                "payloadOnDisk", params.getOnDiskPayload(),
                "shards", params.getShardNumber(), "replicas", params.getReplicationFactor(),
                "sparseVectors", hasSparse(info) ? SPARSE + " (BM25 terms, IDF on the server)" : "none",
                "payloadIndexes", String.join(",", info.getPayloadSchemaMap().keySet().stream().sorted().toList())));
        out.put("hnswPayloadM", hnsw.getPayloadM());
        out.put("repos", new java.util.ArrayList<>(repos(info).keySet()));
        out.put("runs", runs(info).stream().map(dev.indexer.store.RunRecord::fields).toList());
        return out;
    }

    private static String describe(QuantizationConfig q) {
        return switch (q.getQuantizationCase()) {
            case SCALAR -> "scalar int8" + (q.getScalar().getAlwaysRam() ? ", in RAM" : "");
            case PRODUCT -> "product " + q.getProduct().getCompression() + (q.getProduct().getAlwaysRam() ? ", in RAM" : "");
            case BINARY -> "binary" + (q.getBinary().getAlwaysRam() ? ", in RAM" : "");
            default -> "none";
        };
    }
}
