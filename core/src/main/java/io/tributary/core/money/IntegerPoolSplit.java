package io.tributary.core.money;

import io.tributary.core.money.FeeSplitter.Holder;
import io.tributary.core.money.FeeSplitter.Kind;
import io.tributary.core.money.FeeSplitter.Line;
import io.tributary.core.money.FeeSplitter.Prior;
import io.tributary.core.money.FeeSplitter.Request;
import io.tributary.core.money.FeeSplitter.Span;
import io.tributary.core.money.FeeSplitter.Split;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link FeeSplitter}'s rule in long arithmetic, for the stream's hot path: every credit of one inference is scaled
 * by the same positive integer (the holders' counts' least common multiple times the priors' integer total), which
 * keeps every ratio, floor and remainder of the rational rule, so the result is the same to the wei and the same
 * tie order. Products of two longs are divided exactly in 128 bits. Returns null when a value would not fit (a pool
 * of 2^62 wei or more, priors with no small integer form, an overflowing scale): the rational path runs then.
 */
final class IntegerPoolSplit {
    /** Duplicate holders are found by a scan below this many holders, by a hash set above. */
    private static final int SCAN_LIMIT = 8;

    private IntegerPoolSplit() {}

    /** An order over ints (positions into arrays of the split), without boxing. */
    private interface IntOrder {
        int compare(int left, int right);
    }

    static Split split(Request request, BigInteger protocol, BigInteger creator, BigInteger pool) {
        if (pool.bitLength() > 62) {
            return null;
        }
        try {
            return splitPool(request, protocol, creator, pool.longValue());
        } catch (ArithmeticException overflow) {
            return null;
        }
    }

    private static Split splitPool(Request request, BigInteger protocol, BigInteger creator, long pool) {
        List<Span> spans = request.spans();
        int[] assigned = new int[spans.size()];
        int covered = assign(request.completionTokens(), spans, assigned);

        // Span lines: per span with tokens, its distinct contributions (first holder of each id), in order.
        int capacity = 0;
        for (int s = 0; s < spans.size(); s++) {
            capacity += assigned[s] > 0 ? spans.get(s).holders().size() : 0;
        }
        int[] spanOfLine = new int[capacity];
        Holder[] holderOfLine = new Holder[capacity];
        int[] distinct = new int[spans.size()];
        int spanLines = 0;
        long holderMultiple = 1;
        for (int s = 0; s < spans.size(); s++) {
            if (assigned[s] == 0) {
                continue;
            }
            int first = spanLines;
            List<Holder> holders = spans.get(s).holders();
            Set<String> seen = holders.size() > SCAN_LIMIT ? new HashSet<>() : null;
            for (Holder holder : holders) {
                if (seen != null ? seen.add(holder.contributionId()) : !heldBefore(holderOfLine, first, spanLines, holder)) {
                    spanOfLine[spanLines] = s;
                    holderOfLine[spanLines++] = holder;
                }
            }
            distinct[s] = spanLines - first;
            if (distinct[s] > 0) {
                holderMultiple = Math.multiplyExact(holderMultiple / Rational.gcd(holderMultiple, distinct[s]), distinct[s]);
            }
        }

        int uncovered = request.completionTokens() - covered;
        SplitPriors priors = request.priors();
        boolean usePriors = uncovered > 0 && priors.hasPositive();
        if (usePriors && !priors.integral()) {
            return null;
        }
        int priorLines = usePriors ? priors.positive().size() : 0;
        int lineCount = spanLines + priorLines;
        long priorTotal = usePriors ? priors.total() : 1;

        // Each line's credit times holderMultiple x priorTotal: span tokens / holders, uncovered x weight / total.
        long[] units = new long[lineCount];
        long total = 0;
        for (int line = 0; line < spanLines; line++) {
            int s = spanOfLine[line];
            units[line] = Math.multiplyExact(Math.multiplyExact((long) assigned[s], holderMultiple / distinct[s]), priorTotal);
            total = Math.addExact(total, units[line]);
        }
        long perWeight = Math.multiplyExact((long) uncovered, holderMultiple);
        for (int prior = 0; prior < priorLines; prior++) {
            units[spanLines + prior] = Math.multiplyExact(perWeight, priors.weight(prior));
            total = Math.addExact(total, units[spanLines + prior]);
        }

        List<Line> lines = new ArrayList<>(2 + lineCount);
        if (total == 0) {
            BigInteger all = protocol.add(BigInteger.valueOf(pool));
            lines.add(FeeSplitter.protocolLine(request, all));
            lines.add(FeeSplitter.creatorLine(request, creator));
            return new Split(all, creator, BigInteger.ZERO, covered, List.copyOf(lines));
        }

        // Accounts: the priors' own slots first, then span holders' accounts that have no prior.
        int priorAccounts = usePriors ? priors.accountCount() : 0;
        String[] extraAccounts = new String[spanLines];
        int extra = 0;
        Map<String, Integer> extraSlots = spanLines > SCAN_LIMIT ? new HashMap<>() : null;
        int[] accountOfLine = new int[lineCount];
        for (int line = 0; line < spanLines; line++) {
            String account = holderOfLine[line].account();
            int slot = usePriors ? priors.slotOf(account) : -1;
            if (slot < 0) {
                int known = extraSlots != null ? extraSlots.getOrDefault(account, -1) : indexOf(extraAccounts, extra, account);
                if (known < 0) {
                    known = extra;
                    extraAccounts[extra++] = account;
                    if (extraSlots != null) {
                        extraSlots.put(account, known);
                    }
                }
                slot = priorAccounts + known;
            }
            accountOfLine[line] = slot;
        }
        for (int slot = 0; slot < priorAccounts; slot++) {
            for (int prior : priors.priorsOf(slot)) {
                accountOfLine[spanLines + prior] = slot;
            }
        }
        int accounts = priorAccounts + extra;
        long[] credit = new long[accounts];
        int[] lineStart = new int[accounts + 1];
        for (int line = 0; line < lineCount; line++) {
            credit[accountOfLine[line]] = Math.addExact(credit[accountOfLine[line]], units[line]);
            lineStart[accountOfLine[line] + 1]++;
        }
        for (int slot = 0; slot < accounts; slot++) {
            lineStart[slot + 1] += lineStart[slot];
        }
        // Each account's lines, in line order (span lines first, then priors: the rule's "earlier line").
        int[] linesByAccount = new int[lineCount];
        int[] fill = Arrays.copyOf(lineStart, accounts);
        for (int line = 0; line < lineCount; line++) {
            linesByAccount[fill[accountOfLine[line]]++] = line;
        }

        // The pool over accounts: floors, then one wei each to the largest remainders, ties to the lower address.
        long[] accountWei = new long[accounts];
        long[] accountRemainder = new long[accounts];
        long given = 0;
        for (int slot = 0; slot < accounts; slot++) {
            accountWei[slot] = mulDiv(pool, credit[slot], total, accountRemainder, slot);
            given += accountWei[slot];
        }
        long left = pool - given;
        if (left > 0) {
            String[] lowerCaseExtra = new String[extra];
            for (int e = 0; e < extra; e++) {
                lowerCaseExtra[e] = extraAccounts[e].toLowerCase(Locale.ROOT);
            }
            int[] order = new int[accounts];
            for (int slot = 0; slot < accounts; slot++) {
                order[slot] = slot;
            }
            final int priorSlots = priorAccounts;
            final String[] extras = extraAccounts;
            sort(order, 0, accounts, (a, b) -> {
                int byRemainder = Long.compare(accountRemainder[b], accountRemainder[a]);
                if (byRemainder != 0) {
                    return byRemainder;
                }
                String lowerA = a < priorSlots ? priors.lowerCaseAccount(a) : lowerCaseExtra[a - priorSlots];
                String lowerB = b < priorSlots ? priors.lowerCaseAccount(b) : lowerCaseExtra[b - priorSlots];
                int byLowerCase = lowerA.compareTo(lowerB);
                if (byLowerCase != 0) {
                    return byLowerCase;
                }
                String exactA = a < priorSlots ? priors.account(a) : extras[a - priorSlots];
                String exactB = b < priorSlots ? priors.account(b) : extras[b - priorSlots];
                return exactA.compareTo(exactB);
            });
            for (int i = 0; i < left; i++) {
                accountWei[order[i]]++;
            }
        }

        // Each account's wei over its lines the same way, ties to the earlier line (a stable sort of lines in order).
        long[] lineWei = new long[lineCount];
        long[] lineRemainder = new long[lineCount];
        for (int slot = 0; slot < accounts; slot++) {
            int from = lineStart[slot];
            int to = lineStart[slot + 1];
            if (to - from == 1) {
                lineWei[linesByAccount[from]] = accountWei[slot];
                continue;
            }
            long paid = 0;
            for (int i = from; i < to; i++) {
                int line = linesByAccount[i];
                lineWei[line] = mulDiv(accountWei[slot], units[line], credit[slot], lineRemainder, line);
                paid += lineWei[line];
            }
            long leftover = accountWei[slot] - paid;
            if (leftover > 0) {
                sort(linesByAccount, from, to, (a, b) -> Long.compare(lineRemainder[b], lineRemainder[a]));
                for (int i = 0; i < leftover; i++) {
                    lineWei[linesByAccount[from + i]]++;
                }
            }
        }

        lines.add(FeeSplitter.protocolLine(request, protocol));
        lines.add(FeeSplitter.creatorLine(request, creator));
        BigInteger totalUnits = BigInteger.valueOf(total);
        for (int line = 0; line < spanLines; line++) {
            int s = spanOfLine[line];
            Span span = spans.get(s);
            Holder holder = holderOfLine[line];
            lines.add(new Line(Kind.SPAN, span.start(), span.end(), holder.contributionId(), holder.account(),
                    new Rational(BigInteger.valueOf(units[line]), totalUnits), Rational.of(assigned[s], distinct[s]),
                    BigInteger.valueOf(lineWei[line])));
        }
        BigInteger priorTotalBig = BigInteger.valueOf(priorTotal);
        for (int prior = 0; prior < priorLines; prior++) {
            Prior source = priors.positive().get(prior);
            int line = spanLines + prior;
            lines.add(new Line(Kind.PRIOR, null, null, source.contributionId(), source.account(),
                    new Rational(BigInteger.valueOf(units[line]), totalUnits),
                    new Rational(BigInteger.valueOf(uncovered * priors.weight(prior)), priorTotalBig),
                    BigInteger.valueOf(lineWei[line])));
        }
        return new Split(protocol, creator, BigInteger.valueOf(pool), covered, List.copyOf(lines));
    }

    /**
     * Each span's token count under FeeSplitter.assignTokens (each token to the longest span covering it, ties: the
     * earliest) written to {@code assigned}; returns the tokens covered.
     */
    static int assign(int tokens, List<Span> spans, int[] assigned) {
        int[] owner = FeeSplitter.assignTokens(tokens, spans);
        int covered = 0;
        for (int token = 0; token < tokens; token++) {
            if (owner[token] >= 0) {
                assigned[owner[token]]++;
                covered++;
            }
        }
        return covered;
    }

    private static boolean heldBefore(Holder[] holders, int from, int to, Holder holder) {
        for (int i = from; i < to; i++) {
            if (holders[i].contributionId().equals(holder.contributionId())) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(String[] values, int count, String value) {
        for (int i = 0; i < count; i++) {
            if (values[i].equals(value)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * floor(a x b / d), exact, for 0 <= a, 0 <= b <= d and 0 < d (so the quotient is at most a); the remainder is
     * written to {@code remainders[at]}.
     */
    static long mulDiv(long a, long b, long d, long[] remainders, int at) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        if (high == 0 && low >= 0) {
            remainders[at] = low % d;
            return low / d;
        }
        return divide128(high, low, d, remainders, at);
    }

    /**
     * The unsigned 128-bit (high:low) divided by d (0 < d < 2^63, high < d, so the quotient fits 64 bits): Knuth's
     * algorithm D on 32-bit digits as Hacker's Delight gives it (divlu).
     */
    private static long divide128(long high, long low, long d, long[] remainders, int at) {
        final long base = 1L << 32;
        int shift = Long.numberOfLeadingZeros(d); // >= 1, as d < 2^63
        long v = d << shift;
        long vn1 = v >>> 32;
        long vn0 = v & 0xFFFFFFFFL;
        long un32 = (high << shift) | (low >>> (64 - shift));
        long un10 = low << shift;
        long un1 = un10 >>> 32;
        long un0 = un10 & 0xFFFFFFFFL;
        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = Long.remainderUnsigned(un32, vn1);
        while (Long.compareUnsigned(q1, base) >= 0 || Long.compareUnsigned(q1 * vn0, (rhat << 32) + un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0) {
                break;
            }
        }
        long un21 = (un32 << 32) + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = Long.remainderUnsigned(un21, vn1);
        while (Long.compareUnsigned(q0, base) >= 0 || Long.compareUnsigned(q0 * vn0, (rhat << 32) + un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0) {
                break;
            }
        }
        remainders[at] = ((un21 << 32) + un0 - q0 * v) >>> shift;
        return (q1 << 32) + q0;
    }

    /** A stable sort of items[from, to) by {@code order}. */
    private static void sort(int[] items, int from, int to, IntOrder order) {
        if (to - from < 2) {
            return;
        }
        mergeSort(items, from, to, to - from > 24 ? new int[items.length] : null, order);
    }

    private static void mergeSort(int[] items, int from, int to, int[] buffer, IntOrder order) {
        if (to - from <= 24) {
            for (int i = from + 1; i < to; i++) {
                int item = items[i];
                int at = i;
                while (at > from && order.compare(item, items[at - 1]) < 0) {
                    items[at] = items[at - 1];
                    at--;
                }
                items[at] = item;
            }
            return;
        }
        int middle = (from + to) >>> 1;
        mergeSort(items, from, middle, buffer, order);
        mergeSort(items, middle, to, buffer, order);
        if (order.compare(items[middle - 1], items[middle]) <= 0) {
            return;
        }
        System.arraycopy(items, from, buffer, from, to - from);
        int left = from;
        int right = middle;
        int at = from;
        while (left < middle && right < to) {
            items[at++] = order.compare(buffer[right], buffer[left]) < 0 ? buffer[right++] : buffer[left++];
        }
        while (left < middle) {
            items[at++] = buffer[left++];
        }
        while (right < to) {
            items[at++] = buffer[right++];
        }
    }
}
