package io.tributary.indexing.index;

import io.tributary.indexing.SparkLake;
import io.tributary.core.index.IndexLocation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tributary.core.cli.UserError;
import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;
import io.tributary.core.index.IndexManifest;
import io.tributary.core.index.ShardedIndex;
import io.tributary.core.index.TraceOptions;
import io.tributary.core.index.TraceResult;
import io.tributary.core.index.TracedSpan;
import io.tributary.core.lake.LakeTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Builds indexes from Delta tables in Spark local mode, then counts and traces against them. */
class IndexBuilderTest {
    static final StructType CONTRIBUTIONS = new StructType()
            .add("contribution_id", DataTypes.StringType, false)
            .add("datanet", DataTypes.StringType, false)
            .add("contributor", DataTypes.StringType, false)
            .add("ingested_at", DataTypes.TimestampType, false)
            .add("ingest_order", DataTypes.LongType, false)
            .add("text_bytes", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, false);
    static final String ALICE = "0x" + "a1".repeat(20);
    static final String BOB = "0x" + "b2".repeat(20);
    static final String CAROL = "0x" + "c3".repeat(20);
    static final String MIT = "Permission is hereby granted, free of charge, to any person obtaining a copy of this "
            + "software and associated documentation files (the \"Software\"), to deal in the Software without "
            + "restriction, including without limitation the rights to use, copy, modify, merge, publish.";
    static final String APACHE = "Licensed under the Apache License, Version 2.0 (the \"License\"); you may not use "
            + "this file except in compliance with the License. You may obtain a copy of the License at";
    static final String BSD = "Redistribution and use in source and binary forms, with or without modification, are "
            + "permitted provided that the following conditions are met: redistributions of source code must retain";
    static final String GPL = "This program is free software: you can redistribute it and/or modify it under the "
            + "terms of the GNU General Public License as published by the Free Software Foundation, either version 3";

    @RegisterExtension
    static final SparkLake LAKE = new SparkLake("index-test");

    @Test
    void buildsCountsTracesAndAddsShardsIncrementally() throws Exception {
        DatanetId datanet = DatanetId.of("licenses");
        append(datanet, List.of(new Text(MIT, ALICE), new Text(APACHE, BOB), new Text(APACHE + " (copy)", CAROL)), 0);
        IndexBuilder.Summary first = builder(1_000_000).build(datanet, OptionalLong.empty(), Optional.empty());
        assertThat(first.shardsAdded()).isEqualTo(1);
        assertThat(first.source()).isEqualTo("contributions");
        assertThat(first.tokens()).isEqualTo(MIT.length() + APACHE.length() + APACHE.length() + 7 + 3);

        IndexLocation location = new IndexLocation(LAKE.lakeRoot(), datanet);
        IndexManifest manifest = IndexReader.manifest(location, files());
        Path shardFile = Path.of(java.net.URI.create(location.file(manifest.shards().get(0).file())));
        assertThat(io.tributary.core.hash.Hashing.sha256Hex(shardFile)).isEqualTo(manifest.shards().get(0).sha256());
        assertThat(manifest.bytes()).isEqualTo(Files.size(shardFile));
        // One byte a token plus pointers of ceil(log2 N / 8) = 2 bytes, plus header and document table.
        assertThat((double) manifest.bytes() / manifest.tokens()).isLessThan(6.0);

        try (ShardedIndex index = open(datanet)) {
            assertThat(index.count("the License").count()).isEqualTo(bruteForce("the License", MIT, APACHE, APACHE));
            assertThat(index.count("Software").count()).isEqualTo(bruteForce("Software", MIT));
            String modelOutput = "As the model put it: " + MIT.substring(0, 120) + " ... and then "
                    + APACHE.substring(0, 80) + ".";
            TraceResult trace = index.trace(modelOutput, new TraceOptions(32, 1000, 10));
            assertThat(trace.spans()).extracting(TracedSpan::text)
                    .containsExactlyInAnyOrder(MIT.substring(0, 120), APACHE.substring(0, 80));
            TracedSpan apache = trace.spans().stream().filter(s -> s.text().startsWith("Licensed")).findFirst().orElseThrow();
            assertThat(apache.count()).isEqualTo(2);
            assertThat(apache.documents()).extracting(d -> d.contributionId().hex())
                    .containsExactlyInAnyOrder(ContributionId.ofText(APACHE).hex(),
                            ContributionId.ofText(APACHE + " (copy)").hex());
            assertThat(trace.contributors().get(ALICE)).isCloseTo(120.0 / 200, within(1e-9));
            assertThat(trace.contributors().get(BOB)).isCloseTo(40.0 / 200, within(1e-9));
            assertThat(trace.contributors().get(CAROL)).isCloseTo(40.0 / 200, within(1e-9));
        }

        // A rerun on the same version adds nothing; a newer version adds a shard and keeps the old one.
        assertThat(builder(1_000_000).build(datanet, OptionalLong.empty(), Optional.empty()).shardsAdded()).isZero();
        append(datanet, List.of(new Text(BSD, CAROL)), 3);
        IndexBuilder.Summary second = builder(1_000_000).build(datanet, OptionalLong.empty(), Optional.empty());
        assertThat(second.shardsAdded()).isEqualTo(1);
        assertThat(second.shards()).isEqualTo(2);
        assertThat(second.added().get(0).firstIngestOrder()).isEqualTo(3);
        IndexManifest after = IndexReader.manifest(location, files());
        assertThat(after.shards().get(0)).isEqualTo(manifest.shards().get(0));
        try (ShardedIndex index = open(datanet)) {
            assertThat(index.count("Redistribution and use").count()).isEqualTo(1);
            assertThat(index.count("the License").count()).isEqualTo(bruteForce("the License", MIT, APACHE, APACHE));
        }
        List<Row> rows = LAKE.spark().read().format("delta").load(LakeTable.INDEX_MANIFEST.path(LAKE.lakeRoot()))
                .where("datanet = 'licenses'").orderBy("shard").collectAsList();
        assertThat(rows).extracting(r -> r.getInt(r.fieldIndex("shard"))).containsExactly(0, 1);
        assertThat(rows.get(1).getString(rows.get(1).fieldIndex("checksum"))).isEqualTo("sha256:" + after.shards().get(1).sha256());
    }

    @Test
    void smallShardTargetsCutSeveralShardsAndTheCorpusKeepsDuplicatesOut() throws Exception {
        DatanetId datanet = DatanetId.of("deduped");
        append(datanet, List.of(new Text(MIT, ALICE), new Text(GPL, BOB), new Text(MIT + " ", CAROL),
                new Text(BSD, CAROL), new Text(APACHE, ALICE)), 0);
        // The dedup job's corpus: Carol's copy of the MIT text is a duplicate of Alice's.
        List<Row> corpus = new ArrayList<>();
        for (String text : List.of(MIT, GPL, BSD, APACHE)) {
            String id = ContributionId.ofText(text).hex();
            corpus.add(RowFactory.create(datanet.value(), 0L, id, id, "none", 1.0));
        }
        corpus.add(RowFactory.create(datanet.value(), 0L, ContributionId.ofText(MIT + " ").hex(),
                ContributionId.ofText(MIT).hex(), "normalized", 1.0));
        StructType corpusSchema = new StructType().add("datanet", DataTypes.StringType).add("version", DataTypes.LongType)
                .add("contribution_id", DataTypes.StringType).add("canonical_id", DataTypes.StringType)
                .add("duplicate_kind", DataTypes.StringType).add("similarity", DataTypes.DoubleType);
        LAKE.spark().createDataFrame(corpus, corpusSchema).write().format("delta").mode(SaveMode.Append)
                .save(LakeTable.CORPUS.path(LAKE.lakeRoot()));

        IndexBuilder.Summary summary = builder(300).build(datanet, OptionalLong.empty(), Optional.empty());
        assertThat(summary.source()).isEqualTo("corpus");
        assertThat(summary.contributions()).isEqualTo(4);
        assertThat(summary.shards()).isEqualTo(4); // each text is ~200 bytes; two never fit under 300 tokens
        try (ShardedIndex index = open(datanet)) {
            assertThat(index.count("Permission is hereby granted").count()).isEqualTo(1);
            TraceResult trace = index.trace(GPL.substring(20, 150) + " / " + BSD.substring(0, 50),
                    new TraceOptions(32, 1000, 10));
            assertThat(trace.contributors()).containsOnlyKeys(BOB, CAROL);
        }
        assertThatThrownBy(() -> builder(300).build(datanet, OptionalLong.of(99), Optional.empty()))
                .isInstanceOf(UserError.class).hasMessageContaining("--version 99");
    }

    record Text(String text, String contributor) {}

    private static ShardedIndex open(DatanetId datanet) {
        return IndexReader.open(new IndexLocation(LAKE.lakeRoot(), datanet), IndexSettings.from(LAKE.config()), files());
    }

    private static LakeFiles files() {
        return new LakeFiles(Map.of());
    }

    private static IndexBuilder builder(long shardTokens) {
        IndexSettings defaults = IndexSettings.from(LAKE.config());
        IndexSettings settings = new IndexSettings(shardTokens, "bytes", defaults.minTokens(), defaults.maxCount(),
                defaults.documentLimit(), "", 10, 8, 50);
        return new IndexBuilder(LAKE.spark(), LAKE.lakeRoot(), settings, files());
    }

    private static void append(DatanetId datanet, List<Text> texts, long firstOrder) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Text text = texts.get(i);
            rows.add(RowFactory.create(ContributionId.ofText(text.text()).hex(), datanet.value(), text.contributor(),
                    new Timestamp(1_700_000_000_000L + i), firstOrder + i,
                    text.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length, text.text()));
        }
        LAKE.spark().createDataFrame(rows, CONTRIBUTIONS).write().format("delta").mode(SaveMode.Append)
                .partitionBy("datanet").save(LakeTable.CONTRIBUTIONS.path(LAKE.lakeRoot()));
    }

    private static long bruteForce(String needle, String... texts) {
        long count = 0;
        for (String text : texts) {
            for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
                count++;
            }
        }
        return count;
    }
}
