package io.tributary.indexing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.id.DatanetId;
import io.tributary.core.lake.BatchJournalLayout;
import io.tributary.core.lake.LakeTable;
import io.tributary.indexing.dedup.DedupSettings;
import io.tributary.indexing.dedup.Deduplicator;
import io.tributary.indexing.dedup.SyntheticContributions;
import io.tributary.indexing.index.IndexBuilder;
import io.tributary.indexing.index.IndexSettings;
import io.tributary.indexing.index.LakeFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Dedup and index builds see a batch only once its batch record committed, and never skip it afterwards. */
class CommittedBatchesTest {
    @RegisterExtension
    static final SparkLake LAKE = new SparkLake("committed-batches-test");

    @Test
    void rowsOfABatchStillBeingWrittenAreInvisibleUntilItCommits() throws Exception {
        DatanetId datanet = DatanetId.of("legal");
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, List.of(
                "Permission is hereby granted, free of charge, to any person obtaining a copy.",
                "Licensed under the Apache License, Version 2.0; you may not use this file except in compliance.",
                "Redistribution and use in source and binary forms, with or without modification, are permitted.",
                "This program is free software: you can redistribute it and/or modify it under the GNU GPL."));
        // The next batch's rows are committed to contributions, but its batch record is not: still in the journal.
        SyntheticContributions.append(LAKE.spark(), LAKE.lakeRoot(), datanet, List.of(
                "Mozilla Public License Version 2.0, definitions and grants of rights to the covered software.",
                "The Unlicense: this is free and unencumbered software released into the public domain."));
        Path journal = Path.of(URI.create(BatchJournalLayout.directory(LAKE.lakeRoot())));
        Files.createDirectories(journal);
        Path entry = Files.writeString(journal.resolve("synthetic-4" + BatchJournalLayout.SUFFIX), "{}\n");

        Deduplicator dedup = new Deduplicator(LAKE.spark(), LAKE.lakeRoot(), DedupSettings.from(LAKE.config()));
        assertThat(dedup.run(datanet, OptionalLong.empty()).contributions()).isEqualTo(4);
        assertThat(corpusRows()).isEqualTo(4);
        IndexBuilder.Summary first = builder().build(datanet, OptionalLong.empty(), Optional.empty());
        assertThat(first.contributions()).isEqualTo(4);

        // The batch commits (its journal entry goes): the next runs pick up exactly its rows.
        Files.delete(entry);
        assertThat(dedup.run(datanet, OptionalLong.empty()).contributions()).isEqualTo(6);
        assertThat(corpusRows()).isEqualTo(6);
        IndexBuilder.Summary second = builder().build(datanet, OptionalLong.empty(), Optional.empty());
        assertThat(second.added()).isNotEmpty();
        assertThat(second.added().get(0).firstIngestOrder()).isEqualTo(4);
        assertThat(second.added().get(second.added().size() - 1).lastIngestOrder()).isEqualTo(5);
    }

    private static long corpusRows() {
        return LAKE.spark().read().format("delta").load(LakeTable.CORPUS.path(LAKE.lakeRoot())).count();
    }

    private static IndexBuilder builder() {
        IndexSettings defaults = IndexSettings.from(LAKE.config());
        IndexSettings settings = new IndexSettings(1_000_000, "bytes", defaults.minTokens(), defaults.maxCount(),
                defaults.documentLimit(), "", 10, 8, 50);
        return new IndexBuilder(LAKE.spark(), LAKE.lakeRoot(), settings, new LakeFiles(Map.of()));
    }
}
