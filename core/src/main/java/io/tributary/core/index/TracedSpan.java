package io.tributary.core.index;

import io.tributary.core.crypto.Address;
import java.util.List;

/**
 * A maximal span of the traced text found verbatim in the index: characters {@code [start, end)} of the
 * text, its length in tokens, its occurrences, up to the document limit of the documents holding it, every
 * contributor holding it, and the log of its unigram probability (lower: rarer, ranked first).
 */
public record TracedSpan(int start, int end, String text, int tokens, long count, double logUnigramProbability,
                         List<DocumentRef> documents, List<Address> contributors) {}
