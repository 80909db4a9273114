package io.tributary.model.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** A tensor to be written: its name, stored element type, shape and little-endian bytes. */
public record Tensor(String name, TensorDtype dtype, long[] shape, ByteBuffer data) {
    /** Stores float32 values as {@code dtype} (F32, F16 or BF16; 16-bit types round to nearest even). */
    public static Tensor ofFloats(String name, TensorDtype dtype, long[] shape, float[] values) {
        return ofFloats(name, dtype, shape, FloatBuffer.wrap(values));
    }

    public static Tensor ofFloats(String name, TensorDtype dtype, long[] shape, FloatBuffer values) {
        FloatBuffer source = values.duplicate();
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(source.remaining(), dtype.bytes()))
                .order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> data.asFloatBuffer().put(source);
            case F16 -> {
                while (source.hasRemaining()) {
                    data.putShort(FloatConversion.floatToHalf(source.get()));
                }
            }
            case BF16 -> {
                while (source.hasRemaining()) {
                    data.putShort(FloatConversion.floatToBfloat16(source.get()));
                }
            }
            default -> throw new IllegalArgumentException("cannot store floats as " + dtype);
        }
        data.position(0);
        return new Tensor(name, dtype, shape, data);
    }
}
