package dev.indexer.embed.onnx.graph;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads protocol buffer fields from a byte array: just what an ONNX model's nodes, attributes and
 * small tensors need (varints, length-delimited fields, fixed 32 and 64 bit values). Malformed
 * input ends in an {@link IOException}, never in a read past the array.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private int position;
    private final int end;
    private int wireType = -1;

    ProtoReader(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    private ProtoReader(byte[] bytes, int start, int end) {
        this.bytes = bytes;
        this.position = start;
        this.end = end;
    }

    /**
     * A reader of {@code message} placed at the value of its first field numbered {@code number}
     * with {@code type} as its wire type, or null when it has none.
     */
    static ProtoReader seek(byte[] message, int number, int type) throws IOException {
        ProtoReader reader = new ProtoReader(message);
        while (reader.hasMore()) {
            if (reader.field() == number && reader.wireType == type) {
                return reader;
            }
            reader.skip();
        }
        return null;
    }

    /** The first string field numbered {@code number} in {@code message}, or "" when it has none. */
    static String firstString(byte[] message, int number) throws IOException {
        ProtoReader reader = seek(message, number, LENGTH_DELIMITED);
        return reader == null ? "" : reader.string();
    }

    boolean hasMore() {
        return position < end;
    }

    /** The next field's number; its value must then be read or skipped. */
    int field() throws IOException {
        long key = varint();
        wireType = (int) (key & 7);
        long number = key >>> 3;
        if (number < 1 || number > Integer.MAX_VALUE) {
            throw new IOException("bad field number " + number + " at byte " + position);
        }
        return (int) number;
    }

    int wireType() {
        return wireType;
    }

    long varint() throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new IOException("a varint runs past the end of its message");
            }
            byte b = bytes[position++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new IOException("a varint longer than 10 bytes");
    }

    byte[] bytesValue() throws IOException {
        int length = length();
        byte[] value = new byte[length];
        System.arraycopy(bytes, position, value, 0, length);
        position += length;
        return value;
    }

    String string() throws IOException {
        int length = length();
        String value = new String(bytes, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    /** A length-delimited field read as a message of its own. */
    ProtoReader message() throws IOException {
        int length = length();
        ProtoReader inner = new ProtoReader(bytes, position, position + length);
        position += length;
        return inner;
    }

    float fixed32Float() throws IOException {
        if (end - position < 4) {
            throw new IOException("a fixed32 runs past the end of its message");
        }
        float value = ByteBuffer.wrap(bytes, position, 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        position += 4;
        return value;
    }

    void skip() throws IOException {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw new IOException("unsupported wire type " + wireType);
        }
    }

    private int length() throws IOException {
        if (wireType != LENGTH_DELIMITED) {
            throw new IOException("expected a length-delimited field, found wire type " + wireType);
        }
        long length = varint();
        if (length < 0 || length > end - position) {
            throw new IOException("a field of " + length + " bytes runs past the end of its message");
        }
        return (int) length;
    }

    private void advance(int count) throws IOException {
        if (count > end - position) {
            throw new IOException("a field runs past the end of its message");
        }
        position += count;
    }
}
