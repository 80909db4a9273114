package io.tributary.model.llama;

import io.tributary.model.ModelException;

/** How a model holds its weight matrices: as loaded in float32, or int8 per output channel (weight-only). */
public enum Quantization {
    /** Every weight in float32, as training needs it. */
    FLOAT32,
    /**
     * Every projection, the embedding and the LM head as int8 rows with one float32 scale per row (symmetric,
     * scale = max|w| / 127); norms stay float32. Compute stays float32: a matrix is widened to float32 for
     * the one multiplication that uses it and then freed, so only the int8 copy is held.
     */
    INT8;

    /** {@code none}/{@code float32} or {@code int8}, as configuration and command lines spell it. */
    public static Quantization parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "none", "float32", "f32" -> FLOAT32;
            case "int8" -> INT8;
            default -> throw new ModelException("unknown quantization '" + name + "'; expected none or int8");
        };
    }
}
