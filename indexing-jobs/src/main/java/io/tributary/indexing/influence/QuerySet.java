package io.tributary.indexing.influence;

import java.util.Arrays;
import java.util.Locale;

/** Where the queries come from: the adapter's held-out eval contributions, or its completions in the inference log. */
public enum QuerySet {
    EVAL,
    LOG;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static QuerySet parse(String text) {
        return Arrays.stream(values()).filter(set -> set.label().equals(text)).findFirst()
                .orElseThrow(() -> new InfluenceException("unknown query set '" + text + "'; expected eval or log"));
    }
}
