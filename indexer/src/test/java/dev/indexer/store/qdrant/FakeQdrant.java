package dev.indexer.store.qdrant;

import com.google.protobuf.Message;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.FieldCondition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.GetResponse;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.QueryResponse;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsOutput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckReply;
import io.qdrant.client.grpc.QdrantOuterClass.HealthCheckRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Qdrant server for tests, built on the service bases generated into the client jar. It keeps
 * collections and points in memory, answers queries by exact cosine similarity, records every
 * request, and fails calls on demand. Served in-process, or on a localhost port for the CLI.
 */
public final class FakeQdrant implements AutoCloseable {
    /** One request as the server received it. */
    public record Call(String method, Message request) {}

    private final Map<String, FakeCollection> collections = new HashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Status>> failures = new HashMap<>();
    private final AtomicInteger upsertsInFlight = new AtomicInteger();
    private final AtomicInteger maxUpsertsInFlight = new AtomicInteger();
    private volatile long upsertDelayMillis;
    private final Map<String, Integer> successesBeforeOutage = new HashMap<>();
    private final Map<String, Status> outages = new HashMap<>();
    private final List<String> apiKeys = new CopyOnWriteArrayList<>();
    private final List<Server> servers = new ArrayList<>();
    private final String name = "fake-qdrant-" + UUID.randomUUID();

    private static final class FakeCollection {
        /** Keyword fields whose values are looked up by filters: kept in an index, as a server keeps them. */
        static final Set<String> LOOKED_UP = Set.of("hash", "path", "repo");

        CreateCollection created;
        final Map<String, Value> metadata = new HashMap<>();
        final Set<String> indexedFields = new HashSet<>();
        final TreeMap<String, PointStruct> points = new TreeMap<>();
        /** Field, then value, then the ids of the points that have it: for filters at the JDK's size. */
        final Map<String, Map<String, Set<String>>> byValue = new HashMap<>();

        void put(PointStruct p) {
            PointStruct old = points.put(p.getId().getUuid(), p);
            if (old != null) {
                unindex(old);
            }
            index(p);
        }

        void remove(String id) {
            PointStruct old = points.remove(id);
            if (old != null) {
                unindex(old);
            }
        }

        void removeIf(java.util.function.Predicate<PointStruct> which) {
            for (PointStruct p : points.values().stream().filter(which).toList()) {
                remove(p.getId().getUuid());
            }
        }

        /** After payloads changed in bulk. */
        void reindex() {
            byValue.clear();
            points.values().forEach(this::index);
        }

        private void index(PointStruct p) {
            for (String field : LOOKED_UP) {
                Value v = p.getPayloadMap().get(field);
                if (v != null && v.hasStringValue()) {
                    byValue.computeIfAbsent(field, f -> new HashMap<>())
                            .computeIfAbsent(v.getStringValue(), k -> new HashSet<>()).add(p.getId().getUuid());
                }
            }
        }

        private void unindex(PointStruct p) {
            for (String field : LOOKED_UP) {
                Value v = p.getPayloadMap().get(field);
                Map<String, Set<String>> values = byValue.get(field);
                if (v != null && values != null && values.containsKey(v.getStringValue())) {
                    values.get(v.getStringValue()).remove(p.getId().getUuid());
                }
            }
        }

        /**
         * The points a filter can match, in id order: those of the values its first keyword
         * condition on a path or a hash names, else all (a repository holds most of them).
         */
        java.util.NavigableMap<String, PointStruct> candidates(Filter filter) {
            for (Condition condition : filter.getMustList()) {
                FieldCondition field = condition.getField();
                if (condition.hasField() && !field.getKey().equals("repo") && LOOKED_UP.contains(field.getKey())
                        && (field.getMatch().hasKeyword() || field.getMatch().hasKeywords())) {
                    List<String> values = field.getMatch().hasKeyword() ? List.of(field.getMatch().getKeyword())
                            : field.getMatch().getKeywords().getStringsList();
                    TreeMap<String, PointStruct> out = new TreeMap<>();
                    Map<String, Set<String>> index = byValue.getOrDefault(field.getKey(), Map.of());
                    for (String value : values) {
                        for (String id : index.getOrDefault(value, Set.of())) {
                            out.put(id, points.get(id));
                        }
                    }
                    return out;
                }
            }
            return points;
        }
    }

    /** Starts the in-process server; connect with {@link #client()}. */
    public static FakeQdrant start() throws IOException {
        FakeQdrant fake = new FakeQdrant();
        fake.servers.add(fake.register(InProcessServerBuilder.forName(fake.name).directExecutor()).build().start());
        return fake;
    }

    /** Also listens on a localhost TCP port, for code that takes a URL; returns the port. */
    public int listenOnLocalhost() throws IOException {
        return listenOn(0);
    }

    /** Also listens on 127.0.0.1:{@code port} (0: any free port); returns the port. */
    public int listenOn(int port) throws IOException {
        Server server = register(io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
                .forAddress(new InetSocketAddress("127.0.0.1", port))).build().start();
        servers.add(server);
        return server.getPort();
    }

    private io.grpc.ServerBuilder<?> register(io.grpc.ServerBuilder<?> builder) {
        io.grpc.ServerInterceptor recordKey = new io.grpc.ServerInterceptor() {
            @Override
            public <Q, A> io.grpc.ServerCall.Listener<Q> interceptCall(io.grpc.ServerCall<Q, A> call,
                    io.grpc.Metadata headers, io.grpc.ServerCallHandler<Q, A> next) {
                String key = headers.get(io.grpc.Metadata.Key.of("api-key", io.grpc.Metadata.ASCII_STRING_MARSHALLER));
                if (key != null) {
                    apiKeys.add(key);
                }
                return next.startCall(call, headers);
            }
        };
        return builder
                .addService(io.grpc.ServerInterceptors.intercept(new CollectionsService(), recordKey))
                .addService(io.grpc.ServerInterceptors.intercept(new PointsService(), recordKey))
                .addService(io.grpc.ServerInterceptors.intercept(new HealthService(), recordKey));
    }

    /** A client on the in-process channel; closing it closes the channel. */
    public QdrantGrpcClient client() {
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        return QdrantGrpcClient.newBuilder(channel, true, false).withTimeout(java.time.Duration.ofSeconds(10)).build();
    }

    /** The next {@code times} calls of {@code method} ("Upsert", "Delete", "Get"...) fail with {@code status}. */
    public synchronized void failNext(String method, Status status, int times) {
        Deque<Status> queue = failures.computeIfAbsent(method, m -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(status);
        }
    }

    /** After {@code successes} more calls of {@code method} succeed, every later one fails with {@code status}. */
    public synchronized void failAfter(String method, int successes, Status status) {
        successesBeforeOutage.put(method, successes);
        outages.put(method, status);
    }

    public synchronized void clearFailures() {
        failures.clear();
        successesBeforeOutage.clear();
        outages.clear();
    }

    /** The API keys requests carried, in order. */
    public List<String> apiKeys() {
        return List.copyOf(apiKeys);
    }

    /** Makes each upsert take this long, so that concurrent ones overlap. */
    public void slowUpserts(long millis) {
        upsertDelayMillis = millis;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public <T extends Message> List<T> requests(String method, Class<T> type) {
        return calls.stream().filter(c -> c.method().equals(method)).map(c -> type.cast(c.request())).toList();
    }

    public int maxUpsertsInFlight() {
        return maxUpsertsInFlight.get();
    }

    public synchronized int pointCount(String collection) {
        FakeCollection c = collections.get(collection);
        return c == null ? 0 : c.points.size();
    }

    /** Every point as stored (payload and vectors), by point id: for comparing what runs wrote. */
    public synchronized Map<String, PointStruct> points(String collection) {
        return new TreeMap<>(collections.get(collection).points);
    }

    /** Deletes the points that match, behind the client's back (damage a test repairs). */
    public synchronized void dropPoints(String collection, java.util.function.Predicate<PointStruct> which) {
        collections.get(collection).removeIf(which);
    }

    /** Removes one payload field from the points that match, behind the client's back. */
    public synchronized void dropPayload(String collection, String key, java.util.function.Predicate<PointStruct> which) {
        FakeCollection c = collections.get(collection);
        c.points.replaceAll((id, p) -> which.test(p) ? p.toBuilder().removePayload(key).build() : p);
        c.reindex();
    }

    /** Removes the collection's metadata entries whose key {@code which} accepts, as an earlier version left it. */
    public synchronized void dropMetadata(String collection, java.util.function.Predicate<String> which) {
        collections.get(collection).metadata.keySet().removeIf(which);
    }

    /** The collection's metadata, as it holds it now. */
    public synchronized Map<String, Value> metadata(String collection) {
        return new TreeMap<>(collections.get(collection).metadata);
    }

    /** Every point's path payload, by point id. */
    public synchronized Map<String, String> paths(String collection) {
        Map<String, String> out = new TreeMap<>();
        collections.get(collection).points.forEach((id, p) -> out.put(id, p.getPayloadOrThrow("path").getStringValue()));
        return out;
    }

    public synchronized boolean hasCollection(String collection) {
        return collections.containsKey(collection);
    }

    /** Records the call and says whether it must fail (having answered the failure). */
    private boolean failed(String method, Message request, StreamObserver<?> observer) {
        calls.add(new Call(method, request));
        Status status;
        synchronized (this) {
            Deque<Status> queue = failures.get(method);
            status = queue == null ? null : queue.poll();
            if (status == null && outages.containsKey(method)) {
                int left = successesBeforeOutage.get(method);
                if (left > 0) {
                    successesBeforeOutage.put(method, left - 1);
                } else {
                    status = outages.get(method);
                }
            }
        }
        if (status != null) {
            observer.onError(status.asRuntimeException());
            return true;
        }
        return false;
    }

    private static <T> void answer(StreamObserver<T> observer, T response) {
        observer.onNext(response);
        observer.onCompleted();
    }

    private synchronized FakeCollection collection(String name, StreamObserver<?> observer) {
        FakeCollection c = collections.get(name);
        if (c == null) {
            observer.onError(Status.NOT_FOUND.withDescription("Collection `" + name + "` doesn't exist!").asRuntimeException());
        }
        return c;
    }

    private static PointsOperationResponse completed() {
        return PointsOperationResponse.newBuilder()
                .setResult(UpdateResult.newBuilder().setStatus(UpdateStatus.Completed)).build();
    }

    private final class HealthService extends QdrantGrpc.QdrantImplBase {
        @Override
        public void healthCheck(HealthCheckRequest request, StreamObserver<HealthCheckReply> observer) {
            if (!failed("HealthCheck", request, observer)) {
                answer(observer, HealthCheckReply.newBuilder().setTitle("fake qdrant").setVersion("1.18.0").build());
            }
        }
    }

    private final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {
        @Override
        public void collectionExists(CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> observer) {
            if (failed("CollectionExists", request, observer)) {
                return;
            }
            boolean exists;
            synchronized (FakeQdrant.this) {
                exists = collections.containsKey(request.getCollectionName());
            }
            answer(observer, CollectionExistsResponse.newBuilder()
                    .setResult(CollectionExists.newBuilder().setExists(exists)).build());
        }

        @Override
        public void create(CreateCollection request, StreamObserver<CollectionOperationResponse> observer) {
            if (failed("Create", request, observer)) {
                return;
            }
            synchronized (FakeQdrant.this) {
                if (collections.containsKey(request.getCollectionName())) {
                    observer.onError(Status.ALREADY_EXISTS.withDescription("Collection `" + request.getCollectionName()
                            + "` already exists!").asRuntimeException());
                    return;
                }
                FakeCollection c = new FakeCollection();
                c.created = request;
                c.metadata.putAll(request.getMetadataMap());
                collections.put(request.getCollectionName(), c);
            }
            answer(observer, CollectionOperationResponse.newBuilder().setResult(true).build());
        }

        @Override
        public void update(UpdateCollection request, StreamObserver<CollectionOperationResponse> observer) {
            if (failed("Update", request, observer)) {
                return;
            }
            FakeCollection c = collection(request.getCollectionName(), observer);
            if (c != null) {
                synchronized (FakeQdrant.this) {
                    c.metadata.putAll(request.getMetadataMap());
                }
                answer(observer, CollectionOperationResponse.newBuilder().setResult(true).build());
            }
        }

        @Override
        public void delete(DeleteCollection request, StreamObserver<CollectionOperationResponse> observer) {
            if (failed("DeleteCollection", request, observer)) {
                return;
            }
            boolean removed;
            synchronized (FakeQdrant.this) {
                removed = collections.remove(request.getCollectionName()) != null;
            }
            answer(observer, CollectionOperationResponse.newBuilder().setResult(removed).build());
        }

        @Override
        public void get(GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> observer) {
            if (failed("GetCollection", request, observer)) {
                return;
            }
            FakeCollection c = collection(request.getCollectionName(), observer);
            if (c == null) {
                return;
            }
            Collections.CollectionInfo.Builder info = Collections.CollectionInfo.newBuilder();
            synchronized (FakeQdrant.this) {
                CreateCollection created = c.created;
                info.setStatus(CollectionStatus.Green)
                        .setPointsCount(c.points.size())
                        .setIndexedVectorsCount(c.points.size())
                        .setSegmentsCount(1)
                        .setConfig(CollectionConfig.newBuilder()
                                .setParams(CollectionParams.newBuilder()
                                        .setShardNumber(Math.max(1, created.getShardNumber()))
                                        .setReplicationFactor(Math.max(1, created.getReplicationFactor()))
                                        .setOnDiskPayload(created.getOnDiskPayload())
                                        .setVectorsConfig(created.getVectorsConfig())
                                        .setSparseVectorsConfig(created.getSparseVectorsConfig()))
                                .setHnswConfig(created.getHnswConfig())
                                .setQuantizationConfig(created.getQuantizationConfig())
                                .putAllMetadata(c.metadata));
                for (String field : c.indexedFields) {
                    info.putPayloadSchema(field, PayloadSchemaInfo.newBuilder()
                            .setDataType(PayloadSchemaType.Keyword).setPoints(c.points.size()).build());
                }
            }
            answer(observer, GetCollectionInfoResponse.newBuilder().setResult(info).build());
        }
    }

    private final class PointsService extends PointsGrpc.PointsImplBase {
        @Override
        public void createFieldIndex(CreateFieldIndexCollection request, StreamObserver<PointsOperationResponse> observer) {
            if (failed("CreateFieldIndex", request, observer)) {
                return;
            }
            FakeCollection c = collection(request.getCollectionName(), observer);
            if (c != null) {
                synchronized (FakeQdrant.this) {
                    c.indexedFields.add(request.getFieldName());
                }
                answer(observer, completed());
            }
        }

        @Override
        public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> observer) {
            int now = upsertsInFlight.incrementAndGet();
            maxUpsertsInFlight.accumulateAndGet(now, Math::max);
            try {
                if (upsertDelayMillis > 0) {
                    TimeUnit.MILLISECONDS.sleep(upsertDelayMillis);
                }
                if (failed("Upsert", request, observer)) {
                    return;
                }
                FakeCollection c = collection(request.getCollectionName(), observer);
                if (c == null) {
                    return;
                }
                synchronized (FakeQdrant.this) {
                    long size = c.created.getVectorsConfig().getParamsMap().getMapOrThrow("dense").getSize();
                    for (PointStruct p : request.getPointsList()) {
                        // A point may come without its dense vector (stored before it is embedded).
                        boolean hasDense = p.getVectors().getVectors().containsVectors("dense");
                        if (hasDense && dense(p).size() != size || !p.getVectors().getVectors().containsVectors("text")) {
                            observer.onError(Status.INVALID_ARGUMENT.withDescription("Wrong input: Vector dimension error:"
                                    + " expected dim: " + size).asRuntimeException());
                            return;
                        }
                    }
                    for (PointStruct p : request.getPointsList()) {
                        c.put(p);
                    }
                }
                answer(observer, completed());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                observer.onError(Status.CANCELLED.asRuntimeException());
            } finally {
                upsertsInFlight.decrementAndGet();
            }
        }

        @Override
        public void updateVectors(Points.UpdatePointVectors request, StreamObserver<PointsOperationResponse> observer) {
            if (failed("UpdateVectors", request, observer)) {
                return;
            }
            FakeCollection c = collection(request.getCollectionName(), observer);
            if (c == null) {
                return;
            }
            synchronized (FakeQdrant.this) {
                long size = c.created.getVectorsConfig().getParamsMap().getMapOrThrow("dense").getSize();
                for (Points.PointVectors v : request.getPointsList()) {
                    PointStruct p = c.points.get(v.getId().getUuid());
                    if (p == null) {
                        observer.onError(Status.NOT_FOUND.withDescription("No point with id " + v.getId().getUuid()
                                + " found").asRuntimeException());
                        return;
                    }
                    if (v.getVectors().getVectors().getVectorsOrThrow("dense").getDense().getDataCount() != size) {
                        observer.onError(Status.INVALID_ARGUMENT.withDescription("Wrong input: Vector dimension error:"
                                + " expected dim: " + size).asRuntimeException());
                        return;
                    }
                }
                for (Points.PointVectors v : request.getPointsList()) {
                    PointStruct p = c.points.get(v.getId().getUuid());
                    Points.NamedVectors merged = p.getVectors().getVectors().toBuilder()
                            .putAllVectors(v.getVectors().getVectors().getVectorsMap()).build();
                    c.put(p.toBuilder().setVectors(Points.Vectors.newBuilder().setVectors(merged)).build());
                }
            }
            answer(observer, completed());
        }

        @Override
        public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> observer) {
            if (failed("Delete", request, observer)) {
                return;
            }
            FakeCollection c = collection(request.getCollectionName(), observer);
            if (c == null) {
                return;
            }
            synchronized (FakeQdrant.this) {
                if (request.getPoints().hasFilter()) {
                    Filter filter = request.getPoints().getFilter();
                    List<String> gone = c.candidates(filter).values().stream().filter(p -> matches(filter, p))
                            .map(p -> p.getId().getUuid()).toList();
                    gone.forEach(c::remove);
                } else {
                    request.getPoints().getPoints().getIdsList().forEach(id -> c.remove(id.getUuid()));
                }
            }
            answer(observer, completed());
        }

        /** Only what the writer sends in a batch: payload set on the points a filter selects. */
        @Override
        public void updateBatch(Points.UpdateBatchPoints request, StreamObserver<Points.UpdateBatchResponse> observer) {
            if (failed("UpdateBatch", request, observer)) {
                return;
            }
            FakeCollection c = collection(request.getCollectionName(), observer);
            if (c == null) {
                return;
            }
            Points.UpdateBatchResponse.Builder response = Points.UpdateBatchResponse.newBuilder();
            synchronized (FakeQdrant.this) {
                List<Points.PointsUpdateOperation.SetPayload> sets = new ArrayList<>();
                for (Points.PointsUpdateOperation operation : request.getOperationsList()) {
                    if (!operation.hasSetPayload() || !operation.getSetPayload().getPointsSelector().hasFilter()) {
                        observer.onError(Status.UNIMPLEMENTED.withDescription("fake Qdrant: " + operation)
                                .asRuntimeException());
                        return;
                    }
                    sets.add(operation.getSetPayload());
                    response.addResult(UpdateResult.newBuilder().setStatus(UpdateStatus.Completed));
                }
                // One pass over the points for the whole batch; a set on one path (what the writer
                // sends) is looked up by the point's path, any other filter is matched.
                Map<String, List<Points.PointsUpdateOperation.SetPayload>> byPath = new HashMap<>();
                List<Points.PointsUpdateOperation.SetPayload> others = new ArrayList<>();
                for (var set : sets) {
                    Filter f = set.getPointsSelector().getFilter();
                    if (f.getMustCount() >= 1 && f.getMustNotCount() == 0 && f.getShouldCount() == 0
                            && f.getMust(0).getField().getKey().equals("path") && f.getMust(0).getField().getMatch().hasKeyword()) {
                        byPath.computeIfAbsent(f.getMust(0).getField().getMatch().getKeyword(), k -> new ArrayList<>()).add(set);
                    } else {
                        others.add(set);
                    }
                }
                // The points of each path are looked up; sets of other filters go over all points.
                for (Map.Entry<String, List<Points.PointsUpdateOperation.SetPayload>> e : byPath.entrySet()) {
                    for (String id : List.copyOf(c.byValue.getOrDefault("path", Map.of()).getOrDefault(e.getKey(), Set.of()))) {
                        PointStruct out = c.points.get(id);
                        for (var set : e.getValue()) {
                            // The path picked the candidates; the rest of the filter (the repository) decides.
                            if (matches(set.getPointsSelector().getFilter(), out)) {
                                out = out.toBuilder().putAllPayload(set.getPayloadMap()).build();
                            }
                        }
                        c.put(out);
                    }
                }
                if (!others.isEmpty()) {
                    c.points.replaceAll((id, p) -> {
                        PointStruct out = p;
                        for (var set : others) {
                            if (matches(set.getPointsSelector().getFilter(), out)) {
                                out = out.toBuilder().putAllPayload(set.getPayloadMap()).build();
                            }
                        }
                        return out;
                    });
                    c.reindex();
                }
            }
            answer(observer, response.build());
        }

        @Override
        public void get(GetPoints request, StreamObserver<GetResponse> observer) {
            if (failed("Get", request, observer)) {
                return;
            }
            FakeCollection c = collection(request.getCollectionName(), observer);
            if (c == null) {
                return;
            }
            GetResponse.Builder response = GetResponse.newBuilder();
            synchronized (FakeQdrant.this) {
                for (PointId id : request.getIdsList()) {
                    PointStruct p = c.points.get(id.getUuid());
                    if (p != null) {
                        response.addResult(retrieved(p, request.getWithPayload(),
                                request.getWithVectors().getEnable()
                                        || request.getWithVectors().getInclude().getNamesList().contains("dense")));
                    }
                }
            }
            answer(observer, response.build());
        }

        @Override
        public void scroll(ScrollPoints request, StreamObserver<ScrollResponse> observer) {
            if (failed("Scroll", request, observer)) {
                return;
            }
            FakeCollection c = collection(request.getCollectionName(), observer);
            if (c == null) {
                return;
            }
            ScrollResponse.Builder response = ScrollResponse.newBuilder();
            synchronized (FakeQdrant.this) {
                var all = c.candidates(request.getFilter());
                var tail = request.hasOffset() ? all.tailMap(request.getOffset().getUuid(), true) : all;
                int limit = request.hasLimit() ? request.getLimit() : 10;
                for (PointStruct p : tail.values()) {
                    if (!request.getFilter().equals(Filter.getDefaultInstance()) && !matches(request.getFilter(), p)) {
                        continue;
                    }
                    if (response.getResultCount() == limit) {
                        response.setNextPageOffset(p.getId());
                        break;
                    }
                    response.addResult(retrieved(p, request.getWithPayload(), request.getWithVectors().getEnable()
                            || request.getWithVectors().getInclude().getNamesList().contains("dense")));
                }
            }
            answer(observer, response.build());
        }

        @Override
        public void count(CountPoints request, StreamObserver<CountResponse> observer) {
            if (failed("Count", request, observer)) {
                return;
            }
            FakeCollection c = collection(request.getCollectionName(), observer);
            if (c != null) {
                long n;
                synchronized (FakeQdrant.this) {
                    n = request.hasFilter() ? c.candidates(request.getFilter()).values().stream()
                            .filter(p -> matches(request.getFilter(), p)).count() : c.points.size();
                }
                answer(observer, CountResponse.newBuilder().setResult(CountResult.newBuilder().setCount(n)).build());
            }
        }

        @Override
        public void query(QueryPoints request, StreamObserver<QueryResponse> observer) {
            if (failed("Query", request, observer)) {
                return;
            }
            FakeCollection c = collection(request.getCollectionName(), observer);
            if (c == null) {
                return;
            }
            List<ScoredPoint> scored;
            synchronized (FakeQdrant.this) {
                if (request.getQuery().hasFusion()) {
                    List<List<ScoredPoint>> lists = new ArrayList<>();
                    for (Points.PrefetchQuery prefetch : request.getPrefetchList()) {
                        lists.add(rank(c, prefetch.getQuery(), prefetch.getUsing(),
                                prefetch.hasFilter() ? prefetch.getFilter() : null, (int) prefetch.getLimit()));
                    }
                    scored = fuse(lists);
                } else {
                    scored = rank(c, request.getQuery(), request.getUsing(),
                            request.hasFilter() ? request.getFilter() : null, Integer.MAX_VALUE);
                }
                List<ScoredPoint> withPayload = new ArrayList<>();
                for (ScoredPoint s : scored) {
                    PointStruct p = c.points.get(s.getId().getUuid());
                    withPayload.add(s.toBuilder().putAllPayload(payload(p, request.getWithPayload())).build());
                }
                scored = withPayload;
            }
            int limit = (int) (request.hasLimit() ? request.getLimit() : 10);
            answer(observer, QueryResponse.newBuilder()
                    .addAllResult(scored.subList(0, Math.min(limit, scored.size()))).build());
        }
    }

    private static List<Float> dense(PointStruct p) {
        return p.getVectors().getVectors().getVectorsOrThrow("dense").getDense().getDataList();
    }

    /** Points by score for one query: exact cosine on the dense vector, or sparse dot product with IDF. */
    private static List<ScoredPoint> rank(FakeCollection c, Points.Query query, String using, Filter filter, int limit) {
        List<ScoredPoint> scored = new ArrayList<>();
        Points.VectorInput input = query.getNearest();
        Map<Integer, Double> idf = new HashMap<>();
        if (input.hasSparse()) {
            for (int index : input.getSparse().getIndicesList()) {
                long holding = c.points.values().stream().filter(p -> sparse(p).getIndicesList().contains(index)).count();
                double n = c.points.size();
                idf.put(index, Math.log(1 + (n - holding + 0.5) / (holding + 0.5)));
            }
        }
        for (PointStruct p : c.points.values()) {
            if (filter != null && !matches(filter, p)) {
                continue;
            }
            float score;
            if (input.hasSparse()) {
                if (!using.equals("text")) {
                    throw new IllegalArgumentException("fake Qdrant: a sparse query must use 'text', not '" + using + "'");
                }
                Points.SparseVector doc = sparse(p);
                double sum = 0;
                for (int i = 0; i < input.getSparse().getIndicesCount(); i++) {
                    int at = doc.getIndicesList().indexOf(input.getSparse().getIndices(i));
                    if (at >= 0) {
                        sum += input.getSparse().getValues(i) * doc.getValues(at) * idf.get(input.getSparse().getIndices(i));
                    }
                }
                if (sum == 0) {
                    continue; // no shared term: not a match
                }
                score = (float) sum;
            } else {
                if (!using.equals("dense")) {
                    throw new IllegalArgumentException("fake Qdrant: a dense query must use 'dense', not '" + using + "'");
                }
                if (!p.getVectors().getVectors().containsVectors("dense")) {
                    continue; // not embedded yet: not in the dense index
                }
                score = cosine(input.getDense().getDataList(), dense(p));
            }
            scored.add(ScoredPoint.newBuilder().setId(p.getId()).setScore(score).build());
        }
        scored.sort(Comparator.comparingDouble(ScoredPoint::getScore).reversed());
        return scored.subList(0, Math.min(limit, scored.size()));
    }

    private static Points.SparseVector sparse(PointStruct p) {
        return p.getVectors().getVectors().getVectorsOrThrow("text").getSparse();
    }

    private static List<ScoredPoint> fuse(List<List<ScoredPoint>> lists) {
        Map<PointId, Double> scores = new java.util.LinkedHashMap<>();
        for (List<ScoredPoint> list : lists) {
            for (int rank = 0; rank < list.size(); rank++) {
                scores.merge(list.get(rank).getId(), 1.0 / (60 + rank + 1), Double::sum);
            }
        }
        List<ScoredPoint> fused = new ArrayList<>();
        scores.forEach((id, score) -> fused.add(ScoredPoint.newBuilder().setId(id).setScore(score.floatValue()).build()));
        fused.sort(Comparator.comparingDouble(ScoredPoint::getScore).reversed());
        return fused;
    }

    private static RetrievedPoint retrieved(PointStruct p, WithPayloadSelector withPayload, boolean withVectors) {
        RetrievedPoint.Builder r = RetrievedPoint.newBuilder().setId(p.getId()).putAllPayload(payload(p, withPayload));
        if (withVectors && p.getVectors().getVectors().containsVectors("dense")) {
            r.setVectors(VectorsOutput.newBuilder().setVectors(Points.NamedVectorsOutput.newBuilder().putVectors("dense",
                    VectorOutput.newBuilder().setDense(DenseVector.newBuilder().addAllData(dense(p))).build())));
        }
        return r.build();
    }

    private static Map<String, Value> payload(PointStruct p, WithPayloadSelector selector) {
        if (selector.hasInclude()) {
            Map<String, Value> out = new HashMap<>();
            for (String field : selector.getInclude().getFieldsList()) {
                if (p.containsPayload(field)) {
                    out.put(field, p.getPayloadOrThrow(field));
                }
            }
            return out;
        }
        return selector.getEnable() ? p.getPayloadMap() : Map.of();
    }

    /** Filters with {@code must} conditions on keyword fields and point ids: what the store sends. */
    private static boolean matches(Filter filter, PointStruct p) {
        for (Condition condition : filter.getMustList()) {
            if (!matches(condition, p)) {
                return false;
            }
        }
        for (Condition condition : filter.getMustNotList()) {
            if (matches(condition, p)) {
                return false;
            }
        }
        return filter.getShouldCount() == 0 || filter.getShouldList().stream().anyMatch(cond -> matches(cond, p));
    }

    private static boolean matches(Condition condition, PointStruct p) {
        if (condition.hasIsEmpty()) {
            Value value = p.getPayloadMap().get(condition.getIsEmpty().getKey());
            return value == null || value.hasNullValue();
        }
        if (condition.hasHasVector()) {
            return p.getVectors().getVectors().containsVectors(condition.getHasVector().getHasVector());
        }
        if (condition.hasHasId()) {
            return condition.getHasId().getHasIdList().contains(p.getId());
        }
        if (condition.hasFilter()) {
            return matches(condition.getFilter(), p);
        }
        FieldCondition field = condition.getField();
        Value value = p.getPayloadMap().get(field.getKey());
        if (value == null) {
            return false;
        }
        if (field.hasRange()) {
            double v = value.hasIntegerValue() ? value.getIntegerValue() : value.getDoubleValue();
            var r = field.getRange();
            return (!r.hasGte() || v >= r.getGte()) && (!r.hasGt() || v > r.getGt())
                    && (!r.hasLt() || v < r.getLt()) && (!r.hasLte() || v <= r.getLte());
        }
        return switch (field.getMatch().getMatchValueCase()) {
            case KEYWORD -> value.getStringValue().equals(field.getMatch().getKeyword());
            case KEYWORDS -> field.getMatch().getKeywords().getStringsList().contains(value.getStringValue());
            default -> throw new UnsupportedOperationException("fake Qdrant: match " + field.getMatch());
        };
    }

    /** The cosine of two vectors as the server holds them. */
    public static float cosine(List<Float> a, List<Float> b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i) * b.get(i);
            na += a.get(i) * a.get(i);
            nb += b.get(i) * b.get(i);
        }
        return (float) (dot / Math.sqrt(na * nb));
    }

    @Override
    public void close() throws InterruptedException {
        for (Server server : servers) {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

}
