package io.tributary.training.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.cli.UserError;
import io.tributary.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Examples split into train and held-out eval sets and packed: each document becomes
 * {@code <s> tokens </s>}, documents are concatenated and cut into windows of sequenceLength + 1 tokens
 * (inputs and their next-token targets), so no compute is spent on padding.
 */
public final class PackedDataset {
    private final List<TrainingExample> train;
    private final List<TrainingExample> eval;
    private final List<int[]> trainWindows;
    private final List<int[]> evalWindows;
    private final int sequenceLength;
    private final long trainTokens;

    private PackedDataset(List<TrainingExample> train, List<TrainingExample> eval, List<int[]> trainWindows,
                          List<int[]> evalWindows, int sequenceLength, long trainTokens) {
        this.train = train;
        this.eval = eval;
        this.trainWindows = trainWindows;
        this.evalWindows = evalWindows;
        this.sequenceLength = sequenceLength;
        this.trainTokens = trainTokens;
    }

    /**
     * Orders examples by contribution id (so the split does not depend on read order), shuffles them with
     * {@code seed}, holds out {@code evalFraction} of them (at least one when there are two or more) and packs both sets.
     */
    public static PackedDataset build(List<TrainingExample> examples, TextTokenizer tokenizer, int sequenceLength,
                                      double evalFraction, long seed) {
        if (examples.isEmpty()) {
            throw new UserError("no training examples: the Datanet version has no contributions to train on");
        }
        List<TrainingExample> shuffled = new ArrayList<>(examples);
        shuffled.sort(Comparator.comparing(TrainingExample::contributionId));
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            TrainingExample swap = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, swap);
        }
        int evalCount = evalFraction <= 0 || shuffled.size() < 2 ? 0
                : Math.max(1, (int) Math.round(shuffled.size() * evalFraction));
        List<TrainingExample> eval = List.copyOf(shuffled.subList(0, evalCount));
        List<TrainingExample> train = List.copyOf(shuffled.subList(evalCount, shuffled.size()));
        int[] trainStream = stream(train, tokenizer);
        int[] evalStream = stream(eval, tokenizer);
        int length = Math.min(sequenceLength, trainStream.length - 1);
        if (length < 1) {
            throw new UserError("training examples hold too few tokens to train on");
        }
        List<int[]> trainWindows = windows(trainStream, length);
        List<int[]> evalWindows = windows(evalStream, Math.min(length, Math.max(1, evalStream.length - 1)));
        return new PackedDataset(train, eval, trainWindows, evalWindows, length, trainStream.length);
    }

    private static int[] stream(List<TrainingExample> examples, TextTokenizer tokenizer) {
        List<int[]> parts = new ArrayList<>();
        int total = 0;
        for (TrainingExample example : examples) {
            int[] ids = tokenizer.ids(example.text());
            int[] document = new int[ids.length + 2];
            document[0] = tokenizer.bosId();
            System.arraycopy(ids, 0, document, 1, ids.length);
            document[document.length - 1] = tokenizer.eosId();
            parts.add(document);
            total += document.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static List<int[]> windows(int[] stream, int length) {
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start + length + 1 <= stream.length; start += length) {
            int[] window = new int[length + 1];
            System.arraycopy(stream, start, window, 0, length + 1);
            out.add(window);
        }
        return out;
    }

    public List<TrainingExample> train() {
        return train;
    }

    public List<TrainingExample> eval() {
        return eval;
    }

    public List<int[]> trainWindows() {
        return trainWindows;
    }

    public List<int[]> evalWindows() {
        return evalWindows;
    }

    public int sequenceLength() {
        return sequenceLength;
    }

    public long trainTokens() {
        return trainTokens;
    }

    /** Adds the contribution ids of the two sets as arrays {@code train} and {@code eval} to {@code root}. */
    public void putSplit(ObjectNode root) {
        ArrayNode trainIds = root.putArray("train");
        train.forEach(example -> trainIds.add(example.contributionId()));
        ArrayNode evalIds = root.putArray("eval");
        eval.forEach(example -> evalIds.add(example.contributionId()));
    }
}
