package io.tributary.indexing.influence;

import java.util.Arrays;
import java.util.Locale;

/** The influence approximations the job computes; formulas in the module README. */
public enum InfluenceMethod {
    /** Learning-rate weighted dot products of training and query gradients over the training checkpoints. */
    TRACIN,
    /** Projected-gradient kernel scores phi_q^T (Phi^T Phi + lambda I)^-1 phi_i at the final adapter. */
    TRAK,
    /** DataInf's closed-form inverse-Hessian approximation, per adapted module, at the final adapter. */
    DATAINF;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InfluenceMethod parse(String text) {
        return Arrays.stream(values()).filter(method -> method.label().equals(text)).findFirst()
                .orElseThrow(() -> new InfluenceException("unknown influence method '" + text + "'; expected one of tracin, trak, datainf"));
    }
}
