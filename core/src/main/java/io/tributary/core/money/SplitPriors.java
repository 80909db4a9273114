package io.tributary.core.money;

import io.tributary.core.money.FeeSplitter.Prior;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An adapter's priors prepared once for {@link FeeSplitter} (they change only when the influence or adapters table
 * does): the positive weights as exact integers over one common denominator, reduced by their common divisor, and
 * aggregated per account, so each inference's split does integer work per account touched instead of rational
 * arithmetic per training contribution.
 */
public final class SplitPriors {
    /** No priors: uncovered tokens earn nothing. */
    public static final SplitPriors NONE = of(List.of());
    /** Integer weights summing past this are left to the rational path (the splitter checks every product too). */
    private static final BigInteger LARGEST_INTEGRAL_TOTAL = BigInteger.ONE.shiftLeft(62);

    private final List<Prior> given;
    private final List<Prior> positive;
    private final boolean integral;
    private final long[] weights;
    private final long total;
    private final String[] accounts;
    private final String[] lowerCaseAccounts;
    private final Map<String, Integer> slotOfAccount;
    private final int[][] priorsOfAccount;

    private SplitPriors(List<Prior> given) {
        this.given = List.copyOf(given);
        List<Prior> kept = new ArrayList<>();
        for (Prior prior : this.given) {
            if (prior.weight().signum() > 0) {
                kept.add(prior);
            }
        }
        this.positive = List.copyOf(kept);
        long[] integers = integerWeights(positive);
        this.integral = integers != null;
        this.weights = integral ? integers : new long[0];
        long sum = 0;
        for (long weight : weights) {
            sum += weight;
        }
        this.total = sum;
        Map<String, List<Integer>> byAccount = new LinkedHashMap<>();
        for (int i = 0; i < positive.size(); i++) {
            byAccount.computeIfAbsent(positive.get(i).account(), a -> new ArrayList<>()).add(i);
        }
        this.accounts = byAccount.keySet().toArray(new String[0]);
        this.lowerCaseAccounts = new String[accounts.length];
        this.slotOfAccount = new HashMap<>();
        this.priorsOfAccount = new int[accounts.length][];
        for (int slot = 0; slot < accounts.length; slot++) {
            lowerCaseAccounts[slot] = accounts[slot].toLowerCase(Locale.ROOT);
            slotOfAccount.put(accounts[slot], slot);
            priorsOfAccount[slot] = byAccount.get(accounts[slot]).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    public static SplitPriors of(List<Prior> priors) {
        return new SplitPriors(priors);
    }

    /** The priors as given (weights of zero or below included; they earn nothing). */
    public List<Prior> list() {
        return given;
    }

    /**
     * The positive weights times their common denominator, divided by their greatest common divisor: integers in the
     * same ratios. Null when any or their sum would pass {@link #LARGEST_INTEGRAL_TOTAL}.
     */
    private static long[] integerWeights(List<Prior> positive) {
        BigInteger denominator = BigInteger.ONE;
        for (Prior prior : positive) {
            BigInteger d = prior.weight().denominator();
            denominator = denominator.divide(denominator.gcd(d)).multiply(d);
        }
        BigInteger[] scaled = new BigInteger[positive.size()];
        BigInteger common = BigInteger.ZERO;
        for (int i = 0; i < scaled.length; i++) {
            Rational weight = positive.get(i).weight();
            scaled[i] = weight.numerator().multiply(denominator.divide(weight.denominator()));
            common = common.gcd(scaled[i]);
        }
        BigInteger sum = BigInteger.ZERO;
        long[] integers = new long[scaled.length];
        for (int i = 0; i < scaled.length; i++) {
            BigInteger reduced = scaled[i].divide(common);
            sum = sum.add(reduced);
            if (sum.compareTo(LARGEST_INTEGRAL_TOTAL) > 0) {
                return null;
            }
            integers[i] = reduced.longValueExact();
        }
        return integers;
    }

    boolean hasPositive() {
        return !positive.isEmpty();
    }

    boolean integral() {
        return integral;
    }

    List<Prior> positive() {
        return positive;
    }

    long weight(int prior) {
        return weights[prior];
    }

    long total() {
        return total;
    }

    int accountCount() {
        return accounts.length;
    }

    String account(int slot) {
        return accounts[slot];
    }

    String lowerCaseAccount(int slot) {
        return lowerCaseAccounts[slot];
    }

    /** The account's slot, or -1 when it has no positive prior. */
    int slotOf(String account) {
        Integer slot = slotOfAccount.get(account);
        return slot == null ? -1 : slot;
    }

    /** Positions in {@link #positive()} of the account's priors, in order. */
    int[] priorsOf(int slot) {
        return priorsOfAccount[slot];
    }
}
