package io.tributary.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.model.safetensors.FloatConversion;
import io.tributary.model.safetensors.SafetensorsFile;
import io.tributary.model.safetensors.SafetensorsFormatException;
import io.tributary.model.safetensors.SafetensorsWriter;
import io.tributary.model.safetensors.Tensor;
import io.tributary.model.safetensors.TensorDtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SafetensorsTest {
    @TempDir
    Path temp;

    @ParameterizedTest
    @EnumSource(value = TensorDtype.class, names = {"F32", "F16", "BF16"})
    void roundTripIsExactForValuesTheTypeHolds(TensorDtype dtype) throws Exception {
        SplittableRandom random = new SplittableRandom(1);
        float[] values = new float[3 * 5];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        values[0] = 0f;
        values[1] = -0f;
        values[2] = Float.POSITIVE_INFINITY;
        // Values representable in the 16-bit types round-trip exactly: store once, read, store again.
        float[] stored = storeAndLoad(dtype, values, "a.safetensors");
        float[] again = storeAndLoad(dtype, stored, "b.safetensors");
        assertThat(again).containsExactly(stored);
        if (dtype == TensorDtype.F32) {
            assertThat(stored).containsExactly(values);
        }
        assertThat(Files.readAllBytes(temp.resolve("a.safetensors"))).isEqualTo(Files.readAllBytes(temp.resolve("b.safetensors")));
        try (SafetensorsFile file = SafetensorsFile.open(temp.resolve("a.safetensors"))) {
            assertThat(file.metadata()).containsEntry("format", "pt");
            assertThat(file.require("w").shape()).containsExactly(3, 5);
            assertThat(file.require("w").dtype()).isEqualTo(dtype);
        }
    }

    private float[] storeAndLoad(TensorDtype dtype, float[] values, String name) {
        Path path = temp.resolve(name);
        SafetensorsWriter.write(path, Map.of("format", "pt"), List.of(
                Tensor.ofFloats("w", dtype, new long[] {3, 5}, values),
                Tensor.ofFloats("bias", TensorDtype.F32, new long[] {2}, new float[] {1, 2})));
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            return file.floats("w");
        }
    }

    @Test
    void sixteenBitConversionsMatchKnownBitPatterns() {
        assertThat(FloatConversion.floatToHalf(1f)).isEqualTo((short) 0x3c00);
        assertThat(FloatConversion.floatToHalf(65504f)).isEqualTo((short) 0x7bff);
        assertThat(FloatConversion.floatToHalf(1e6f)).isEqualTo((short) 0x7c00);
        assertThat(FloatConversion.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(FloatConversion.floatToHalf(0x1p-24f)).isEqualTo((short) 0x0001);
        assertThat(FloatConversion.floatToBfloat16(1f)).isEqualTo((short) 0x3f80);
        // 1 + 2^-8 is halfway between two bfloat16 values: ties go to the even one (1.0).
        assertThat(FloatConversion.floatToBfloat16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80);
        assertThat(FloatConversion.bfloat16ToFloat((short) 0xc000)).isEqualTo(-2f);
    }

    @Test
    void malformedFilesAreRejectedNamingFileAndTensor() throws Exception {
        assertRejected(raw(Long.MAX_VALUE, ""), "header length");
        assertRejected(raw(4000, "{}"), "runs past the end");
        assertRejected(file("[1,2]", 0), "does not start with '{'");
        assertRejected(file("{\"w\":", 0), "not valid JSON");
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "needs 8");
        assertRejected(file("{\"w\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "unknown dtype");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "overlaps");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "hole");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 12), "data section has 12");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "Duplicate field");
        assertRejected(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "bad shape");
    }

    private void assertRejected(Path path, String detail) {
        assertThatThrownBy(() -> SafetensorsFile.open(path).close())
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(path.toString())
                .hasMessageContaining(detail);
    }

    private int count;

    private Path file(String header, int dataBytes) throws Exception {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(json.length).put(json);
        Path path = temp.resolve("bad-" + count++ + ".safetensors");
        Files.write(path, buffer.array());
        return path;
    }

    private Path raw(long length, String header) throws Exception {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(length).put(json);
        Path path = temp.resolve("bad-" + count++ + ".safetensors");
        Files.write(path, buffer.array());
        return path;
    }
}
