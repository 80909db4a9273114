package io.tributary.settlement.chain;

import io.tributary.core.crypto.Address;
import io.tributary.settlement.contracts.DatanetRegistry;
import io.tributary.settlement.contracts.RewardDistributor;
import io.tributary.settlement.contracts.RewardToken;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Deploys the three contracts (or two, with an existing token) from the operator's key. */
public final class ContractDeployer {
    /** One billion whole tokens of 18 decimals, minted to the operator on local and test chains. */
    public static final BigInteger LOCAL_SUPPLY = BigInteger.TEN.pow(27);

    private ContractDeployer() {}

    public static Deployment deploy(String rpcUrl, Credentials operator, ChainSettings settings,
                                    Optional<Address> existingToken, boolean local) {
        Web3j web3j = Web3j.build(new HttpService(rpcUrl));
        try {
            long chainId = ChainConnection.checkedChainId(web3j, settings, rpcUrl);
            TransactionSender sender = new TransactionSender(web3j, operator, chainId, settings);
            Address token = existingToken.isPresent() ? existingToken.get() : create(sender, "deploy RewardToken",
                    RewardToken.BINARY, FunctionEncoder.encodeConstructor(List.of(
                            new Utf8String("Tributary Reward"), new Utf8String("TRIB"), new Uint256(LOCAL_SUPPLY))));
            Address distributor = create(sender, "deploy RewardDistributor", RewardDistributor.BINARY,
                    FunctionEncoder.encodeConstructor(List.of(
                            new org.web3j.abi.datatypes.Address(token.value()),
                            new org.web3j.abi.datatypes.Address(operator.getAddress()))));
            Address registry = create(sender, "deploy DatanetRegistry", DatanetRegistry.BINARY,
                    FunctionEncoder.encodeConstructor(List.of(new org.web3j.abi.datatypes.Address(operator.getAddress()))));
            return new Deployment(rpcUrl, chainId, token, distributor, registry, Address.of(operator.getAddress()), local);
        } finally {
            web3j.shutdown();
        }
    }

    private static Address create(TransactionSender sender, String label, String binary, String constructor) {
        String code = binary.strip();
        TransactionReceipt receipt = sender.execute(label, null, "0x" + code.replaceFirst("^0x", "") + constructor);
        System.err.println(label + ": " + receipt.getContractAddress() + " (gas " + receipt.getGasUsed() + ")");
        return Address.of(receipt.getContractAddress());
    }
}
