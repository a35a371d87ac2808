package dev.indexer.embed.onnx.graph;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One node of an ONNX graph (a NodeProto): its names and, kept as they were read, its encoded
 * bytes, so that a node left alone is written back exactly. Attributes are decoded on demand.
 */
record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
        Map<String, byte[]> attributes, byte[] encoded) {

    // NodeProto and AttributeProto field numbers (onnx.proto3).
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_F = 2;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_T = 5;
    private static final int ATTRIBUTE_INTS = 8;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int ATTRIBUTE_TYPE_FLOAT = 1;
    private static final int ATTRIBUTE_TYPE_INT = 2;
    private static final int ATTRIBUTE_TYPE_TENSOR = 4;
    // TensorProto
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_INT64_DATA = 7;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TYPE_FLOAT = 1;
    private static final int TYPE_INT64 = 7;

    static Node parse(byte[] encoded) throws IOException {
        ProtoReader reader = new ProtoReader(encoded);
        String name = "";
        String opType = "";
        String domain = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, byte[]> attributes = new LinkedHashMap<>();
        while (reader.hasMore()) {
            switch (reader.field()) {
                case NODE_INPUT -> inputs.add(reader.string());
                case NODE_OUTPUT -> outputs.add(reader.string());
                case NODE_NAME -> name = reader.string();
                case NODE_OP_TYPE -> opType = reader.string();
                case NODE_DOMAIN -> domain = reader.string();
                case NODE_ATTRIBUTE -> {
                    byte[] attribute = reader.bytesValue();
                    attributes.put(attributeName(attribute), attribute);
                }
                default -> reader.skip();
            }
        }
        return new Node(name, opType, domain, List.copyOf(inputs), List.copyOf(outputs), attributes, encoded);
    }

    /** A new node, encoded at once; attributes are integers or floats. */
    static Node create(String name, String opType, String domain, List<String> inputs, List<String> outputs,
            Map<String, Number> attributes) {
        ProtoWriter writer = new ProtoWriter();
        inputs.forEach(input -> writer.stringField(NODE_INPUT, input));
        outputs.forEach(output -> writer.stringField(NODE_OUTPUT, output));
        writer.stringField(NODE_NAME, name).stringField(NODE_OP_TYPE, opType);
        Map<String, byte[]> encodedAttributes = new LinkedHashMap<>();
        attributes.forEach((key, value) -> {
            ProtoWriter attribute = new ProtoWriter().stringField(ATTRIBUTE_NAME, key);
            if (value instanceof Float f) {
                attribute.floatField(ATTRIBUTE_F, f).varintField(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_FLOAT);
            } else {
                attribute.varintField(ATTRIBUTE_I, value.longValue()).varintField(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
            }
            byte[] bytes = attribute.toBytes();
            encodedAttributes.put(key, bytes);
            writer.bytesField(NODE_ATTRIBUTE, bytes);
        });
        if (!domain.isEmpty()) {
            writer.stringField(NODE_DOMAIN, domain);
        }
        return new Node(name, opType, domain, List.copyOf(inputs), List.copyOf(outputs), encodedAttributes,
                writer.toBytes());
    }

    /** A Constant node whose value is a one-dimensional int64 tensor of {@code values}. */
    static Node constantInt64s(String name, String output, long... values) {
        ProtoWriter tensor = new ProtoWriter().varintField(TENSOR_DIMS, values.length)
                .varintField(TENSOR_DATA_TYPE, TYPE_INT64);
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long value : values) {
            raw.putLong(value);
        }
        tensor.bytesField(TENSOR_RAW_DATA, raw.array());
        byte[] attribute = new ProtoWriter().stringField(ATTRIBUTE_NAME, "value")
                .bytesField(ATTRIBUTE_T, tensor.toBytes()).varintField(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_TENSOR).toBytes();
        byte[] encoded = new ProtoWriter().stringField(NODE_OUTPUT, output).stringField(NODE_NAME, name)
                .stringField(NODE_OP_TYPE, "Constant").bytesField(NODE_ATTRIBUTE, attribute).toBytes();
        return new Node(name, "Constant", "", List.of(), List.of(output), Map.of("value", attribute), encoded);
    }

    /** This node reading {@code replacement} where it read {@code input}; its attributes kept as they were. */
    Node withInput(String input, String replacement) {
        List<String> changed = inputs.stream().map(name -> name.equals(input) ? replacement : name).toList();
        ProtoWriter writer = new ProtoWriter();
        changed.forEach(name -> writer.stringField(NODE_INPUT, name));
        outputs.forEach(output -> writer.stringField(NODE_OUTPUT, output));
        writer.stringField(NODE_NAME, name).stringField(NODE_OP_TYPE, opType);
        attributes.values().forEach(attribute -> writer.bytesField(NODE_ATTRIBUTE, attribute));
        if (!domain.isEmpty()) {
            writer.stringField(NODE_DOMAIN, domain);
        }
        return new Node(name, opType, domain, changed, outputs, attributes, writer.toBytes());
    }

    /** True for an operator of the default ONNX domain with this name. */
    boolean is(String op) {
        return opType.equals(op) && (domain.isEmpty() || domain.equals("ai.onnx"));
    }

    String input(int index) {
        return index < inputs.size() ? inputs.get(index) : "";
    }

    String output() {
        return outputs.isEmpty() ? "" : outputs.get(0);
    }

    /** An integer attribute, or {@code otherwise} when absent or unreadable. */
    long intAttribute(String key, long otherwise) {
        byte[] attribute = attributes.get(key);
        try {
            ProtoReader reader = attribute == null ? null : ProtoReader.seek(attribute, ATTRIBUTE_I, ProtoReader.VARINT);
            return reader == null ? otherwise : reader.varint();
        } catch (IOException e) {
            return otherwise;
        }
    }

    /** A list-of-integers attribute (such as a Transpose's perm), empty when absent or unreadable. */
    List<Long> intsAttribute(String key) {
        byte[] attribute = attributes.get(key);
        List<Long> values = new ArrayList<>();
        if (attribute == null) {
            return values;
        }
        try {
            ProtoReader reader = new ProtoReader(attribute);
            while (reader.hasMore()) {
                int field = reader.field();
                if (field == ATTRIBUTE_INTS && reader.wireType() == ProtoReader.VARINT) {
                    values.add(reader.varint());
                } else if (field == ATTRIBUTE_INTS && reader.wireType() == ProtoReader.LENGTH_DELIMITED) {
                    ProtoReader packed = reader.message();
                    while (packed.hasMore()) {
                        values.add(packed.varint());
                    }
                } else {
                    reader.skip();
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return values;
    }

    /**
     * The value of a Constant node holding one number (a float or int64 tensor of one element),
     * empty for anything else.
     */
    OptionalDouble constantScalar() {
        byte[] tensor = is("Constant") ? tensorAttribute("value") : null;
        if (tensor == null) {
            return OptionalDouble.empty();
        }
        try {
            ProtoReader reader = new ProtoReader(tensor);
            long elements = 1;
            long type = 0;
            byte[] raw = null;
            List<Double> values = new ArrayList<>();
            while (reader.hasMore()) {
                int field = reader.field();
                if (field == TENSOR_DIMS && reader.wireType() == ProtoReader.VARINT) {
                    elements *= reader.varint();
                } else if (field == TENSOR_DIMS && reader.wireType() == ProtoReader.LENGTH_DELIMITED) {
                    ProtoReader packed = reader.message();
                    while (packed.hasMore()) {
                        elements *= packed.varint();
                    }
                } else if (field == TENSOR_DATA_TYPE) {
                    type = reader.varint();
                } else if (field == TENSOR_RAW_DATA) {
                    raw = reader.bytesValue();
                } else if (field == TENSOR_FLOAT_DATA && reader.wireType() == ProtoReader.LENGTH_DELIMITED) {
                    ProtoReader packed = reader.message();
                    while (packed.hasMore()) {
                        values.add((double) packed.fixed32Float());
                    }
                } else if (field == TENSOR_INT64_DATA && reader.wireType() == ProtoReader.LENGTH_DELIMITED) {
                    ProtoReader packed = reader.message();
                    while (packed.hasMore()) {
                        values.add((double) packed.varint());
                    }
                } else {
                    reader.skip();
                }
            }
            if (elements != 1) {
                return OptionalDouble.empty();
            }
            if (raw != null && type == TYPE_FLOAT && raw.length == 4) {
                return OptionalDouble.of(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getFloat());
            }
            if (raw != null && type == TYPE_INT64 && raw.length == 8) {
                return OptionalDouble.of(ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong());
            }
            if (raw == null && values.size() == 1 && (type == TYPE_FLOAT || type == TYPE_INT64)) {
                return OptionalDouble.of(values.get(0));
            }
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.empty();
    }

    private byte[] tensorAttribute(String key) {
        byte[] attribute = attributes.get(key);
        try {
            ProtoReader reader = attribute == null ? null
                    : ProtoReader.seek(attribute, ATTRIBUTE_T, ProtoReader.LENGTH_DELIMITED);
            return reader == null ? null : reader.bytesValue();
        } catch (IOException e) {
            return null;
        }
    }

    private static String attributeName(byte[] attribute) throws IOException {
        return ProtoReader.firstString(attribute, ATTRIBUTE_NAME);
    }
}
