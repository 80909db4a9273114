package io.tributary.ingestion.input;

import java.io.Serializable;

/** One input file of a batch, with its position in the batch's ingestion order. */
public record InputFile(int index, String path, long length) implements Serializable {}
