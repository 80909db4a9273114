package io.tributary.indexing.influence;

import io.tributary.indexing.index.LakeFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;

/**
 * Projected gradients as Apache Arrow IPC files (pyarrow: {@code pyarrow.ipc.open_file}): one column per field,
 * {@code example_id} (utf8), {@code tokens} (int32), {@code loss} (float32), then one
 * {@code fixed_size_list<float32>[projection-dim]} column per adapted module, named by the module's path, in
 * module order. The schema's metadata names the adapter state, the role, the seed and the projection size.
 */
public final class GradientFiles {
    static final String EXAMPLE_ID = "example_id";
    static final String TOKENS = "tokens";
    static final String LOSS = "loss";
    private static final int BATCH_ROWS = 1024;

    private GradientFiles() {}

    /** Column layout and metadata of one gradient file. */
    public record Layout(List<String> modules, int projectionDim, Map<String, String> metadata) implements java.io.Serializable {
        public int featureSize() {
            return modules.size() * projectionDim;
        }
    }

    static Schema schema(Layout layout) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field(EXAMPLE_ID, FieldType.notNullable(new ArrowType.Utf8()), null));
        fields.add(new Field(TOKENS, FieldType.notNullable(new ArrowType.Int(32, true)), null));
        fields.add(new Field(LOSS, FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null));
        for (String module : layout.modules()) {
            Field item = new Field("item", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
            fields.add(new Field(module, FieldType.notNullable(new ArrowType.FixedSizeList(layout.projectionDim())), List.of(item)));
        }
        return new Schema(fields, layout.metadata());
    }

    /** Writes {@code gradients} to {@code uri} (atomically: a retried task replaces an earlier attempt's file). */
    public static void write(LakeFiles files, String uri, Layout layout, List<ProjectedGradient> gradients) {
        try {
            files.writeAtomically(uri, out -> {
                write(out, layout, gradients);
                return null;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + uri, e);
        }
    }

    static void write(OutputStream out, Layout layout, List<ProjectedGradient> gradients) throws IOException {
        int dim = layout.projectionDim();
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema(layout), allocator);
             ArrowFileWriter writer = new ArrowFileWriter(root, null, Channels.newChannel(out))) {
            writer.start();
            for (int first = 0; first < gradients.size(); first += BATCH_ROWS) {
                List<ProjectedGradient> batch = gradients.subList(first, Math.min(gradients.size(), first + BATCH_ROWS));
                root.allocateNew();
                VarCharVector ids = (VarCharVector) root.getVector(EXAMPLE_ID);
                IntVector tokens = (IntVector) root.getVector(TOKENS);
                Float4Vector losses = (Float4Vector) root.getVector(LOSS);
                for (int row = 0; row < batch.size(); row++) {
                    ProjectedGradient gradient = batch.get(row);
                    if (gradient.features().length != layout.featureSize()) {
                        throw new IllegalArgumentException("gradient of " + gradient.id() + " has " + gradient.features().length
                                + " features, expected " + layout.featureSize());
                    }
                    ids.setSafe(row, gradient.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    tokens.setSafe(row, gradient.tokens());
                    losses.setSafe(row, gradient.loss());
                }
                for (int block = 0; block < layout.modules().size(); block++) {
                    FixedSizeListVector column = (FixedSizeListVector) root.getVector(layout.modules().get(block));
                    Float4Vector values = (Float4Vector) column.getDataVector();
                    for (int row = 0; row < batch.size(); row++) {
                        column.setNotNull(row);
                        float[] features = batch.get(row).features();
                        for (int j = 0; j < dim; j++) {
                            values.setSafe(row * dim + j, features[block * dim + j]);
                        }
                    }
                    values.setValueCount(batch.size() * dim);
                }
                root.setRowCount(batch.size());
                writer.writeBatch();
            }
            writer.end();
        }
    }

    /** Reads every gradient of the file at {@code uri}; checks its modules and projection size against {@code layout}. */
    public static List<ProjectedGradient> read(LakeFiles files, String uri, Layout layout) {
        try (SeekableByteChannel channel = open(files, uri);
             BufferAllocator allocator = new RootAllocator();
             ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            Schema expected = schema(layout);
            if (!root.getSchema().getFields().equals(expected.getFields())) {
                throw new InfluenceException("gradient file " + uri + " has columns " + root.getSchema().getFields()
                        + ", expected " + expected.getFields());
            }
            int dim = layout.projectionDim();
            List<ProjectedGradient> out = new ArrayList<>();
            for (ArrowBlock block : reader.getRecordBlocks()) {
                reader.loadRecordBatch(block);
                VarCharVector ids = (VarCharVector) root.getVector(EXAMPLE_ID);
                IntVector tokens = (IntVector) root.getVector(TOKENS);
                Float4Vector losses = (Float4Vector) root.getVector(LOSS);
                List<Float4Vector> columns = new ArrayList<>();
                for (String module : layout.modules()) {
                    columns.add((Float4Vector) ((FixedSizeListVector) root.getVector(module)).getDataVector());
                }
                for (int row = 0; row < root.getRowCount(); row++) {
                    float[] features = new float[layout.featureSize()];
                    for (int b = 0; b < columns.size(); b++) {
                        Float4Vector values = columns.get(b);
                        for (int j = 0; j < dim; j++) {
                            features[b * dim + j] = values.get(row * dim + j);
                        }
                    }
                    out.add(new ProjectedGradient(new String(ids.get(row), java.nio.charset.StandardCharsets.UTF_8),
                            tokens.get(row), losses.get(row), features));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read gradient file " + uri, e);
        }
    }

    /** The schema's metadata of the file at {@code uri}. */
    public static Map<String, String> metadata(LakeFiles files, String uri) {
        try (SeekableByteChannel channel = open(files, uri);
             BufferAllocator allocator = new RootAllocator();
             ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            return new LinkedHashMap<>(reader.getVectorSchemaRoot().getSchema().getCustomMetadata());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read gradient file " + uri, e);
        }
    }

    /** A local file is read through its channel (no copy into the heap); other file systems are read into memory. */
    private static SeekableByteChannel open(LakeFiles files, String uri) throws IOException {
        java.net.URI parsed = java.net.URI.create(uri);
        if ("file".equals(parsed.getScheme())) {
            return FileChannel.open(java.nio.file.Path.of(parsed), StandardOpenOption.READ);
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffer.write(files.read(uri));
        return new ByteArrayReadableSeekableByteChannel(buffer.toByteArray());
    }
}
