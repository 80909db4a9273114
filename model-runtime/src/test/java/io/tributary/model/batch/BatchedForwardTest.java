package io.tributary.model.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.tributary.model.ModelException;
import io.tributary.model.llama.LlamaConfig;
import io.tributary.model.llama.LlamaModel;
import io.tributary.model.llama.TinyModels;
import io.tributary.model.lora.LoraAdapter;
import io.tributary.model.safetensors.TensorDtype;
import io.tributary.model.tokenizer.BytesTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The batched engine against the plain forward pass of one sequence at a time ({@link LlamaModel#forward} with
 * {@link LlamaModel#useAdapter}), which is itself checked against NumPy in {@code LlamaModelTest}.
 */
class BatchedForwardTest {
    private static final double TOLERANCE = 1e-5;

    @TempDir
    static Path temp;
    static NDManager manager;
    static LlamaModel model;
    static List<LoraAdapter> hostAdapters;
    static List<DeviceAdapter> adapters;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
        LlamaConfig config = TinyModels.untiedGqa();
        model = LlamaModel.load(TinyModels.write(temp.resolve("model"), config, 11, TensorDtype.F32), manager);
        hostAdapters = TestAdapters.assorted(config, 8, manager);
        adapters = hostAdapters.stream().map(adapter -> DeviceAdapter.of(adapter, manager)).toList();
    }

    @AfterAll
    static void tearDown() {
        adapters.forEach(DeviceAdapter::close);
        hostAdapters.forEach(LoraAdapter::close);
        model.close();
        manager.close();
    }

    /** One request of the scenario: adapter index (-1 = base), prompt, and the step it joins at. */
    private record Request(int adapter, int[] prompt, int joinsAt) {}

    private static List<Request> scenario() {
        SplittableRandom random = new SplittableRandom(5);
        List<Request> requests = new ArrayList<>();
        // Eight adapters of ranks 1..16, the bare base, and a second and third request on adapter 3 (a block of
        // several rows of one adapter, so the direct path runs beside the gathered one at the default settings).
        int[] adapterOf = {0, 1, 2, 3, 4, 5, 6, 7, -1, 3, 3, -1};
        for (int i = 0; i < adapterOf.length; i++) {
            int[] prompt = new int[1 + random.nextInt(12)];
            prompt[0] = BytesTokenizer.BOS;
            for (int t = 1; t < prompt.length; t++) {
                prompt[t] = 32 + random.nextInt(90);
            }
            requests.add(new Request(adapterOf[i], prompt, i % 3));
        }
        return requests;
    }

    @ParameterizedTest(name = "directRows {0}")
    @ValueSource(ints = {1, 3, 8, 1000})
    void everyRowOfAMixedBatchGetsTheLogitsItGetsAlone(int directRows) {
        assertThat(mixedBatchWorstError(directRows, LoraStep.MASKED_LIMIT)).isLessThan(TOLERANCE);
    }

    @Test
    void decodeRowsLeadAndAnAdaptersDecodeAndPrefillRowsFormOneBlock() {
        // Caller order mixes prefills (several tokens) and decodes (one token); adapter 3 has two decode rows and a
        // prefill, adapters 0 and 1 one decode row each, and the base a decode and a prefill.
        try (BatchedForward engine = new BatchedForward(model)) {
            List<Sequence> sequences = new ArrayList<>();
            int[] adapterOf = {3, 0, -1, 3, 1, -1, 3};
            int[] tokensOf = {5, 1, 4, 1, 1, 1, 1};
            List<BatchedForward.Feed> feeds = new ArrayList<>();
            for (int i = 0; i < adapterOf.length; i++) {
                Sequence sequence = new Sequence(engine, adapterOf[i] < 0 ? null : adapters.get(adapterOf[i]));
                sequences.add(sequence);
                feeds.add(new BatchedForward.Feed(sequence, new int[tokensOf[i]]));
            }
            StepPlan plan = new StepPlan(feeds, 2);
            assertThat(plan.decodes).hasSize(5);
            for (int i = 0; i < plan.decodes.size(); i++) {
                assertThat(plan.decodes.get(i).row()).isEqualTo(i);
            }
            int next = plan.decodes.size();
            for (StepPlan.Placed prefill : plan.prefills) {
                assertThat(prefill.row()).isEqualTo(next);
                next += prefill.tokens();
            }
            assertThat(next).isEqualTo(plan.rows).isEqualTo(14);
            // Adapters 0 and 1 (one decode row each) gather; adapter 3's two decode rows (directRows 2) and its prefill
            // are one block; the base's decode and prefill rows get no delta.
            assertThat(plan.gatheredRows).isEqualTo(2);
            assertThat(plan.gatheredAdapters).containsExactly(adapters.get(0), adapters.get(1));
            assertThat(plan.blocks).containsExactly(new StepPlan.Block(null, 2, 3), new StepPlan.Block(adapters.get(3), 3, 10),
                    new StepPlan.Block(null, 10, 14));
            sequences.forEach(Sequence::close);
        }
    }

    @ParameterizedTest(name = "directRows {0}")
    @ValueSource(ints = {3, 1000})
    void everyRowOfAMixedBatchGetsTheLogitsItGetsAloneOnThePerRowWay(int directRows) {
        assertThat(mixedBatchWorstError(directRows, 0)).isLessThan(TOLERANCE);
    }

    private double mixedBatchWorstError(int directRows, int maskedLimit) {
        BatchedForward.Settings settings = new BatchedForward.Settings(3, directRows, 2, 0);
        List<Request> requests = scenario();
        SplittableRandom random = new SplittableRandom(directRows);
        double worst = 0;
        try (BatchedForward engine = new BatchedForward(model, settings)) {
            engine.maskedLimit(maskedLimit);
            List<Sequence> sequences = new ArrayList<>();
            List<List<Integer>> history = new ArrayList<>();
            for (Request request : requests) {
                sequences.add(new Sequence(engine, request.adapter() < 0 ? null : adapters.get(request.adapter())));
                history.add(new ArrayList<>());
            }
            for (int step = 0; step < 6; step++) {
                List<BatchedForward.Feed> feeds = new ArrayList<>();
                List<Integer> fed = new ArrayList<>();
                for (int i = 0; i < requests.size(); i++) {
                    Request request = requests.get(i);
                    if (step < request.joinsAt()) {
                        continue;
                    }
                    int[] tokens;
                    if (history.get(i).isEmpty()) {
                        tokens = request.prompt();
                    } else if (step == 4 && i % 4 == 0) {
                        tokens = new int[] {40 + random.nextInt(50), 40 + random.nextInt(50), 40 + random.nextInt(50)};
                    } else {
                        tokens = new int[] {40 + random.nextInt(50)};
                    }
                    feeds.add(new BatchedForward.Feed(sequences.get(i), tokens));
                    fed.add(i);
                    Arrays.stream(tokens).forEach(history.get(i)::add);
                }
                // Not in caller order by adapter: the engine reorders rows and must give results back in feed order.
                java.util.Collections.reverse(feeds);
                java.util.Collections.reverse(fed);
                float[][] logits = engine.step(feeds);
                for (int f = 0; f < feeds.size(); f++) {
                    int i = fed.get(f);
                    assertThat(sequences.get(i).length()).isEqualTo(history.get(i).size());
                    float[] alone = alone(requests.get(i).adapter(), history.get(i));
                    worst = Math.max(worst, relativeError(logits[f], alone));
                }
            }
            sequences.forEach(Sequence::close);
        }
        return worst;
    }

    @Test
    void greedyDecodingOfAMixedBatchIsTokenForTokenWhatGeneratorGivesAlone() {
        String[] prompts = {"Permission is", "The licensee", "Copyright (c)", "THE SOFTWARE IS", "Redistribution",
                "You may not", "Licensed under", "Subject to", "In no event"};
        BytesTokenizer tokenizer = new BytesTokenizer();
        int tokens = 12;
        List<List<Integer>> alone = new ArrayList<>();
        for (int i = 0; i < prompts.length; i++) {
            model.useAdapter(i < 8 ? hostAdapters.get(i) : null);
            alone.add(Generator.generate(model, tokenizer, prompts[i], tokens, 0, 0).tokens());
        }
        model.useAdapter(null);
        List<List<Integer>> batched = new ArrayList<>();
        try (BatchedForward engine = new BatchedForward(model)) {
            List<Sequence> sequences = new ArrayList<>();
            int[][] next = new int[prompts.length][];
            for (int i = 0; i < prompts.length; i++) {
                sequences.add(new Sequence(engine, i < 8 ? adapters.get(i) : null));
                next[i] = Generator.promptIds(tokenizer, prompts[i]);
                batched.add(new ArrayList<>());
            }
            boolean[] done = new boolean[prompts.length];
            // Requests join two steps apart, so prefills and decodes share steps.
            for (int step = 0; step < tokens + 2 * prompts.length; step++) {
                List<BatchedForward.Feed> feeds = new ArrayList<>();
                List<Integer> fed = new ArrayList<>();
                for (int i = 0; i < prompts.length; i++) {
                    if (!done[i] && step >= 2 * i) {
                        feeds.add(new BatchedForward.Feed(sequences.get(i), next[i]));
                        fed.add(i);
                    }
                }
                if (feeds.isEmpty()) {
                    continue;
                }
                float[][] logits = engine.step(feeds);
                for (int f = 0; f < feeds.size(); f++) {
                    int i = fed.get(f);
                    int token = Generator.argmax(logits[f], tokenizer.vocabularySize());
                    if (token == tokenizer.eosId() || batched.get(i).size() == tokens) {
                        done[i] = true;
                        continue;
                    }
                    batched.get(i).add(token);
                    next[i] = new int[] {token};
                    done[i] = batched.get(i).size() == tokens;
                }
            }
            sequences.forEach(Sequence::close);
        }
        assertThat(batched).isEqualTo(alone);
        assertThat(alone).allSatisfy(list -> assertThat(list).isNotEmpty());
        // Different adapters really lead to different continuations (the comparison above is not vacuous).
        assertThat(alone.stream().distinct().count()).isGreaterThan(4);
    }

    @Test
    void chunkedPrefillAttentionAndChunkedPromptsGiveTheUnchunkedLogits() {
        int[] prompt = new int[60];
        prompt[0] = BytesTokenizer.BOS;
        for (int t = 1; t < prompt.length; t++) {
            prompt[t] = 32 + (t * 7) % 90;
        }
        float[] whole;
        try (BatchedForward engine = new BatchedForward(model, new BatchedForward.Settings(1024, 8, 4, 0));
             Sequence sequence = new Sequence(engine, adapters.get(3))) {
            whole = engine.step(List.of(new BatchedForward.Feed(sequence, prompt)))[0];
        }
        float[] chunked;
        try (BatchedForward engine = new BatchedForward(model, new BatchedForward.Settings(7, 8, 4, 0));
             Sequence sequence = new Sequence(engine, adapters.get(3))) {
            chunked = engine.step(List.of(new BatchedForward.Feed(sequence, prompt)))[0];
        }
        float[] stepwise = null;
        try (BatchedForward engine = new BatchedForward(model, new BatchedForward.Settings(5, 8, 4, 0));
             Sequence sequence = new Sequence(engine, adapters.get(3))) {
            for (int from = 0; from < prompt.length; from += 17) {
                int[] piece = Arrays.copyOfRange(prompt, from, Math.min(prompt.length, from + 17));
                stepwise = engine.step(List.of(new BatchedForward.Feed(sequence, piece)))[0];
            }
        }
        model.useAdapter(hostAdapters.get(3));
        float[][] reference = TinyModels.logits(model, prompt);
        model.useAdapter(null);
        assertThat(relativeError(whole, reference[prompt.length - 1])).isLessThan(TOLERANCE);
        assertThat(relativeError(chunked, whole)).isLessThan(1e-6);
        assertThat(relativeError(stepwise, whole)).isLessThan(TOLERANCE);
    }

    @Test
    void cacheGrowsByDoublingCountsItsBytesAndFreesOnClose() {
        try (BatchedForward engine = new BatchedForward(model, new BatchedForward.Settings(256, 8, 2, 0))) {
            long blockBytes = engine.cache().blockBytes();
            LlamaConfig config = model.config();
            assertThat(blockBytes).isEqualTo(2L * config.numHiddenLayers() * 16 * config.numKeyValueHeads() * config.headDim() * 4);
            assertThat(engine.cacheBytes()).isEqualTo(2 * blockBytes);
            assertThat(engine.cachePositionsLeft()).isEqualTo(Long.MAX_VALUE);
            Sequence first = new Sequence(engine, null);
            engine.step(List.of(new BatchedForward.Feed(first, new int[20])));
            assertThat(first.bytes()).isEqualTo(2 * blockBytes);
            assertThat(engine.cacheBytes()).isEqualTo(4 * blockBytes);
            Sequence second = new Sequence(engine, adapters.get(0));
            engine.step(List.of(new BatchedForward.Feed(second, new int[40])));
            assertThat(second.bytes()).isEqualTo(3 * blockBytes);
            assertThat(engine.cacheBytes()).isEqualTo(8 * blockBytes);
            assertThat(engine.cacheBytesInUse()).isEqualTo(5 * blockBytes);
            first.close();
            second.close();
            assertThat(engine.cacheBytesInUse()).isZero();
            // Freed blocks are reused: no growth for a sequence that fits in them.
            try (Sequence third = new Sequence(engine, null)) {
                engine.step(List.of(new BatchedForward.Feed(third, new int[64])));
                assertThat(engine.cacheBytes()).isEqualTo(8 * blockBytes);
            }
        }
    }

    @Test
    void aBoundedCacheRefusesAStepAndLeavesEverySequenceAsItWas() {
        try (BatchedForward engine = new BatchedForward(model, new BatchedForward.Settings(256, 8, 2, 3));
             Sequence a = new Sequence(engine, null); Sequence b = new Sequence(engine, null)) {
            assertThat(engine.cachePositionsLeft()).isEqualTo(32);
            engine.step(List.of(new BatchedForward.Feed(a, new int[16])));
            assertThat(engine.cachePositionsLeft()).isEqualTo(16);
            assertThatThrownBy(() -> engine.step(List.of(new BatchedForward.Feed(a, new int[1]),
                    new BatchedForward.Feed(b, new int[16]))))
                    .isInstanceOf(ModelException.class).hasMessageContaining("KV cache is full");
            assertThat(a.length()).isEqualTo(16);
            assertThat(b.length()).isZero();
            assertThat(engine.cacheBytesInUse()).isEqualTo(engine.cache().blockBytes());
            b.close();
            float[] next = engine.step(List.of(new BatchedForward.Feed(a, new int[] {65})))[0];
            assertThat(next).hasSize(model.config().vocabSize());
        }
    }

    @Test
    void badFeedsAreRefusedWithTheReasonAndChangeNothing() {
        try (BatchedForward engine = new BatchedForward(model); Sequence sequence = new Sequence(engine, null)) {
            engine.step(List.of(new BatchedForward.Feed(sequence, new int[] {BytesTokenizer.BOS, 72})));
            int vocab = model.config().vocabSize();
            assertThatThrownBy(() -> engine.step(List.of(new BatchedForward.Feed(sequence, new int[] {vocab}))))
                    .isInstanceOf(ModelException.class).hasMessageContaining("outside the vocabulary");
            assertThatThrownBy(() -> engine.step(List.of(new BatchedForward.Feed(sequence, new int[0]))))
                    .hasMessageContaining("no tokens");
            assertThatThrownBy(() -> engine.step(List.of(new BatchedForward.Feed(sequence, new int[] {1}),
                    new BatchedForward.Feed(sequence, new int[] {2})))).hasMessageContaining("twice");
            int room = model.config().maxPositionEmbeddings() - sequence.length();
            assertThatThrownBy(() -> engine.step(List.of(new BatchedForward.Feed(sequence, new int[room + 1]))))
                    .hasMessageContaining("exceeds max_position_embeddings");
            assertThat(sequence.length()).isEqualTo(2);
            try (BatchedForward other = new BatchedForward(model)) {
                assertThatThrownBy(() -> other.step(List.of(new BatchedForward.Feed(sequence, new int[] {1}))))
                        .hasMessageContaining("another engine");
            }
            Sequence closed = new Sequence(engine, null);
            closed.close();
            assertThatThrownBy(() -> engine.step(List.of(new BatchedForward.Feed(closed, new int[] {1}))))
                    .hasMessageContaining("closed");
        }
    }

    @Test
    void anAdapterClosedWhileInUseStaysUsableUntilItsLastSequenceCloses() {
        LoraAdapter host = TestAdapters.random(model.config(), 4, List.of("q_proj", "v_proj"), false, 77, manager);
        DeviceAdapter adapter = DeviceAdapter.of(host, manager);
        try (BatchedForward engine = new BatchedForward(model)) {
            Sequence sequence = new Sequence(engine, adapter);
            adapter.close();
            assertThatThrownBy(() -> new Sequence(engine, adapter)).hasMessageContaining("closed");
            int[] prompt = {BytesTokenizer.BOS, 80, 81, 82};
            float[] logits = engine.step(List.of(new BatchedForward.Feed(sequence, prompt)))[0];
            model.useAdapter(host);
            float[] alone = TinyModels.logits(model, prompt)[prompt.length - 1];
            model.useAdapter(null);
            assertThat(relativeError(logits, alone)).isLessThan(TOLERANCE);
            sequence.close();
            assertThatThrownBy(() -> adapter.delta("model.layers.0.self_attn.q_proj")).hasMessageContaining("closed");
        } finally {
            host.close();
        }
    }

    @Test
    void anAdapterLoadedFromItsPeftDirectoryEqualsTheOneMadeFromHostWeights() {
        Path directory = temp.resolve("peft-adapter-5");
        hostAdapters.get(5).save(directory);
        int[] prompt = {BytesTokenizer.BOS, 70, 111, 114};
        try (DeviceAdapter loaded = DeviceAdapter.load(directory, model.config(), manager);
             BatchedForward engine = new BatchedForward(model);
             Sequence fromDisk = new Sequence(engine, loaded); Sequence fromHost = new Sequence(engine, adapters.get(5))) {
            assertThat(loaded.modules()).isEqualTo(adapters.get(5).modules());
            assertThat(loaded.rank()).isEqualTo(16);
            long floats = hostAdapters.get(5).parameters().values().stream().mapToLong(array -> array.size()).sum();
            assertThat(loaded.deviceBytes()).isEqualTo(4 * floats);
            float[][] logits = engine.step(List.of(new BatchedForward.Feed(fromDisk, prompt), new BatchedForward.Feed(fromHost, prompt)));
            assertThat(relativeError(logits[0], logits[1])).isLessThan(1e-6);
        }
    }

    @Test
    void anAdapterForAnotherModelShapeIsRefusedNamingTheModule() {
        LlamaConfig other = TinyModels.tied();
        LlamaConfig wider = new LlamaConfig(48, other.intermediateSize(), other.numHiddenLayers(), 4, 1, 12,
                other.rmsNormEps(), other.ropeTheta(), other.vocabSize(), other.maxPositionEmbeddings(), true,
                other.bosTokenId(), other.eosTokenId(), other.tokenizer());
        try (LoraAdapter host = TestAdapters.random(wider, 2, List.of("q_proj"), false, 3, manager);
             DeviceAdapter adapter = DeviceAdapter.of(host, manager); BatchedForward engine = new BatchedForward(model)) {
            assertThatThrownBy(() -> new Sequence(engine, adapter)).isInstanceOf(ModelException.class)
                    .hasMessageContaining("q_proj");
        }
    }

    /** Last-position logits of {@code tokens} through the plain forward pass with the adapter set on the model. */
    @Test
    void theAdapterPoolGrowsWhenFullAndReusesTheRowsOfClosedAdapters() {
        // 48 device copies of the eight assorted adapters (ranks 1..16, different targets) hold 270 pool rows, more
        // than the pool's first 255: it grows to 511. 48 new copies (270 rows, 241 free) after the first 24 closed
        // must reuse those 135 rows instead of growing again and, since freed rows are zeroed, a copy whose modules
        // or ranks differ from the rows' previous holder must still get exactly its own delta.
        int[] prompt = {BytesTokenizer.BOS, 76, 105, 99};
        List<DeviceAdapter> first = copies(48);
        List<DeviceAdapter> second = copies(48);
        try (BatchedForward engine = new BatchedForward(model)) {
            long empty = engine.adapterTableBytes();
            assertThat(stepEach(engine, first.subList(0, 24), prompt, 0)).isLessThan(TOLERANCE);
            long small = engine.adapterTableBytes();
            assertThat(stepEach(engine, first.subList(24, 48), prompt, 24)).isLessThan(TOLERANCE);
            long grown = engine.adapterTableBytes();
            first.subList(0, 24).forEach(DeviceAdapter::close);
            assertThat(stepEach(engine, second, prompt, 0)).isLessThan(TOLERANCE);
            assertThat(empty).isZero();
            assertThat(grown).isGreaterThan(small);
            assertThat(engine.adapterTableBytes()).isEqualTo(grown);
        } finally {
            first.forEach(DeviceAdapter::close);
            second.forEach(DeviceAdapter::close);
        }
    }

    @Test
    void anAdapterWithANonFiniteValueIsRefusedSinceItWouldSpoilOtherRowsOfItsBatch() {
        float[] a = {1f, Float.NaN};
        assertThatThrownBy(() -> DeviceAdapter.fromFactors("poisoned", java.util.Map.of("model.layers.0.self_attn.q_proj",
                new float[][] {a, new float[] {0f, 0f}}), java.util.Map.of("model.layers.0.self_attn.q_proj", new long[] {1, 2, 2}), manager))
                .isInstanceOf(ModelException.class).hasMessageContaining("poisoned").hasMessageContaining("non-finite");
    }

    /** Device copies of the assorted adapters, copy i of host adapter i mod 8. */
    private static List<DeviceAdapter> copies(int count) {
        List<DeviceAdapter> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(DeviceAdapter.of(hostAdapters.get(i % hostAdapters.size()), manager));
        }
        return out;
    }

    /**
     * One prompt per adapter, its last token in one decode step of all (on the gathered path), then the sequences closed; the worst relative
     * error against each host adapter alone ({@code copies[i]} is a copy of host adapter {@code (offset + i) mod 8}).
     */
    private static double stepEach(BatchedForward engine, List<DeviceAdapter> copies, int[] prompt, int offset) {
        List<Sequence> sequences = copies.stream().map(adapter -> new Sequence(engine, adapter)).toList();
        // Prompts (multi-token feeds) take plain products; the last token of each, fed as one decode step of every
        // sequence, takes the gathered path through the pool.
        int[] head = Arrays.copyOf(prompt, prompt.length - 1);
        engine.step(sequences.stream().map(sequence -> new BatchedForward.Feed(sequence, head)).toList());
        int[] last = {prompt[prompt.length - 1]};
        List<BatchedForward.Feed> feeds = sequences.stream().map(sequence -> new BatchedForward.Feed(sequence, last)).toList();
        float[][] logits = engine.step(feeds);
        sequences.forEach(Sequence::close);
        List<Integer> tokens = Arrays.stream(prompt).boxed().toList();
        double worst = 0;
        for (int i = 0; i < copies.size(); i++) {
            worst = Math.max(worst, relativeError(logits[i], alone((offset + i) % hostAdapters.size(), tokens)));
        }
        return worst;
    }

    static float[] alone(int adapter, List<Integer> tokens) {
        model.useAdapter(adapter < 0 ? null : hostAdapters.get(adapter));
        try {
            float[][] logits = TinyModels.logits(model, tokens.stream().mapToInt(Integer::intValue).toArray());
            return logits[logits.length - 1];
        } finally {
            model.useAdapter(null);
        }
    }

    /** Largest absolute difference over the largest absolute reference value. */
    static double relativeError(float[] actual, float[] expected) {
        double difference = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return difference / scale;
    }
}
