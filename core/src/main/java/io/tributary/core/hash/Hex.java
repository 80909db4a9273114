package io.tributary.core.hash;

import java.util.HexFormat;

/** Lowercase hexadecimal encoding, with and without the {@code 0x} prefix used on chain. */
public final class Hex {
    private static final HexFormat FORMAT = HexFormat.of();

    private Hex() {}

    public static String encode(byte[] bytes) {
        return FORMAT.formatHex(bytes);
    }

    public static String encodePrefixed(byte[] bytes) {
        return "0x" + FORMAT.formatHex(bytes);
    }

    /** Decodes hex with or without a {@code 0x} prefix, in either case; throws on odd length or a non-hex digit. */
    public static byte[] decode(String hex) {
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("hex string has an odd number of digits: " + abbreviate(hex));
        }
        try {
            return FORMAT.parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex string: " + abbreviate(hex), e);
        }
    }

    public static boolean isHex(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
