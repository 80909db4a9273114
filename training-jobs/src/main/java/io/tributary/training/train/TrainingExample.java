package io.tributary.training.train;

/** One document to train on: the contribution it came from and its text. */
public record TrainingExample(String contributionId, String text) {}
