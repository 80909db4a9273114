package io.tributary.indexing.influence;

import java.io.Serializable;

/**
 * One example of an influence run: a training contribution (with its contributor) or a query (an eval
 * contribution, or a logged completion identified by its inference id), and its text.
 */
public record InfluenceExample(String id, String contributor, String text) implements Serializable {}
