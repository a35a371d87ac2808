package dev.indexer.store.qdrant;

import dev.indexer.store.StoreTarget;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach a Qdrant server and how a collection there is set up. The defaults keep the server's
 * memory small: vectors, HNSW graph and payload on disk, only int8-quantized vectors in RAM.
 *
 * @param address the server's gRPC address
 * @param apiKey the API key, from {@code QDRANT_API_KEY} only (never a command-line value)
 * @param timeout deadline for each request
 * @param collection how a new collection is configured
 * @param upload how points are sent
 */
public record QdrantSettings(QdrantAddress address, Optional<String> apiKey, Duration timeout,
        CollectionSettings collection, UploadSettings upload) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public QdrantSettings {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Qdrant timeout must be positive");
        }
    }

    /**
     * Defaults for everything but the server, which {@code url} names ({@code http://host:6334},
     * {@code https://...} for TLS).
     *
     * @throws IllegalArgumentException if the URL cannot name a Qdrant server, saying why
     */
    public static QdrantSettings forUrl(String url) {
        return defaults(QdrantAddress.parse(url));
    }

    /** Defaults for everything but the address. */
    static QdrantSettings defaults(QdrantAddress address) {
        return new QdrantSettings(address, Optional.empty(), DEFAULT_TIMEOUT, CollectionSettings.DEFAULTS,
                UploadSettings.DEFAULTS);
    }

    /** Where collections live with these settings: a collection of the same name on the server. */
    public StoreTarget target() {
        return new QdrantTarget(this);
    }

    public QdrantSettings withApiKey(Optional<String> key) {
        return new QdrantSettings(address, key.filter(k -> !k.isBlank()), timeout, collection, upload);
    }

    public QdrantSettings withTimeout(Duration value) {
        return new QdrantSettings(address, apiKey, value, collection, upload);
    }

    public QdrantSettings withCollection(CollectionSettings value) {
        return new QdrantSettings(address, apiKey, timeout, value, upload);
    }

    public QdrantSettings withUpload(UploadSettings value) {
        return new QdrantSettings(address, apiKey, timeout, collection, value);
    }

    /**
     * A new collection's configuration; an existing collection keeps its own.
     *
     * @param shards shards of the collection (cluster)
     * @param replicas copies of each shard (cluster)
     * @param vectorsOnDisk serve the original vectors from disk
     * @param hnswOnDisk keep the HNSW graph on disk
     * @param hnswM edges per graph node
     * @param hnswEfConstruct candidates considered while building the graph
     * @param quantization the in-RAM copy of the vectors
     * @param quantizedInRam keep the quantized vectors in RAM even though the originals are on disk
     * @param payloadOnDisk keep payloads (text, path...) on disk
     * @param graphPerRepo build one HNSW graph per repository ({@code m: 0}, {@code payload_m: hnswM})
     *     instead of one over the whole collection: for a collection of many repositories, each
     *     searched alone; a search over all of them then scans every vector
     */
    public record CollectionSettings(int shards, int replicas, boolean vectorsOnDisk, boolean hnswOnDisk, int hnswM,
            int hnswEfConstruct, Quantization quantization, boolean quantizedInRam, boolean payloadOnDisk,
            boolean graphPerRepo) {

        public static final int DEFAULT_SHARDS = 1;
        public static final int DEFAULT_REPLICAS = 1;
        public static final boolean DEFAULT_ON_DISK = true;
        public static final int DEFAULT_HNSW_M = 16;
        public static final int DEFAULT_HNSW_EF_CONSTRUCT = 100;
        /** The id of {@link Quantization#SCALAR}, for option annotations. */
        public static final String DEFAULT_QUANTIZATION = "scalar";
        public static final boolean DEFAULT_QUANTIZED_IN_RAM = true;

        public static final CollectionSettings DEFAULTS = new CollectionSettings(DEFAULT_SHARDS, DEFAULT_REPLICAS,
                DEFAULT_ON_DISK, DEFAULT_ON_DISK, DEFAULT_HNSW_M, DEFAULT_HNSW_EF_CONSTRUCT,
                Quantization.byId(DEFAULT_QUANTIZATION), DEFAULT_QUANTIZED_IN_RAM, DEFAULT_ON_DISK, false);

        public CollectionSettings {
            if (shards < 1 || replicas < 1) {
                throw new IllegalArgumentException("--shards and --replicas must be at least 1");
            }
            if (hnswM < 4 || hnswM > 128) {
                throw new IllegalArgumentException("--hnsw-m must be from 4 to 128, was " + hnswM);
            }
            if (hnswEfConstruct < 4 || hnswEfConstruct > 1000) {
                throw new IllegalArgumentException("--hnsw-ef-construct must be from 4 to 1000, was " + hnswEfConstruct);
            }
        }

        public CollectionSettings withLayout(int shardCount, int replicaCount) {
            return new CollectionSettings(shardCount, replicaCount, vectorsOnDisk, hnswOnDisk, hnswM, hnswEfConstruct,
                    quantization, quantizedInRam, payloadOnDisk, graphPerRepo);
        }

        public CollectionSettings withGraph(int m, int efConstruct) {
            return new CollectionSettings(shards, replicas, vectorsOnDisk, hnswOnDisk, m, efConstruct, quantization,
                    quantizedInRam, payloadOnDisk, graphPerRepo);
        }

        /** @throws IllegalArgumentException for an unknown id, naming the ones there are */
        public CollectionSettings withQuantization(String id) {
            return new CollectionSettings(shards, replicas, vectorsOnDisk, hnswOnDisk, hnswM, hnswEfConstruct,
                    Quantization.byId(id), quantizedInRam, payloadOnDisk, graphPerRepo);
        }

        public CollectionSettings withVectorsOnDisk(boolean value) {
            return new CollectionSettings(shards, replicas, value, hnswOnDisk, hnswM, hnswEfConstruct, quantization,
                    quantizedInRam, payloadOnDisk, graphPerRepo);
        }

        public CollectionSettings withHnswOnDisk(boolean value) {
            return new CollectionSettings(shards, replicas, vectorsOnDisk, value, hnswM, hnswEfConstruct, quantization,
                    quantizedInRam, payloadOnDisk, graphPerRepo);
        }

        public CollectionSettings withQuantizedInRam(boolean value) {
            return new CollectionSettings(shards, replicas, vectorsOnDisk, hnswOnDisk, hnswM, hnswEfConstruct,
                    quantization, value, payloadOnDisk, graphPerRepo);
        }

        public CollectionSettings withGraphPerRepo(boolean value) {
            return new CollectionSettings(shards, replicas, vectorsOnDisk, hnswOnDisk, hnswM, hnswEfConstruct,
                    quantization, quantizedInRam, payloadOnDisk, value);
        }

        public CollectionSettings withPayloadOnDisk(boolean value) {
            return new CollectionSettings(shards, replicas, vectorsOnDisk, hnswOnDisk, hnswM, hnswEfConstruct,
                    quantization, quantizedInRam, value, graphPerRepo);
        }
    }

    /**
     * How points are sent.
     *
     * @param batchBytes serialized size of one upsert request, kept far below gRPC's 4 MiB message limit
     * @param inFlight upsert requests sent and not yet acknowledged; the client has no cap of its own
     * @param attempts tries per request when the server is unavailable, overloaded or slow
     * @param firstBackoff wait after the first failure; it doubles each time, with jitter
     * @param maxBackoff the longest wait between tries
     */
    public record UploadSettings(int batchBytes, int inFlight, int attempts, Duration firstBackoff, Duration maxBackoff) {
        /** Option annotations spell the defaults; {@code DEFAULTS} holds the same values. */
        public static final String DEFAULT_BATCH_BYTES = "1MB";
        public static final int DEFAULT_IN_FLIGHT = 2;
        public static final int DEFAULT_RETRIES = 5;

        public static final UploadSettings DEFAULTS = new UploadSettings(1 << 20, DEFAULT_IN_FLIGHT,
                DEFAULT_RETRIES + 1, Duration.ofMillis(500), Duration.ofSeconds(10));

        /** A batch never holds more points than this, however small they are. */
        public static final int MAX_POINTS = 512;

        public UploadSettings {
            if (batchBytes < 16 * 1024 || batchBytes > 3 * 1024 * 1024) {
                throw new IllegalArgumentException("--qdrant-batch-bytes must be from 16KB to 3MB (gRPC's limit is 4MB)");
            }
            if (inFlight < 1 || inFlight > 16) {
                throw new IllegalArgumentException("--qdrant-in-flight must be from 1 to 16, was " + inFlight);
            }
            if (attempts < 1 || attempts > 20) {
                throw new IllegalArgumentException("--qdrant-retries must be from 0 to 19");
            }
        }

        /** {@code bytes} per request, at most {@code inFlightCount} unacknowledged, each retried {@code retries} times. */
        public UploadSettings withSending(long bytes, int inFlightCount, int retries) {
            return new UploadSettings((int) Math.min(Integer.MAX_VALUE, bytes), inFlightCount, retries + 1,
                    firstBackoff, maxBackoff);
        }

        public UploadSettings withAttempts(int value) {
            return new UploadSettings(batchBytes, inFlight, value, firstBackoff, maxBackoff);
        }

        public UploadSettings withBackoff(Duration first, Duration max) {
            return new UploadSettings(batchBytes, inFlight, attempts, first, max);
        }
    }
}
