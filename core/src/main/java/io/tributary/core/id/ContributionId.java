package io.tributary.core.id;

import io.tributary.core.hash.Hashing;
import io.tributary.core.hash.Hex;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** A contribution's id: the lowercase hex SHA-256 of the UTF-8 bytes of its text, exactly as submitted. */
public record ContributionId(String hex) implements Comparable<ContributionId>, java.io.Serializable {
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{64}");

    public ContributionId {
        if (hex == null || !FORMAT.matcher(hex).matches()) {
            throw new IllegalArgumentException("a contribution id is 64 lowercase hex digits, got: " + hex);
        }
    }

    public static ContributionId ofText(String text) {
        return new ContributionId(Hashing.sha256Hex(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static ContributionId ofUtf8(byte[] utf8) {
        return new ContributionId(Hashing.sha256Hex(utf8));
    }

    public byte[] bytes() {
        return Hex.decode(hex);
    }

    @Override
    public int compareTo(ContributionId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
