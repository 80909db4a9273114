package io.tributary.core.index;

import java.util.List;
import java.util.Map;

/**
 * The spans of a traced text, ranked, and each contributor's share of the text's traced characters
 * (shares sum to 1 when any span was found; the map is empty otherwise).
 */
public record TraceResult(int textTokens, List<TracedSpan> spans, Map<String, Double> contributors) {}
