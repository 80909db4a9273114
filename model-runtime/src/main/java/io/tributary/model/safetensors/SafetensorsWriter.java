package io.tributary.model.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors files: tensors in name order (so equal content gives equal bytes), a compact JSON
 * header padded with spaces to a multiple of 8 bytes, written to a temporary file and moved into place.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {}

    public static void write(Path path, Map<String, String> metadata, List<Tensor> tensors) {
        List<Tensor> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparing(Tensor::name));
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        String previous = null;
        for (Tensor tensor : sorted) {
            if (tensor.name().equals(previous) || tensor.name().equals("__metadata__")) {
                throw new IllegalArgumentException("duplicate or reserved tensor name '" + tensor.name() + "' for " + path);
            }
            previous = tensor.name();
            long elements = 1;
            for (long dimension : tensor.shape()) {
                elements = Math.multiplyExact(elements, dimension);
            }
            long length = tensor.data().remaining();
            if (length != elements * tensor.dtype().bytes()) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' has " + length + " bytes, its "
                        + tensor.dtype() + " shape needs " + elements * tensor.dtype().bytes());
            }
            ObjectNode entry = header.putObject(tensor.name());
            entry.put("dtype", tensor.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long dimension : tensor.shape()) {
                shape.add(dimension);
            }
            entry.putArray("data_offsets").add(offset).add(offset + length);
            offset += length;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, ".safetensors-", ".tmp");
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, head);
                for (Tensor tensor : sorted) {
                    writeFully(out, tensor.data().duplicate());
                }
            }
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
