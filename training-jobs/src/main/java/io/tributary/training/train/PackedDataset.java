package io.tributary.training.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.cli.UserError;
import io.tributary.model.ModelException;
import io.tributary.model.tokenizer.LossScope;
import io.tributary.model.tokenizer.LossScope.Scored;
import io.tributary.model.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Examples split into train and held-out eval sets and packed: each document becomes
 * {@code <s> tokens </s>}, documents are concatenated and cut into windows of sequenceLength + 1 tokens
 * (inputs and their next-token targets), so no compute is spent on padding. Each token carries whether the loss
 * scores it ({@link LossScope}: the whole text, or only what follows a marker), so a masked prompt stays masked
 * wherever packing cuts.
 */
public final class PackedDataset {
    private final List<TrainingExample> train;
    private final List<TrainingExample> eval;
    private final List<Scored> trainWindows;
    private final List<Scored> evalWindows;
    private final int sequenceLength;
    private final long trainTokens;
    private final LossScope scope;

    private PackedDataset(List<TrainingExample> train, List<TrainingExample> eval, List<Scored> trainWindows,
                          List<Scored> evalWindows, int sequenceLength, long trainTokens, LossScope scope) {
        this.train = train;
        this.eval = eval;
        this.trainWindows = trainWindows;
        this.evalWindows = evalWindows;
        this.sequenceLength = sequenceLength;
        this.trainTokens = trainTokens;
        this.scope = scope;
    }

    /**
     * Orders examples by contribution id (so the split does not depend on read order), shuffles them with
     * {@code seed}, holds out {@code evalFraction} of them (at least one when there are two or more) and packs both sets.
     */
    public static PackedDataset build(List<TrainingExample> examples, TextTokenizer tokenizer, int sequenceLength,
                                      double evalFraction, long seed) {
        return build(examples, tokenizer, sequenceLength, evalFraction, seed, LossScope.WHOLE_TEXT);
    }

    /** As {@link #build(List, TextTokenizer, int, double, long)}, the loss on the tokens {@code scope} scores only. */
    public static PackedDataset build(List<TrainingExample> examples, TextTokenizer tokenizer, int sequenceLength,
                                      double evalFraction, long seed, LossScope scope) {
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
        Scored trainStream = stream(train, tokenizer, scope);
        Scored evalStream = stream(eval, tokenizer, scope);
        int length = Math.min(sequenceLength, trainStream.length() - 1);
        if (length < 1) {
            throw new UserError("training examples hold too few tokens to train on");
        }
        List<Scored> trainWindows = windows(trainStream, length);
        List<Scored> evalWindows = windows(evalStream, Math.min(length, Math.max(1, evalStream.length() - 1)));
        return new PackedDataset(train, eval, trainWindows, evalWindows, length, trainStream.length(), scope);
    }

    private static Scored stream(List<TrainingExample> examples, TextTokenizer tokenizer, LossScope scope) {
        List<Scored> parts = new ArrayList<>();
        int total = 0;
        for (TrainingExample example : examples) {
            Scored document;
            try {
                document = scope.frame(example.text(), tokenizer);
            } catch (ModelException e) {
                throw new UserError("contribution " + example.contributionId() + ": " + e.getMessage()
                        + "; every contribution needs it when training with --loss-after");
            }
            parts.add(document);
            total += document.length();
        }
        int[] tokens = new int[total];
        boolean[] scored = new boolean[total];
        int at = 0;
        for (Scored part : parts) {
            System.arraycopy(part.tokens(), 0, tokens, at, part.length());
            System.arraycopy(part.scored(), 0, scored, at, part.length());
            at += part.length();
        }
        return new Scored(tokens, scored);
    }

    private static List<Scored> windows(Scored stream, int length) {
        List<Scored> out = new ArrayList<>();
        for (int start = 0; start + length + 1 <= stream.length(); start += length) {
            out.add(stream.slice(start, start + length + 1));
        }
        return out;
    }

    public List<TrainingExample> train() {
        return train;
    }

    public List<TrainingExample> eval() {
        return eval;
    }

    public List<Scored> trainWindows() {
        return trainWindows;
    }

    public List<Scored> evalWindows() {
        return evalWindows;
    }

    public int sequenceLength() {
        return sequenceLength;
    }

    public long trainTokens() {
        return trainTokens;
    }

    /** Which tokens the loss scores. */
    public LossScope scope() {
        return scope;
    }

    /** Adds the contribution ids of the two sets as arrays {@code train} and {@code eval} to {@code root}. */
    public void putSplit(ObjectNode root) {
        ArrayNode trainIds = root.putArray("train");
        train.forEach(example -> trainIds.add(example.contributionId()));
        ArrayNode evalIds = root.putArray("eval");
        eval.forEach(example -> evalIds.add(example.contributionId()));
    }
}
