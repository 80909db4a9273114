package io.tributary.attribution.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** What an open epoch has accumulated: counts, fees and wei owed per (role, account). Kept in Flink state as JSON. */
final class EpochTotals {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    String encode() {
        ObjectNode node = JSON.createObjectNode();
        node.put("inferences", inferences);
        node.put("late", late);
        node.put("fees", fees.toString());
        ObjectNode payouts = node.putObject("owed");
        owed.forEach((key, wei) -> payouts.put(key, wei.toString()));
        return node.toString();
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
