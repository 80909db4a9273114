package io.tributary.core.crypto;

import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;

/**
 * The message a contributor signs to submit a contribution to a Datanet (EIP-191 {@code personal_sign}).
 *
 * <p>Version 2 covers every field that changes how the text may be used or who is paid for it, one per line
 * so a wallet shows it readably:
 * <pre>
 * tributary contribution v2
 * datanet: legal
 * contribution: &lt;sha256 hex of the text's UTF-8 bytes&gt;
 * license: MIT
 * </pre>
 * Version 1 ({@code tributary:contribution:<datanet>:<id>}) did not cover the license, so a relayer could
 * change it; it is no longer accepted. A change of fields means a new version line.
 */
public final class ContributionSignature {
    public static final String VERSION_LINE = "tributary contribution v2";

    private ContributionSignature() {}

    public static String message(DatanetId datanet, ContributionId contribution, String license) {
        if (license.indexOf('\n') >= 0 || license.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a license id has no line breaks");
        }
        return VERSION_LINE + "\ndatanet: " + datanet.value() + "\ncontribution: " + contribution.hex()
                + "\nlicense: " + license;
    }

    public static String sign(KeyPair key, DatanetId datanet, ContributionId contribution, String license) {
        return key.signPersonalMessageHex(message(datanet, contribution, license));
    }

    public static boolean verify(Address contributor, DatanetId datanet, ContributionId contribution, String license,
            String signatureHex) {
        return PersonalMessage.recoverSigner(message(datanet, contribution, license), signatureHex)
                .map(contributor::equals)
                .orElse(false);
    }
}
