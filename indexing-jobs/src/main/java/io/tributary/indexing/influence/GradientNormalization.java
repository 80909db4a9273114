package io.tributary.indexing.influence;

import java.util.Arrays;
import java.util.Locale;

/**
 * Whether projected gradients are scored as they are or scaled to unit length first (cosine influence, as in
 * RelatIF's and "gradient normalization"'s fix for examples whose large gradients dominate every score).
 */
public enum GradientNormalization {
    /** The gradients as computed. */
    NONE,
    /** Every training and query feature vector divided by its Euclidean norm before the method's formula. */
    UNIT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@code method} column of a run: the method's label, with {@code -unit} appended for unit-normalized gradients. */
    public String methodLabel(InfluenceMethod method) {
        return this == NONE ? method.label() : method.label() + "-" + label();
    }

    public static GradientNormalization parse(String text) {
        return Arrays.stream(values()).filter(value -> value.label().equals(text)).findFirst()
                .orElseThrow(() -> new InfluenceException("unknown gradient normalization '" + text + "'; expected none or unit"));
    }
}
