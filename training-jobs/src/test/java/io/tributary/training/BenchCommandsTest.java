package io.tributary.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.cli.CommandLauncher;
import io.tributary.core.hash.Hashing;
import io.tributary.model.llama.TinyModels;
import io.tributary.model.safetensors.TensorDtype;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench runtime} and {@code bench quantize} as the launcher runs them (tiny inputs: wiring, not figures). */
class BenchCommandsTest {
    private static final String[] TEXTS = {
        "Permission is hereby granted, free of charge, to any person obtaining a copy.",
        "Redistribution and use in source and binary forms, with or without modification, are permitted.",
        "Licensed under the Apache License, Version 2.0 (the License); you may not use this file except in compliance.",
        "This program is free software: you can redistribute it and/or modify it under the terms of the GNU GPL.",
        "THE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED."};

    @TempDir
    Path temp;

    private int status;

    private JsonNode run(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            status = CommandLauncher.execute(new TrainingMain(), args);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        return out.isBlank() ? null : new ObjectMapper().readTree(out);
    }

    @Test
    void benchQuantizeScoresOnlyTextsThePreTrainingHeldOut() throws Exception {
        Path model = TinyModels.write(temp.resolve("model"), TinyModels.tied(), 3, TensorDtype.F32);
        Path spdx = temp.resolve("spdx-full.json");
        StringBuilder licenses = new StringBuilder("{");
        for (int i = 0; i < TEXTS.length; i++) {
            licenses.append(i == 0 ? "" : ",").append("\"L-").append(i).append("\": {\"name\": \"L ").append(i)
                    .append("\", \"licenseText\": \"").append(TEXTS[i]).append("\"}");
        }
        Files.writeString(spdx, licenses.append("}").toString());

        JsonNode missing = run("bench", "quantize", "--model", model.toString(), "--spdx", spdx.toString(), "--json");
        assertThat(status).isEqualTo(2);
        assertThat(missing).isNull();

        // Trained on texts 0 and 1, held out 2 and 3; text 4 was never part of the pre-training.
        Files.writeString(model.resolve("training_contributions.json"), "{\"train\": [\"" + Hashing.sha256Hex(TEXTS[0])
                + "\", \"" + Hashing.sha256Hex(TEXTS[1]) + "\"], \"eval\": [\"" + Hashing.sha256Hex(TEXTS[2]) + "\", \""
                + Hashing.sha256Hex(TEXTS[3]) + "\"]}");
        JsonNode eval = run("bench", "quantize", "--model", model.toString(), "--spdx", spdx.toString(), "--window", "64",
                "--json");
        assertThat(status).isZero();
        assertThat(eval.get("held_out_texts").asInt()).isEqualTo(2);
        // One token per byte after begin-of-sequence, in windows of 64: all but each window's first token is scored.
        assertThat(eval.get("scored_tokens").asLong()).isEqualTo(scored(TEXTS[2], 64) + scored(TEXTS[3], 64));
        assertThat(eval.get("weight_ratio").asDouble()).isLessThan(0.3);
        assertThat(eval.get("perplexity_float32").asDouble()).isGreaterThan(1);
        assertThat(Math.abs(eval.get("perplexity_change_percent").asDouble())).isLessThan(5);

        JsonNode untrained = run("bench", "quantize", "--model", model.toString(), "--spdx", spdx.toString(),
                "--texts", "untrained", "--window", "16", "--json");
        assertThat(untrained.get("held_out_texts").asInt()).isEqualTo(3);
        assertThat(untrained.get("scored_tokens").asLong())
                .isEqualTo(scored(TEXTS[2], 16) + scored(TEXTS[3], 16) + scored(TEXTS[4], 16));
    }

    private static long scored(String text, int window) {
        int tokens = 1 + text.getBytes(StandardCharsets.UTF_8).length;
        return tokens - (tokens + window - 1) / window;
    }

    @Test
    void benchRuntimeMeasuresEveryBatchSizeAndAdapterCount() throws Exception {
        JsonNode result = run("bench", "runtime", "--preset", "tiny", "--batch-sizes", "2,3", "--adapters", "0,1,3",
                "--steps", "2", "--rounds", "1", "--prompt-tokens", "8", "--json");
        assertThat(status).isZero();
        JsonNode cells = result.get("results");
        assertThat(cells).hasSize(6);
        for (JsonNode cell : cells) {
            assertThat(cell.get("tokens_per_s").asDouble()).isPositive();
            assertThat(cell.get("distinct_in_step").asInt())
                    .isEqualTo(Math.min(cell.get("adapters").asInt(), cell.get("batch").asInt()));
        }
        assertThat(result.get("base_weight_bytes").asLong()).isEqualTo(4 * result.get("parameters").asLong());
    }
}
