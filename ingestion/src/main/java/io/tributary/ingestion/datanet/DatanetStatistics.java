package io.tributary.ingestion.datanet;

/** A Datanet's live numbers; {@code version} is the Delta version of the contributions table. */
public record DatanetStatistics(long contributions, long contributors, long quarantined, long batches, long version) {}
