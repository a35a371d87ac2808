package dev.indexer.cli;

import dev.indexer.config.ByteSize;
import dev.indexer.store.qdrant.QdrantSettings.CollectionSettings;
import dev.indexer.store.qdrant.QdrantSettings.UploadSettings;
import dev.indexer.store.qdrant.QdrantSettings;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * How {@code index} sets up a new Qdrant collection and sends it points. The defaults, defined in
 * {@link QdrantSettings}, favour a small server footprint; an existing collection keeps the
 * settings it was created with.
 */
final class QdrantCollectionOptions {
    @Option(names = "--shards", paramLabel = "N", defaultValue = "" + CollectionSettings.DEFAULT_SHARDS,
            description = "Qdrant: shards of a new collection (a cluster spreads them over nodes). Default: ${DEFAULT-VALUE}.")
    int shards;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "" + CollectionSettings.DEFAULT_REPLICAS,
            description = "Qdrant: copies of each shard in a cluster. Default: ${DEFAULT-VALUE}.")
    int replicas;

    @Option(names = "--quantization", paramLabel = "KIND", defaultValue = CollectionSettings.DEFAULT_QUANTIZATION,
            description = "Qdrant: the compressed vectors kept for search: scalar (int8, 4x smaller), product (16x),"
                    + " binary (32x) or none. Default: ${DEFAULT-VALUE}.")
    String quantization;

    @Option(names = "--quantized-in-ram", paramLabel = "BOOL", arity = "1",
            defaultValue = "" + CollectionSettings.DEFAULT_QUANTIZED_IN_RAM,
            description = "Qdrant: keep the quantized vectors in RAM while the originals stay on disk. Default: ${DEFAULT-VALUE}.")
    boolean quantizedInRam;

    @Option(names = "--vectors-on-disk", paramLabel = "BOOL", arity = "1", defaultValue = "" + CollectionSettings.DEFAULT_ON_DISK,
            description = "Qdrant: serve the original vectors from disk. Default: ${DEFAULT-VALUE}.")
    boolean vectorsOnDisk;

    @Option(names = "--hnsw-on-disk", paramLabel = "BOOL", arity = "1", defaultValue = "" + CollectionSettings.DEFAULT_ON_DISK,
            description = "Qdrant: keep the HNSW graph on disk. Default: ${DEFAULT-VALUE}.")
    boolean hnswOnDisk;

    @Option(names = "--payload-on-disk", paramLabel = "BOOL", arity = "1", defaultValue = "" + CollectionSettings.DEFAULT_ON_DISK,
            description = "Qdrant: keep payloads (path, lines, text) on disk. Default: ${DEFAULT-VALUE}.")
    boolean payloadOnDisk;

    @Option(names = "--hnsw-m", paramLabel = "N", defaultValue = "" + CollectionSettings.DEFAULT_HNSW_M,
            description = "Qdrant: graph edges per vector; more is more accurate and larger. Default: ${DEFAULT-VALUE}.")
    int hnswM;

    @Option(names = "--hnsw-ef-construct", paramLabel = "N", defaultValue = "" + CollectionSettings.DEFAULT_HNSW_EF_CONSTRUCT,
            description = "Qdrant: candidates weighed while building the graph. Default: ${DEFAULT-VALUE}.")
    int hnswEfConstruct;

    @Option(names = "--graph-per-repo",
            description = "Qdrant: build a new collection's HNSW graphs per repository (m 0, payload_m N of --hnsw-m),"
                    + " as Qdrant advises for many tenants: each repository is searched through a graph of its own"
                    + " points, and a search of all repositories at once scans every vector. For a collection of"
                    + " many repositories each searched alone.")
    boolean graphPerRepo;

    @Option(names = "--qdrant-batch-bytes", paramLabel = "SIZE", defaultValue = UploadSettings.DEFAULT_BATCH_BYTES,
            converter = Converters.Size.class,
            description = "Qdrant: serialized size of one upload request (gRPC's limit is 4MB). Default: ${DEFAULT-VALUE}.")
    ByteSize batchBytes;

    @Option(names = "--qdrant-in-flight", paramLabel = "N", defaultValue = "" + UploadSettings.DEFAULT_IN_FLIGHT,
            description = "Qdrant: upload requests sent and not yet acknowledged. Default: ${DEFAULT-VALUE}.")
    int inFlight;

    @Option(names = "--qdrant-retries", paramLabel = "N", defaultValue = "" + UploadSettings.DEFAULT_RETRIES,
            description = "Qdrant: retries of a request the server could not take (unavailable, overloaded, too slow),"
                    + " waiting 0.5s, 1s, 2s... up to 10s between them. Default: ${DEFAULT-VALUE}.")
    int retries;

    QdrantSettings apply(QdrantSettings settings, CommandLine commandLine) {
        try {
            return settings.withCollection(collection()).withUpload(upload());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    private CollectionSettings collection() {
        return CollectionSettings.DEFAULTS.withLayout(shards, replicas).withGraph(hnswM, hnswEfConstruct)
                .withQuantization(quantization).withVectorsOnDisk(vectorsOnDisk).withHnswOnDisk(hnswOnDisk)
                .withPayloadOnDisk(payloadOnDisk).withQuantizedInRam(quantizedInRam).withGraphPerRepo(graphPerRepo);
    }

    private UploadSettings upload() {
        return UploadSettings.DEFAULTS.withSending(batchBytes.bytes(), inFlight, retries);
    }

    /** Whether any option here differs from its default: they only matter with a Qdrant server. */
    boolean anySet(CommandLine commandLine) {
        try {
            return !collection().equals(CollectionSettings.DEFAULTS) || !upload().equals(UploadSettings.DEFAULTS);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
