package io.tributary.core.crypto;

import io.tributary.core.id.ContributionId;
import io.tributary.core.id.DatanetId;

/** The message a contributor signs to submit a contribution to a Datanet. */
public final class ContributionSignature {
    private ContributionSignature() {}

    public static String message(DatanetId datanet, ContributionId contribution) {
        return "tributary:contribution:" + datanet.value() + ":" + contribution.hex();
    }

    public static String sign(KeyPair key, DatanetId datanet, ContributionId contribution) {
        return key.signPersonalMessageHex(message(datanet, contribution));
    }

    public static boolean verify(Address contributor, DatanetId datanet, ContributionId contribution, String signatureHex) {
        return PersonalMessage.recoverSigner(message(datanet, contribution), signatureHex)
                .map(contributor::equals)
                .orElse(false);
    }
}
