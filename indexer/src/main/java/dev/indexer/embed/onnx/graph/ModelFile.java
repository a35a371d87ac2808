package dev.indexer.embed.onnx.graph;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An ONNX model file read as its graph's nodes plus byte ranges of everything else. The weights
 * (tens of MB) are never loaded: {@link #write} copies them from the source file with
 * {@link FileChannel#transferTo}, so rewriting a model costs the heap only its node list.
 */
final class ModelFile {
    // ModelProto, GraphProto, ValueInfoProto and OperatorSetIdProto field numbers (onnx.proto3).
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int VALUE_INFO_NAME = 1;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    /** Nodes are a few hundred bytes; a larger one is not a model this code understands. */
    private static final int MAX_NODE_BYTES = 1 << 20;

    /** A field's bytes in the source file, its tag and length included. */
    private record Span(long start, long length) {
    }

    private final Path source;
    private final List<Span> modelFields;
    private final int graphIndex;
    private final List<Node> nodes;
    private final List<Span> graphFields;
    private final List<String> graphOutputs;
    private final List<String> graphInputs;
    private final Set<String> opsetDomains;

    private ModelFile(Path source, List<Span> modelFields, int graphIndex, List<Node> nodes, List<Span> graphFields,
            List<String> graphOutputs, List<String> graphInputs, Set<String> opsetDomains) {
        this.source = source;
        this.modelFields = modelFields;
        this.graphIndex = graphIndex;
        this.nodes = nodes;
        this.graphFields = graphFields;
        this.graphOutputs = graphOutputs;
        this.graphInputs = graphInputs;
        this.opsetDomains = opsetDomains;
    }

    static ModelFile read(Path source) throws IOException {
        List<Span> modelFields = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        List<Span> graphFields = new ArrayList<>();
        List<String> graphOutputs = new ArrayList<>();
        List<String> graphInputs = new ArrayList<>();
        Set<String> opsetDomains = new HashSet<>();
        int graphIndex = -1;
        try (Cursor in = new Cursor(new BufferedInputStream(Files.newInputStream(source), 1 << 16))) {
            while (!in.atEnd()) {
                long start = in.position;
                long key = in.varint();
                int field = (int) (key >>> 3);
                int wireType = (int) (key & 7);
                if (field == MODEL_GRAPH && wireType == ProtoReader.LENGTH_DELIMITED) {
                    if (graphIndex >= 0) {
                        throw new IOException("two graphs in one model");
                    }
                    long end = in.varint() + in.position;
                    while (in.position < end) {
                        long fieldStart = in.position;
                        long graphKey = in.varint();
                        int graphField = (int) (graphKey >>> 3);
                        int graphWireType = (int) (graphKey & 7);
                        if (graphField == GRAPH_NODE && graphWireType == ProtoReader.LENGTH_DELIMITED) {
                            nodes.add(Node.parse(in.bytes(MAX_NODE_BYTES)));
                        } else if (graphField == GRAPH_OUTPUT && graphWireType == ProtoReader.LENGTH_DELIMITED) {
                            graphOutputs.add(valueName(in.bytes(MAX_NODE_BYTES)));
                            graphFields.add(new Span(fieldStart, in.position - fieldStart));
                        } else if (graphField == GRAPH_INPUT && graphWireType == ProtoReader.LENGTH_DELIMITED) {
                            graphInputs.add(valueName(in.bytes(MAX_NODE_BYTES)));
                            graphFields.add(new Span(fieldStart, in.position - fieldStart));
                        } else {
                            in.skip(graphWireType);
                            graphFields.add(new Span(fieldStart, in.position - fieldStart));
                        }
                    }
                    if (in.position != end) {
                        throw new IOException("the graph's last field runs past its end");
                    }
                    graphIndex = modelFields.size();
                    modelFields.add(new Span(start, in.position - start));
                } else if (field == MODEL_OPSET_IMPORT && wireType == ProtoReader.LENGTH_DELIMITED) {
                    opsetDomains.add(opsetDomain(in.bytes(MAX_NODE_BYTES)));
                    modelFields.add(new Span(start, in.position - start));
                } else {
                    in.skip(wireType);
                    modelFields.add(new Span(start, in.position - start));
                }
            }
        }
        if (graphIndex < 0) {
            throw new IOException("no graph in " + source);
        }
        return new ModelFile(source, List.copyOf(modelFields), graphIndex, List.copyOf(nodes), List.copyOf(graphFields),
                List.copyOf(graphOutputs), List.copyOf(graphInputs), Set.copyOf(opsetDomains));
    }

    List<Node> nodes() {
        return nodes;
    }

    List<String> graphOutputs() {
        return graphOutputs;
    }

    /** The graph's declared inputs (in older files, its initializers are declared there too). */
    List<String> graphInputs() {
        return graphInputs;
    }

    /**
     * Writes this model with {@code newNodes} as its graph's nodes, importing {@code domain} at
     * {@code version} too if the model does not import it yet. Every other field is copied as it is.
     */
    void write(Path target, List<Node> newNodes, String domain, int version) throws IOException {
        long nodeBytes = 0;
        for (Node node : newNodes) {
            nodeBytes += fieldLength(node.encoded().length);
        }
        long graphLength = nodeBytes + graphFields.stream().mapToLong(Span::length).sum();
        try (FileChannel from = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel to = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < modelFields.size(); i++) {
                if (i != graphIndex) {
                    copy(from, to, modelFields.get(i));
                    continue;
                }
                writeAll(to, ProtoReader.LENGTH_DELIMITED, MODEL_GRAPH, graphLength);
                for (Node node : newNodes) {
                    writeAll(to, ProtoReader.LENGTH_DELIMITED, GRAPH_NODE, node.encoded().length);
                    writeFully(to, node.encoded());
                }
                for (Span span : graphFields) {
                    copy(from, to, span);
                }
            }
            if (!opsetDomains.contains(domain)) {
                byte[] opset = new ProtoWriter().stringField(OPSET_DOMAIN, domain)
                        .varintField(OPSET_VERSION, version).toBytes();
                writeAll(to, ProtoReader.LENGTH_DELIMITED, MODEL_OPSET_IMPORT, opset.length);
                writeFully(to, opset);
            }
            to.force(true);
        }
    }

    private static long fieldLength(int payload) {
        return ProtoWriter.tagBytes(GRAPH_NODE, ProtoReader.LENGTH_DELIMITED).length
                + ProtoWriter.varintBytes(payload).length + payload;
    }

    private static void writeAll(FileChannel to, int wireType, int field, long length) throws IOException {
        writeFully(to, ProtoWriter.tagBytes(field, wireType));
        writeFully(to, ProtoWriter.varintBytes(length));
    }

    private static void writeFully(FileChannel to, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            to.write(buffer);
        }
    }

    private static void copy(FileChannel from, FileChannel to, Span span) throws IOException {
        long done = 0;
        while (done < span.length()) {
            long moved = from.transferTo(span.start() + done, span.length() - done, to);
            if (moved <= 0) {
                throw new IOException("the model file changed while it was being rewritten");
            }
            done += moved;
        }
    }

    private static String valueName(byte[] valueInfo) throws IOException {
        return ProtoReader.firstString(valueInfo, VALUE_INFO_NAME);
    }

    private static String opsetDomain(byte[] opset) throws IOException {
        return ProtoReader.firstString(opset, OPSET_DOMAIN);
    }

    /** Reads fields from a stream, keeping count of the position. */
    private static final class Cursor implements AutoCloseable {
        private final InputStream in;
        private long position;

        Cursor(InputStream in) {
            this.in = in;
        }

        boolean atEnd() throws IOException {
            in.mark(1);
            int next = in.read();
            in.reset();
            return next < 0;
        }

        long varint() throws IOException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the model file ends inside a field");
                }
                position++;
                result |= (long) (b & 0x7f) << shift;
                if (b < 0x80) {
                    return result;
                }
            }
            throw new IOException("a varint longer than 10 bytes");
        }

        byte[] bytes(int limit) throws IOException {
            long length = varint();
            if (length < 0 || length > limit) {
                throw new IOException("a field of " + length + " bytes where at most " + limit + " were expected");
            }
            byte[] value = in.readNBytes((int) length);
            if (value.length != length) {
                throw new IOException("the model file ends inside a field");
            }
            position += length;
            return value;
        }

        void skip(int wireType) throws IOException {
            switch (wireType) {
                case ProtoReader.VARINT -> varint();
                case ProtoReader.FIXED64 -> skipBytes(8);
                case ProtoReader.FIXED32 -> skipBytes(4);
                case ProtoReader.LENGTH_DELIMITED -> skipBytes(varint());
                default -> throw new IOException("unsupported wire type " + wireType);
            }
        }

        private void skipBytes(long count) throws IOException {
            if (count < 0) {
                throw new IOException("a negative field length");
            }
            try {
                in.skipNBytes(count);
            } catch (java.io.EOFException e) {
                throw new IOException("the model file ends inside a field", e);
            }
            position += count;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
