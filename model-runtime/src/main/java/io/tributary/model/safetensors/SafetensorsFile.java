package io.tributary.model.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A safetensors file opened for reading: the header is parsed and validated as the format requires
 * (8-byte little-endian length, a bounded JSON header, tensors that tile the data section exactly in
 * offset order, each as long as dtype size x shape), and tensor data is memory-mapped on demand.
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The reference implementation's bound on the header, which keeps a corrupt length from allocating gigabytes. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorEntry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart,
                            Map<String, TensorEntry> entries, Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new SafetensorsFormatException("no such safetensors file: " + path);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            SafetensorsFile file = parse(path, channel);
            channel = null;
            return file;
        } catch (IOException e) {
            throw new SafetensorsFormatException("cannot read " + path + ": " + e.getMessage(), e);
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the parse error is the one worth reporting
                }
            }
        }
    }

    private static SafetensorsFile parse(Path path, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw malformed(path, "file is " + fileSize + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
            throw malformed(path, "header length " + Long.toUnsignedString(headerLength)
                    + " is outside 2.." + MAX_HEADER_BYTES);
        }
        if (8 + headerLength > fileSize) {
            throw malformed(path, "header length " + headerLength + " runs past the end of the "
                    + fileSize + "-byte file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        byte[] header = headerBytes.array();
        if (header[0] != '{') {
            throw malformed(path, "header does not start with '{'");
        }
        JsonNode root;
        try {
            root = STRICT_JSON.readTree(new String(header, StandardCharsets.UTF_8).stripTrailing());
        } catch (IOException e) {
            throw malformed(path, "header is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw malformed(path, "header is not a JSON object");
        }
        long dataLength = fileSize - 8 - headerLength;
        Map<String, String> metadata = new TreeMap<>();
        List<TensorEntry> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) {
                readMetadata(path, field.getValue(), metadata);
            } else {
                list.add(readEntry(path, field.getKey(), field.getValue()));
            }
        }
        list.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long expectedBegin = 0;
        for (TensorEntry entry : list) {
            if (entry.begin() != expectedBegin) {
                throw malformed(path, "tensor '" + entry.name() + "' starts at byte " + entry.begin()
                        + " of the data section, expected " + expectedBegin
                        + (entry.begin() < expectedBegin ? " (overlaps the previous tensor)" : " (leaves a hole)"));
            }
            long expectedLength = Math.multiplyExact(entry.elements(), entry.dtype().bytes());
            if (entry.byteLength() != expectedLength) {
                throw malformed(path, "tensor '" + entry.name() + "' has " + entry.byteLength() + " bytes but "
                        + entry.dtype() + " x " + java.util.Arrays.toString(entry.shape()) + " needs " + expectedLength);
            }
            expectedBegin = entry.end();
        }
        if (expectedBegin != dataLength) {
            throw malformed(path, "tensors cover " + expectedBegin + " bytes but the data section has " + dataLength);
        }
        Map<String, TensorEntry> entries = new TreeMap<>();
        for (TensorEntry entry : list) {
            entries.put(entry.name(), entry);
        }
        return new SafetensorsFile(path, channel, 8 + headerLength,
                Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    }

    private static void readMetadata(Path path, JsonNode node, Map<String, String> metadata) {
        if (!node.isObject()) {
            throw malformed(path, "__metadata__ is not an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw malformed(path, "__metadata__ value '" + field.getKey() + "' is not a string");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
    }

    private static TensorEntry readEntry(Path path, String name, JsonNode node) {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw malformed(path, where + " is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        TensorDtype dtype = dtypeNode != null && dtypeNode.isTextual() ? TensorDtype.parse(dtypeNode.textValue()) : null;
        if (dtype == null) {
            throw malformed(path, where + " has unknown dtype " + dtypeNode);
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw malformed(path, where + " has no shape array");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dimension = shapeNode.get(i);
            if (!dimension.canConvertToLong() || !dimension.isIntegralNumber() || dimension.longValue() < 0) {
                throw malformed(path, where + " has a bad shape " + shapeNode);
            }
            shape[i] = dimension.longValue();
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()) {
            throw malformed(path, where + " has no [begin, end] data_offsets");
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin < 0 || end < begin) {
            throw malformed(path, where + " has data_offsets " + offsets + " with end before begin");
        }
        TensorEntry entry = new TensorEntry(name, dtype, shape, begin, end);
        try {
            entry.elements();
        } catch (ArithmeticException e) {
            throw malformed(path, where + " has a shape too large to address: " + shapeNode);
        }
        return entry;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("unexpected end of file");
            }
            at += read;
        }
    }

    private static SafetensorsFormatException malformed(Path path, String detail) {
        return new SafetensorsFormatException("malformed safetensors file " + path + ": " + detail);
    }

    public Path path() {
        return path;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Every tensor, by name. */
    public Map<String, TensorEntry> entries() {
        return entries;
    }

    public Optional<TensorEntry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    public TensorEntry require(String name) {
        TensorEntry entry = entries.get(name);
        if (entry == null) {
            throw new SafetensorsFormatException("tensor '" + name + "' is missing from " + path);
        }
        return entry;
    }

    /** The tensor's stored bytes, little-endian, memory-mapped and read-only. */
    public ByteBuffer bytes(String name) {
        TensorEntry entry = require(name);
        if (entry.byteLength() > Integer.MAX_VALUE) {
            throw new SafetensorsFormatException("tensor '" + name + "' in " + path + " is over 2 GiB, which one buffer cannot map");
        }
        try {
            if (entry.byteLength() == 0) {
                return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), entry.byteLength())
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new SafetensorsFormatException("cannot map tensor '" + name + "' of " + path + ": " + e.getMessage(), e);
        }
    }

    /** The tensor converted to float32, in a new direct little-endian buffer (the engine copies from it). */
    public ByteBuffer float32(String name) {
        TensorEntry entry = require(name);
        ByteBuffer source = bytes(name);
        ByteBuffer target = ByteBuffer.allocateDirect(Math.toIntExact(entry.elements() * 4)).order(ByteOrder.LITTLE_ENDIAN);
        convert(entry, source, target);
        return target.flip();
    }

    /** The tensor converted to float32 on the Java heap (tests and small tensors). */
    public float[] floats(String name) {
        ByteBuffer buffer = float32(name);
        float[] values = new float[buffer.remaining() / 4];
        buffer.asFloatBuffer().get(values);
        return values;
    }

    private void convert(TensorEntry entry, ByteBuffer source, ByteBuffer target) {
        switch (entry.dtype()) {
            case F32 -> target.put(source);
            case F16 -> {
                while (source.hasRemaining()) {
                    target.putFloat(FloatConversion.halfToFloat(source.getShort()));
                }
            }
            case BF16 -> {
                while (source.hasRemaining()) {
                    target.putFloat(FloatConversion.bfloat16ToFloat(source.getShort()));
                }
            }
            case F64 -> {
                while (source.hasRemaining()) {
                    target.putFloat((float) source.getDouble());
                }
            }
            default -> throw new SafetensorsFormatException("tensor '" + entry.name() + "' in " + path + " is "
                    + entry.dtype() + ", not a floating-point type the model runtime can load");
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new SafetensorsFormatException("cannot close " + path + ": " + e.getMessage(), e);
        }
    }
}
