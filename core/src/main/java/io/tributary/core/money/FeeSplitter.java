package io.tributary.core.money;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Splits one inference's fee, to the wei, between the protocol, the adapter's creator and the contributors whose
 * text the completion came from (the attribution stream's rule, attribution-stream/README.md):
 * <ol>
 *   <li>protocol = floor(fee x protocol_bps / 10000), creator = floor(fee x creator_bps / 10000), pool = the rest;
 *       a base-model inference pays the protocol only; an adapter without a creator pays its share to the treasury;</li>
 *   <li>each completion token covered by a kept span is credited to the longest span covering it (ties: the
 *       earliest), and a span's tokens are shared equally by the distinct contributions holding it;</li>
 *   <li>the uncovered tokens are credited to the priors (influence or training-token shares) by weight;</li>
 *   <li>the pool is split over accounts by credit with {@link LargestRemainder} (ties: the lower address), then
 *       each account's wei over its lines the same way (ties: the earlier line).</li>
 * </ol>
 * A pool with no credit at all (nothing traced, no priors) goes to the treasury as protocol. No floating point.
 */
public final class FeeSplitter {
    private static final BigInteger BPS = BigInteger.valueOf(10_000);
    /** Addresses compare case-insensitively (EIP-55 checksums change case, not value). */
    public static final Comparator<String> ADDRESS_ORDER = Comparator.comparing((String a) -> a.toLowerCase(java.util.Locale.ROOT))
            .thenComparing(Comparator.naturalOrder());

    private FeeSplitter() {}

    /** A contribution holding a span, and who is paid for it. */
    public record Holder(String contributionId, String account) {}

    /** A kept span in completion token offsets [start, end), with every distinct contribution holding it. */
    public record Span(int start, int end, List<Holder> holders) {
        public Span {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("span [" + start + ", " + end + ") is empty or negative");
            }
            holders = List.copyOf(holders);
        }
    }

    /** A prior weight of a training contribution (its positive influence score, or its share of training tokens). */
    public record Prior(String contributionId, String account, Rational weight) {}

    /**
     * What was sold and how it traced. {@code policy} empty: a base-model inference. {@code priors} prepared once per
     * adapter ({@link SplitPriors#of}) keep the per-inference split in integers; a list is prepared on each request.
     */
    public record Request(BigInteger fee, Optional<RewardPolicy> policy, Optional<String> creator, String treasury,
                          int completionTokens, List<Span> spans, SplitPriors priors) {
        public Request {
            Objects.requireNonNull(fee, "fee");
            if (fee.signum() < 0) {
                throw new IllegalArgumentException("fee must not be negative: " + fee);
            }
            Objects.requireNonNull(treasury, "treasury");
            Objects.requireNonNull(priors, "priors");
            spans = List.copyOf(spans);
        }

        public Request(BigInteger fee, Optional<RewardPolicy> policy, Optional<String> creator, String treasury,
                       int completionTokens, List<Span> spans, List<Prior> priors) {
            this(fee, policy, creator, treasury, completionTokens, spans, SplitPriors.of(priors));
        }
    }

    /** Line kinds, as written to the attributions table. */
    public enum Kind {
        SPAN("span"), PRIOR("prior"), CREATOR("creator"), PROTOCOL("protocol");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * One line of a split: where some wei went. {@code credit} is the line's share of its part (pool lines: of the
     * pool's credit; role lines: 1), {@code creditedTokens} the completion tokens it was credited (pool lines).
     */
    public record Line(Kind kind, Integer spanStart, Integer spanEnd, String contributionId, String account,
                       Rational credit, Rational creditedTokens, BigInteger wei) {}

    /** The parts and lines of one fee; the lines' wei sum to the fee. */
    public record Split(BigInteger protocol, BigInteger creator, BigInteger pool, int coveredTokens, List<Line> lines) {
        public BigInteger total() {
            return lines.stream().map(Line::wei).reduce(BigInteger.ZERO, BigInteger::add);
        }
    }

    /**
     * The split of one fee: in long arithmetic ({@code IntegerPoolSplit}) when the pool and the scaled credits fit,
     * else by {@link #referenceSplit}; both give the same lines to the wei (a differential test checks it).
     */
    public static Split split(Request request) {
        if (request.policy().isEmpty()) {
            return baseModel(request);
        }
        BigInteger fee = request.fee();
        RewardPolicy policy = request.policy().get();
        BigInteger protocol = fee.multiply(BigInteger.valueOf(policy.protocolBps())).divide(BPS);
        BigInteger creator = fee.multiply(BigInteger.valueOf(policy.creatorBps())).divide(BPS);
        Split fast = IntegerPoolSplit.split(request, protocol, creator, fee.subtract(protocol).subtract(creator));
        return fast != null ? fast : referenceSplit(request);
    }

    /**
     * The rule computed straightforwardly in exact rationals, line by line: the judge of {@link #split}'s integer path
     * and its fallback when a value would not fit a long.
     */
    public static Split referenceSplit(Request request) {
        if (request.policy().isEmpty()) {
            return baseModel(request);
        }
        BigInteger fee = request.fee();
        List<Line> lines = new ArrayList<>();
        RewardPolicy policy = request.policy().get();
        BigInteger protocol = fee.multiply(BigInteger.valueOf(policy.protocolBps())).divide(BPS);
        BigInteger creator = fee.multiply(BigInteger.valueOf(policy.creatorBps())).divide(BPS);
        BigInteger pool = fee.subtract(protocol).subtract(creator);

        // Credit lines in a fixed order: spans by start, holders in given order, then priors.
        List<Line> credits = new ArrayList<>();
        int[] owner = assignTokens(request.completionTokens(), request.spans());
        int covered = 0;
        int[] assigned = new int[request.spans().size()];
        for (int token = 0; token < owner.length; token++) {
            if (owner[token] >= 0) {
                assigned[owner[token]]++;
                covered++;
            }
        }
        for (int s = 0; s < request.spans().size(); s++) {
            Span span = request.spans().get(s);
            Set<Holder> distinct = distinctByContribution(span.holders());
            if (assigned[s] == 0 || distinct.isEmpty()) {
                continue;
            }
            Rational each = Rational.of(assigned[s], distinct.size());
            for (Holder holder : distinct) {
                credits.add(new Line(Kind.SPAN, span.start(), span.end(), holder.contributionId(), holder.account(),
                        null, each, null));
            }
        }
        int uncovered = request.completionTokens() - covered;
        Rational priorTotal = request.priors().list().stream().map(Prior::weight).filter(w -> w.signum() > 0)
                .reduce(Rational.ZERO, Rational::plus);
        if (uncovered > 0 && priorTotal.signum() > 0) {
            for (Prior prior : request.priors().list()) {
                if (prior.weight().signum() > 0) {
                    credits.add(new Line(Kind.PRIOR, null, null, prior.contributionId(), prior.account(), null,
                            prior.weight().dividedBy(priorTotal).times(BigInteger.valueOf(uncovered)), null));
                }
            }
        }
        Rational totalCredit = credits.stream().map(Line::creditedTokens).reduce(Rational.ZERO, Rational::plus);
        if (totalCredit.signum() == 0) {
            protocol = protocol.add(pool);
            pool = BigInteger.ZERO;
        }
        lines.add(protocolLine(request, protocol));
        lines.add(creatorLine(request, creator));
        if (totalCredit.signum() > 0) {
            lines.addAll(payPool(pool, credits, totalCredit));
        }
        return new Split(protocol, creator, pool, covered, List.copyOf(lines));
    }

    private static Split baseModel(Request request) {
        BigInteger fee = request.fee();
        return new Split(fee, BigInteger.ZERO, BigInteger.ZERO, 0, List.of(protocolLine(request, fee)));
    }

    static Line protocolLine(Request request, BigInteger wei) {
        return new Line(Kind.PROTOCOL, null, null, null, request.treasury(), Rational.ONE, Rational.ZERO, wei);
    }

    static Line creatorLine(Request request, BigInteger wei) {
        return new Line(Kind.CREATOR, null, null, null, request.creator().orElse(request.treasury()), Rational.ONE,
                Rational.ZERO, wei);
    }

    /** For each completion token, the index of the longest span covering it (ties: the earliest), or -1. */
    static int[] assignTokens(int tokens, List<Span> spans) {
        // Spans in order of start, ties in list order (an insertion sort: few spans, no boxing on the per-record path).
        int count = spans.size();
        int[] order = new int[count];
        for (int s = 0; s < count; s++) {
            int at = s;
            int start = spans.get(s).start();
            while (at > 0 && spans.get(order[at - 1]).start() > start) {
                order[at] = order[at - 1];
                at--;
            }
            order[at] = s;
        }
        int[] owner = new int[tokens];
        java.util.Arrays.fill(owner, -1);
        for (int s : order) {
            Span span = spans.get(s);
            if (span.end() > tokens) {
                throw new IllegalArgumentException("span [" + span.start() + ", " + span.end() + ") is past the "
                        + tokens + " completion tokens");
            }
            int length = span.end() - span.start();
            for (int token = span.start(); token < span.end(); token++) {
                int current = owner[token];
                if (current < 0 || length > spans.get(current).end() - spans.get(current).start()) {
                    owner[token] = s;
                }
            }
        }
        return owner;
    }

    private static Set<Holder> distinctByContribution(List<Holder> holders) {
        Map<String, Holder> byId = new LinkedHashMap<>();
        for (Holder holder : holders) {
            byId.putIfAbsent(holder.contributionId(), holder);
        }
        return new LinkedHashSet<>(byId.values());
    }

    private static List<Line> payPool(BigInteger pool, List<Line> credits, Rational totalCredit) {
        Map<String, Rational> byAccount = new LinkedHashMap<>();
        for (Line line : credits) {
            byAccount.merge(line.account(), line.creditedTokens(), Rational::plus);
        }
        Map<String, BigInteger> accountWei = LargestRemainder.split(pool, byAccount, ADDRESS_ORDER);
        Map<String, Map<Integer, Rational>> linesOfAccount = new LinkedHashMap<>();
        for (int i = 0; i < credits.size(); i++) {
            linesOfAccount.computeIfAbsent(credits.get(i).account(), a -> new LinkedHashMap<>())
                    .put(i, credits.get(i).creditedTokens());
        }
        BigInteger[] wei = new BigInteger[credits.size()];
        for (Map.Entry<String, Map<Integer, Rational>> account : linesOfAccount.entrySet()) {
            Map<Integer, BigInteger> parts = LargestRemainder.split(accountWei.get(account.getKey()), account.getValue(),
                    Comparator.<Integer>naturalOrder());
            parts.forEach((index, part) -> wei[index] = part);
        }
        List<Line> paid = new ArrayList<>();
        for (int i = 0; i < credits.size(); i++) {
            Line line = credits.get(i);
            paid.add(new Line(line.kind(), line.spanStart(), line.spanEnd(), line.contributionId(), line.account(),
                    line.creditedTokens().dividedBy(totalCredit), line.creditedTokens(), wei[i]));
        }
        return paid;
    }
}
