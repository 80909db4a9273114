package io.tributary.model.safetensors;

import java.util.Arrays;

/** One tensor's header entry: name, element type, shape and byte range within the data section. */
public record TensorEntry(String name, TensorDtype dtype, long[] shape, long begin, long end) {
    public long elements() {
        long count = 1;
        for (long dimension : shape) {
            count = Math.multiplyExact(count, dimension);
        }
        return count;
    }

    public long byteLength() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorEntry that && name.equals(that.name) && dtype == that.dtype
                && Arrays.equals(shape, that.shape) && begin == that.begin && end == that.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
