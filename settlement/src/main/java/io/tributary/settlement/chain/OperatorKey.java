package io.tributary.settlement.chain;

import io.tributary.core.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

/**
 * Finds the operator's signing key: {@code TRIBUTARY_OPERATOR_KEY}, else a keystore file whose password is in
 * {@code TRIBUTARY_KEYSTORE_PASSWORD}, else (local chain only) Anvil's first well-known dev account.
 * The key is never printed or written anywhere.
 */
public final class OperatorKey {
    public static final String KEY_VARIABLE = "TRIBUTARY_OPERATOR_KEY";
    public static final String PASSWORD_VARIABLE = "TRIBUTARY_KEYSTORE_PASSWORD";
    /** Anvil's first dev account (mnemonic "test test ... junk"): public knowledge, for local chains only. */
    static final String ANVIL_FIRST_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private OperatorKey() {}

    public static Credentials resolve(String keystore, boolean localChain) {
        String key = System.getenv(KEY_VARIABLE);
        if (key != null && !key.isBlank()) {
            try {
                return Credentials.create(key.strip());
            } catch (RuntimeException e) {
                throw new UserError(KEY_VARIABLE + " is not a hex secp256k1 private key");
            }
        }
        if (keystore != null && !keystore.isBlank()) {
            Path file = Path.of(keystore);
            if (!Files.isRegularFile(file)) {
                throw new UserError("tributary.chain.keystore: no such file: " + file);
            }
            String password = System.getenv(PASSWORD_VARIABLE);
            if (password == null) {
                throw new UserError("tributary.chain.keystore is set but " + PASSWORD_VARIABLE + " is not");
            }
            try {
                return WalletUtils.loadCredentials(password, file.toFile());
            } catch (IOException | CipherException e) {
                throw new UserError("cannot open keystore " + file + " (wrong password or not a keystore)", e);
            }
        }
        if (localChain) {
            return Credentials.create(ANVIL_FIRST_KEY);
        }
        throw new UserError("no operator key: set " + KEY_VARIABLE + " or tributary.chain.keystore (with "
                + PASSWORD_VARIABLE + "); the Anvil dev key is only used on the local chain");
    }

    public static Credentials anvilDevKey() {
        return Credentials.create(ANVIL_FIRST_KEY);
    }
}
