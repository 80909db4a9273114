package io.tributary.attribution.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** What an open epoch has accumulated: counts, fees and wei owed per (role, account). Kept in Flink state as JSON. */
final class EpochTotals {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    long inferences;
    long late;
    BigInteger fees = BigInteger.ZERO;
    /** "role|account" -> wei, sorted: the epoch's payout rows in a fixed order. */
    final TreeMap<String, BigInteger> owed = new TreeMap<>();

    void owe(String role, String account, BigInteger wei) {
        if (wei.signum() > 0) {
            owed.merge(role + "|" + account, wei, BigInteger::add);
        }
    }

    /**
     * The JSON kept in state, written directly (the operator writes it for every record: a tree of a few hundred
     * accounts built and printed per record cost as much as the trace).
     */
    String encode() {
        StringBuilder text = new StringBuilder(64 + owed.size() * 80);
        text.append("{\"inferences\":").append(inferences).append(",\"late\":").append(late)
                .append(",\"fees\":\"").append(fees).append("\",\"owed\":{");
        boolean first = true;
        for (Map.Entry<String, BigInteger> entry : owed.entrySet()) {
            if (!first) {
                text.append(',');
            }
            first = false;
            text.append('"');
            QUOTE.quoteAsString(entry.getKey(), text);
            text.append("\":\"").append(entry.getValue()).append('"');
        }
        return text.append("}}").toString();
    }

    static EpochTotals decode(String text) {
        EpochTotals totals = new EpochTotals();
        if (text == null) {
            return totals;
        }
        try {
            JsonNode node = JSON.readTree(text);
            totals.inferences = node.get("inferences").longValue();
            totals.late = node.get("late").longValue();
            totals.fees = new BigInteger(node.get("fees").textValue());
            for (Iterator<Map.Entry<String, JsonNode>> it = node.get("owed").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                totals.owed.put(entry.getKey(), new BigInteger(entry.getValue().textValue()));
            }
            return totals;
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt epoch state", e);
        }
    }
}
