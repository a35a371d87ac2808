package dev.indexer.embed.onnx.graph;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes protocol buffer fields into a growing byte array: the few shapes new ONNX nodes need. */
final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtoWriter varintField(int field, long value) {
        tag(field, ProtoReader.VARINT);
        varint(value);
        return this;
    }

    ProtoWriter stringField(int field, String value) {
        return bytesField(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytesField(int field, byte[] value) {
        tag(field, ProtoReader.LENGTH_DELIMITED);
        varint(value.length);
        out.write(value, 0, value.length);
        return this;
    }

    ProtoWriter floatField(int field, float value) {
        tag(field, ProtoReader.FIXED32);
        int bits = Float.floatToIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    /** The bytes of a varint, for callers that write a field's header themselves. */
    static byte[] varintBytes(long value) {
        ProtoWriter writer = new ProtoWriter();
        writer.varint(value);
        return writer.toBytes();
    }

    static byte[] tagBytes(int field, int wireType) {
        return varintBytes(((long) field << 3) | wireType);
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        long rest = value;
        while ((rest & ~0x7fL) != 0) {
            out.write((int) ((rest & 0x7f) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }
}
