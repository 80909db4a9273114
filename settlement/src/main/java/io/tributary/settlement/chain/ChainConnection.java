package io.tributary.settlement.chain;

import io.tributary.core.cli.UserError;
import io.tributary.core.config.RedactedUrl;
import io.tributary.core.crypto.Address;
import io.tributary.settlement.contracts.DatanetRegistry;
import io.tributary.settlement.contracts.RewardDistributor;
import io.tributary.settlement.contracts.RewardToken;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * An open connection to the chain and the deployed contracts: the web3j wrappers for reading state
 * and encoding calls, and the operator's {@link TransactionSender} for writing.
 */
public final class ChainConnection implements AutoCloseable {
    private final Web3j web3j;
    private final Deployment deployment;
    private final ChainSettings settings;
    private final TransactionSender sender;
    private final RewardToken token;
    private final RewardDistributor distributor;
    private final DatanetRegistry registry;

    private ChainConnection(Web3j web3j, Deployment deployment, Credentials operator, ChainSettings settings) {
        this.web3j = web3j;
        this.deployment = deployment;
        this.settings = settings;
        this.sender = new TransactionSender(web3j, operator, deployment.chainId(), settings);
        var reader = new ReadonlyTransactionManager(web3j, operator.getAddress());
        var gas = new DefaultGasProvider();
        this.token = RewardToken.load(deployment.token().value(), web3j, reader, gas);
        this.distributor = RewardDistributor.load(deployment.distributor().value(), web3j, reader, gas);
        this.registry = DatanetRegistry.load(deployment.registry().value(), web3j, reader, gas);
    }

    /** Connects as configured: explicit settings first, the deployment file under state-dir for the rest. */
    public static ChainConnection open(ChainSettings settings) {
        Deployment file = Deployment.read(settings.stateDir()).orElse(null);
        String rpcUrl = !settings.rpcUrl().isBlank() ? settings.rpcUrl() : file == null ? null : file.rpcUrl();
        if (rpcUrl == null) {
            throw new UserError("no chain configured: run `bin/tributary chain up` (local Anvil) or set "
                    + "tributary.chain.rpc-url and the contract addresses");
        }
        Address token = address(settings.token(), file == null ? null : file.token(), "token");
        Address distributor = address(settings.distributor(), file == null ? null : file.distributor(), "distributor");
        Address registry = address(settings.registry(), file == null ? null : file.registry(), "registry");
        if (settings.rpcUrl().isBlank() && rpcUrl.contains(RedactedUrl.MARK)) {
            throw new UserError("the deployment file keeps only a redacted RPC URL (" + rpcUrl
                    + "): set tributary.chain.rpc-url");
        }
        Web3j web3j = Web3j.build(new HttpService(rpcUrl));
        long chainId = checkedChainId(web3j, settings, rpcUrl);
        // The well-known dev key only for the chain `chain up` started: its own Anvil, alive, on chain 31337.
        boolean local = file != null && file.local() && settings.rpcUrl().isBlank()
                && LocalChain.runsOurAnvil(settings.stateDir(), rpcUrl, chainId);
        Credentials operator = OperatorKey.resolve(settings.keystore(), local);
        Deployment deployment = new Deployment(rpcUrl, chainId, token, distributor, registry,
                Address.of(operator.getAddress()), local);
        ChainConnection connection = new ChainConnection(web3j, deployment, operator, settings);
        connection.requireCode(distributor, "RewardDistributor");
        return connection;
    }

    /** Connects to an explicit deployment with an explicit key (tests, benchmarks). */
    public static ChainConnection open(Deployment deployment, Credentials operator, ChainSettings settings) {
        return new ChainConnection(Web3j.build(new HttpService(deployment.rpcUrl())), deployment, operator, settings);
    }

    static long checkedChainId(Web3j web3j, ChainSettings settings, String rpcUrl) {
        String shown = RedactedUrl.of(rpcUrl);
        BigInteger reported = settings.retry().call("read chain id from " + shown, () -> web3j.ethChainId().send().getChainId());
        if (settings.chainId() != 0 && reported.longValueExact() != settings.chainId()) {
            throw new UserError("tributary.chain.chain-id is " + settings.chainId() + " but " + shown
                    + " reports chain " + reported + "; refusing to send anything");
        }
        return reported.longValueExact();
    }

    private static Address address(String configured, Address fromFile, String name) {
        if (!configured.isBlank()) {
            return Address.parse(configured).orElseThrow(() -> new UserError(
                    "tributary.chain." + name + " is not an address: " + configured));
        }
        if (fromFile == null) {
            throw new UserError("no " + name + " address: set tributary.chain." + name + " or run `bin/tributary chain up`/`chain deploy`");
        }
        return fromFile;
    }

    public void requireCode(Address contract, String name) {
        String code = settings.retry().call("read code of " + name, () ->
                web3j.ethGetCode(contract.value(), DefaultBlockParameterName.LATEST).send().getCode());
        if (code == null || code.equals("0x") || code.isEmpty()) {
            throw new UserError("no " + name + " contract at " + contract + " on " + RedactedUrl.of(deployment.rpcUrl())
                    + " (chain " + deployment.chainId() + "); deploy with `bin/tributary chain up` or `chain deploy`");
        }
    }

    public Web3j web3j() {
        return web3j;
    }

    public Deployment deployment() {
        return deployment;
    }

    public TransactionSender sender() {
        return sender;
    }

    public RewardToken token() {
        return token;
    }

    public RewardDistributor distributor() {
        return distributor;
    }

    public DatanetRegistry registry() {
        return registry;
    }

    /** Reads contract state through the retry policy. */
    public <T> T read(String what, java.util.concurrent.Callable<T> call) {
        return settings.retry().call(what, call);
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
