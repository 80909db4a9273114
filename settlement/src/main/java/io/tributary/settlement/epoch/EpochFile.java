package io.tributary.settlement.epoch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.cli.UserError;
import io.tributary.core.crypto.Address;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads an epoch file, {@code {"epoch": N, "payouts": [{"account": "0x...", "amount": "123"}]}}, and
 * refuses it whole, naming the entry, on any defect: nothing is sent for a file with one bad line.
 * Payouts to the same account are summed and zero amounts dropped.
 */
public final class EpochFile {
    static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> TOP_FIELDS = Set.of("epoch", "payouts");
    private static final Set<String> ENTRY_FIELDS = Set.of("account", "amount");

    private EpochFile() {}

    public static EpochPayouts read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UserError("cannot read epoch file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static EpochPayouts parse(String text, String source) {
        JsonNode root;
        try {
            root = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            throw refused(source, "the file is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw refused(source, "the file must be a JSON object with \"epoch\" and \"payouts\"");
        }
        rejectUnknownFields(root, TOP_FIELDS, source, "the top level");
        JsonNode epochNode = root.get("epoch");
        if (epochNode == null || !epochNode.isIntegralNumber() || epochNode.bigIntegerValue().signum() < 0
                || !epochNode.canConvertToLong()) {
            throw refused(source, "the file needs \"epoch\": a non-negative integer, got " + epochNode);
        }
        long epoch = epochNode.longValue();
        JsonNode payouts = root.get("payouts");
        if (payouts == null || !payouts.isArray()) {
            throw refused(source, "the file needs \"payouts\": an array of {\"account\", \"amount\"}");
        }
        Map<Address, BigInteger> sums = new TreeMap<>();
        for (int i = 0; i < payouts.size(); i++) {
            JsonNode entry = payouts.get(i);
            String where = "payouts[" + i + "]";
            if (!entry.isObject()) {
                throw refused(source, where + " is not an object: " + entry);
            }
            rejectUnknownFields(entry, ENTRY_FIELDS, source, where);
            JsonNode accountNode = entry.get("account");
            if (accountNode == null || !accountNode.isTextual() || !Address.isValid(accountNode.textValue())) {
                throw refused(source, where + " has a bad account (want a 0x-prefixed 20-byte hex address): " + accountNode);
            }
            Address account = Address.of(accountNode.textValue());
            if (account.bytes().length == 20 && new BigInteger(1, account.bytes()).signum() == 0) {
                throw refused(source, where + " pays the zero address, which would burn the tokens");
            }
            BigInteger amount = amount(entry.get("amount"), source, where);
            sums.merge(account, amount, BigInteger::add);
        }
        List<Payout> merged = sums.entrySet().stream()
                .filter(e -> e.getValue().signum() > 0)
                .map(e -> new Payout(e.getKey(), e.getValue()))
                .toList();
        if (merged.isEmpty()) {
            throw refused(source, "the file pays nobody (no payout with a positive amount)");
        }
        EpochPayouts result = new EpochPayouts(epoch, merged);
        if (result.total().compareTo(UINT256_LIMIT) >= 0) {
            throw refused(source, "the file has a total that does not fit in uint256");
        }
        return result;
    }

    private static BigInteger amount(JsonNode node, String source, String where) {
        if (node == null || !node.isTextual()) {
            throw refused(source, where + " needs \"amount\" as a decimal string of the token's smallest unit, got " + node);
        }
        String text = node.textValue();
        if (text.startsWith("-")) {
            throw refused(source, where + " has a negative amount: " + text);
        }
        if (!text.matches("[0-9]{1,78}")) {
            throw refused(source, where + " has an amount that is not a non-negative integer: \"" + text + "\"");
        }
        BigInteger amount = new BigInteger(text);
        if (amount.compareTo(UINT256_LIMIT) >= 0) {
            throw refused(source, where + " has an amount that does not fit in uint256: " + text);
        }
        return amount;
    }

    private static void rejectUnknownFields(JsonNode node, Set<String> known, String source, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw refused(source, where + " has an unknown field \"" + name + "\" (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static UserError refused(String source, String reason) {
        return new UserError("epoch file " + source + " refused, nothing sent: " + reason);
    }
}
