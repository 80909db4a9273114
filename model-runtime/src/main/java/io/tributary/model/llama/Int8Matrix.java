package io.tributary.model.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;

/**
 * A weight matrix [out, in] held as int8 with one float32 scale per output row (symmetric, scale = max|w| / 127,
 * q = round(w / scale)), so w is approximately q * scale. Multiplication widens q to float32 for that one
 * product and applies the scales to the product's columns, which is x (q s)^T exactly rearranged.
 */
public record Int8Matrix(NDArray values, NDArray scales) implements AutoCloseable {

    /** Quantizes {@code weight} (float32 [out, in]) on its device; the caller keeps {@code weight}. */
    public static Int8Matrix quantize(NDArray weight) {
        try (NDScope scope = new NDScope()) {
            NDArray maxAbs = weight.abs().max(new int[] {1});
            // An all-zero row gets scale 1 (its values are 0 either way) instead of a division by zero.
            NDArray scales = maxAbs.div(127f).add(maxAbs.eq(0f).toType(DataType.FLOAT32, false));
            NDArray values = weight.div(scales.expandDims(1)).round().clip(-127, 127).toType(DataType.INT8, false);
            NDScope.unregister(values, scales);
            return new Int8Matrix(values, scales);
        }
    }

    /** x W^T for x [..., in]: [..., out]. */
    public NDArray apply(NDArray x) {
        try (NDArray widened = values.toType(DataType.FLOAT32, false)) {
            return ai.djl.nn.core.Linear.linear(x, widened).singletonOrThrow().mul(scales);
        }
    }

    /** Rows of the matrix for ids [...] (an embedding lookup): [..., in] in float32. */
    public NDArray rows(NDArray ids) {
        NDArray picked = ids.getNDArrayInternal().embedding(ids, values, SparseFormat.DENSE).singletonOrThrow();
        NDArray rowScales = ids.getNDArrayInternal().embedding(ids, scales.expandDims(1), SparseFormat.DENSE)
                .singletonOrThrow();
        return picked.toType(DataType.FLOAT32, false).mul(rowScales);
    }

    /** The float32 matrix q * s [out, in] (a new array). */
    public NDArray dequantized() {
        return values.toType(DataType.FLOAT32, false).mul(scales.expandDims(1));
    }

    /** Bytes held: one per value and four per scale. */
    public long bytes() {
        return values.size() + 4 * scales.size();
    }

    @Override
    public void close() {
        values.close();
        scales.close();
    }
}
