package io.tributary.settlement.contracts;

import io.reactivex.Flowable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.BaseEventResponse;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.Contract;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;

/**
 * <p>Auto generated code.
 * <p><strong>Do not modify!</strong>
 * <p>Please use the <a href="https://docs.web3j.io/command_line.html">web3j command line tools</a>,
 * or the org.web3j.codegen.SolidityFunctionWrapperGenerator in the 
 * <a href="https://github.com/hyperledger-web3j/web3j/tree/main/codegen">codegen module</a> to update.
 *
 * <p>Generated with web3j version 4.13.0.
 */
@SuppressWarnings("rawtypes")
public class RewardDistributor extends Contract {
    public static final String BINARY = "60a060405234801561000f575f5ffd5b50604051610ac7380380610ac783398101604081905261002e9161009b565b6001600160a01b038281166080525f80546001600160a01b03191691831691821781556040517f74da04524d50c64947f5dd5381ef1a4dca5cba8ed1d816243f9e48aa0b5617ed908290a350506100cc565b80516001600160a01b0381168114610096575f5ffd5b919050565b5f5f604083850312156100ac575f5ffd5b6100b583610080565b91506100c360208401610080565b90509250929050565b6080516109dc6100eb5f395f81816101af015261068d01526109dc5ff3fe608060405234801561000f575f5ffd5b506004361061009b575f3560e01c80635d4df3bf116100635780635d4df3bf146101465780638925fd1214610159578063e22f3c2a14610178578063f364c90c14610197578063fc0c546a146101aa575f5ffd5b80631e0e84891461009f57806329605e77146100d157806341822f2b146100e6578063570ca735146100f95780635a9a49c714610123575b5f5ffd5b6100be6100ad3660046107a2565b60026020525f908152604090205481565b6040519081526020015b60405180910390f35b6100e46100df3660046107d4565b6101d1565b005b6100e46100f43660046107f4565b610282565b5f5461010b906001600160a01b031681565b6040516001600160a01b0390911681526020016100c8565b610136610131366004610865565b6103a4565b60405190151581526020016100c8565b6100e46101543660046108b2565b610445565b6100be6101673660046107a2565b60016020525f908152604090205481565b6100be6101863660046107a2565b60036020525f908152604090205481565b6101366101a536600461091e565b61065c565b61010b7f000000000000000000000000000000000000000000000000000000000000000081565b5f546001600160a01b0316331461020257604051633b63649d60e11b81523360048201526024015b60405180910390fd5b6001600160a01b038116610229576040516389961e9160e01b815260040160405180910390fd5b5f80546040516001600160a01b03808516939216917f74da04524d50c64947f5dd5381ef1a4dca5cba8ed1d816243f9e48aa0b5617ed91a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b5f546001600160a01b031633146102ae57604051633b63649d60e11b81523360048201526024016101f9565b816102cc5760405163b263ae7360e01b815260040160405180910390fd5b5f83815260016020526040902054156102fb57604051632ca33d2360e01b8152600481018490526024016101f9565b5f83815260016020908152604080832085905560029091529081902082905551336024820152306044820152606481018290526103649060840160408051601f198184030181529190526020810180516001600160e01b03166323b872dd60e01b17905261068b565b604080518381526020810183905284917f7e28d31df3abc946ae00f43a7ed2d2f94a4652393fbda151c6b7e1a13fb1b42e910160405180910390a2505050565b5f81815b85811015610439575f8787838181106103c3576103c361093e565b905060200201359050808311156104035760408051602081018390529081018490526060016040516020818303038152906040528051906020012061042e565b6040805160208101859052908101829052606001604051602081830303815290604052805190602001205b9250506001016103a8565b50909214949350505050565b5f8681526001602052604090205480610474576040516396de042b60e01b8152600481018890526024016101f9565b61047e878761065c565b156104a657604051636bd4745f60e01b815260048101889052602481018790526044016101f9565b604080516020808201899052606088901b6bffffffffffffffffffffffff191682840152605480830188905283518084039091018152607490920190925280519101206104f5848484846103a4565b61051c576040516341969eb760e11b815260048101899052602481018890526044016101f9565b5f88815260046020908152604080832060088b901c845282528083208054600160ff8d161b1790558a8352600390915281205461055a908790610952565b5f8a8152600260205260409020549091508111156105ac575f8981526002602052604090819020549051631e8a6f7760e01b8152600481018b90526024810183905260448101919091526064016101f9565b5f8981526003602052604090819020829055516001600160a01b03881660248201526044810187905261060b9060640160408051601f198184030181529190526020810180516001600160e01b031663a9059cbb60e01b17905261068b565b60408051898152602081018890526001600160a01b038916918b917fb94bf7f9302edf52a596286915a69b4b0685574cffdedd0712e3c62f2550f0ba910160405180910390a3505050505050505050565b5f828152600460209081526040808320600885901c8452909152902054600160ff83161b908116145b92915050565b7f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0381163b5f036106d65760405163022e258160e11b815260040160405180910390fd5b5f5f826001600160a01b0316846040516106f09190610971565b5f604051808303815f865af19150503d805f8114610729576040519150601f19603f3d011682016040523d82523d5f602084013e61072e565b606091505b5091509150816107515760405163022e258160e11b815260040160405180910390fd5b80511580159061077e57508051602014158061077e57508080602001905181019061077c9190610987565b155b1561079c5760405163022e258160e11b815260040160405180910390fd5b50505050565b5f602082840312156107b2575f5ffd5b5035919050565b80356001600160a01b03811681146107cf575f5ffd5b919050565b5f602082840312156107e4575f5ffd5b6107ed826107b9565b9392505050565b5f5f5f60608486031215610806575f5ffd5b505081359360208301359350604090920135919050565b5f5f83601f84011261082d575f5ffd5b50813567ffffffffffffffff811115610844575f5ffd5b6020830191508360208260051b850101111561085e575f5ffd5b9250929050565b5f5f5f5f60608587031215610878575f5ffd5b843567ffffffffffffffff81111561088e575f5ffd5b61089a8782880161081d565b90989097506020870135966040013595509350505050565b5f5f5f5f5f5f60a087890312156108c7575f5ffd5b86359550602087013594506108de604088016107b9565b935060608701359250608087013567ffffffffffffffff811115610900575f5ffd5b61090c89828a0161081d565b979a9699509497509295939492505050565b5f5f6040838503121561092f575f5ffd5b50508035926020909101359150565b634e487b7160e01b5f52603260045260245ffd5b8082018082111561068557634e487b7160e01b5f52601160045260245ffd5b5f82518060208501845e5f920191825250919050565b5f60208284031215610997575f5ffd5b815180151581146107ed575f5ffdfea264697066735822122049cc04f77a184c640ede9fcd8496d0293b1eb533bed48920233d42eb79108cca64736f6c63430008250033\n";

    private static String librariesLinkedBinary;

    public static final String FUNC_CLAIM = "claim";

    public static final String FUNC_EPOCHCLAIMED = "epochClaimed";

    public static final String FUNC_EPOCHROOT = "epochRoot";

    public static final String FUNC_EPOCHTOTAL = "epochTotal";

    public static final String FUNC_ISCLAIMED = "isClaimed";

    public static final String FUNC_OPERATOR = "operator";

    public static final String FUNC_POSTEPOCH = "postEpoch";

    public static final String FUNC_TOKEN = "token";

    public static final String FUNC_TRANSFEROPERATOR = "transferOperator";

    public static final String FUNC_VERIFY = "verify";

    public static final Event CLAIMED_EVENT = new Event("Claimed", 
            Arrays.<TypeReference<?>>asList(new TypeReference<Uint256>(true) {}, new TypeReference<Uint256>() {}, new TypeReference<Address>(true) {}, new TypeReference<Uint256>() {}));
    ;

    public static final Event EPOCHPOSTED_EVENT = new Event("EpochPosted", 
            Arrays.<TypeReference<?>>asList(new TypeReference<Uint256>(true) {}, new TypeReference<Bytes32>() {}, new TypeReference<Uint256>() {}));
    ;

    public static final Event OPERATORTRANSFERRED_EVENT = new Event("OperatorTransferred", 
            Arrays.<TypeReference<?>>asList(new TypeReference<Address>(true) {}, new TypeReference<Address>(true) {}));
    ;

    @Deprecated
    protected RewardDistributor(String contractAddress, Web3j web3j, Credentials credentials,
            BigInteger gasPrice, BigInteger gasLimit) {
        super(BINARY, contractAddress, web3j, credentials, gasPrice, gasLimit);
    }

    protected RewardDistributor(String contractAddress, Web3j web3j, Credentials credentials,
            ContractGasProvider contractGasProvider) {
        super(BINARY, contractAddress, web3j, credentials, contractGasProvider);
    }

    @Deprecated
    protected RewardDistributor(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, BigInteger gasPrice, BigInteger gasLimit) {
        super(BINARY, contractAddress, web3j, transactionManager, gasPrice, gasLimit);
    }

    protected RewardDistributor(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, ContractGasProvider contractGasProvider) {
        super(BINARY, contractAddress, web3j, transactionManager, contractGasProvider);
    }

    public static List<ClaimedEventResponse> getClaimedEvents(
            TransactionReceipt transactionReceipt) {
        List<Contract.EventValuesWithLog> valueList = staticExtractEventParametersWithLog(CLAIMED_EVENT, transactionReceipt);
        ArrayList<ClaimedEventResponse> responses = new ArrayList<ClaimedEventResponse>(valueList.size());
        for (Contract.EventValuesWithLog eventValues : valueList) {
            ClaimedEventResponse typedResponse = new ClaimedEventResponse();
            typedResponse.log = eventValues.getLog();
            typedResponse.epochId = (BigInteger) eventValues.getIndexedValues().get(0).getValue();
            typedResponse.account = (String) eventValues.getIndexedValues().get(1).getValue();
            typedResponse.index = (BigInteger) eventValues.getNonIndexedValues().get(0).getValue();
            typedResponse.amount = (BigInteger) eventValues.getNonIndexedValues().get(1).getValue();
            responses.add(typedResponse);
        }
        return responses;
    }

    public static ClaimedEventResponse getClaimedEventFromLog(Log log) {
        Contract.EventValuesWithLog eventValues = staticExtractEventParametersWithLog(CLAIMED_EVENT, log);
        ClaimedEventResponse typedResponse = new ClaimedEventResponse();
        typedResponse.log = log;
        typedResponse.epochId = (BigInteger) eventValues.getIndexedValues().get(0).getValue();
        typedResponse.account = (String) eventValues.getIndexedValues().get(1).getValue();
        typedResponse.index = (BigInteger) eventValues.getNonIndexedValues().get(0).getValue();
        typedResponse.amount = (BigInteger) eventValues.getNonIndexedValues().get(1).getValue();
        return typedResponse;
    }

    public Flowable<ClaimedEventResponse> claimedEventFlowable(EthFilter filter) {
        return web3j.ethLogFlowable(filter).map(log -> getClaimedEventFromLog(log));
    }

    public Flowable<ClaimedEventResponse> claimedEventFlowable(DefaultBlockParameter startBlock,
            DefaultBlockParameter endBlock) {
        EthFilter filter = new EthFilter(startBlock, endBlock, getContractAddress());
        filter.addSingleTopic(EventEncoder.encode(CLAIMED_EVENT));
        return claimedEventFlowable(filter);
    }

    public static List<EpochPostedEventResponse> getEpochPostedEvents(
            TransactionReceipt transactionReceipt) {
        List<Contract.EventValuesWithLog> valueList = staticExtractEventParametersWithLog(EPOCHPOSTED_EVENT, transactionReceipt);
        ArrayList<EpochPostedEventResponse> responses = new ArrayList<EpochPostedEventResponse>(valueList.size());
        for (Contract.EventValuesWithLog eventValues : valueList) {
            EpochPostedEventResponse typedResponse = new EpochPostedEventResponse();
            typedResponse.log = eventValues.getLog();
            typedResponse.epochId = (BigInteger) eventValues.getIndexedValues().get(0).getValue();
            typedResponse.root = (byte[]) eventValues.getNonIndexedValues().get(0).getValue();
            typedResponse.total = (BigInteger) eventValues.getNonIndexedValues().get(1).getValue();
            responses.add(typedResponse);
        }
        return responses;
    }

    public static EpochPostedEventResponse getEpochPostedEventFromLog(Log log) {
        Contract.EventValuesWithLog eventValues = staticExtractEventParametersWithLog(EPOCHPOSTED_EVENT, log);
        EpochPostedEventResponse typedResponse = new EpochPostedEventResponse();
        typedResponse.log = log;
        typedResponse.epochId = (BigInteger) eventValues.getIndexedValues().get(0).getValue();
        typedResponse.root = (byte[]) eventValues.getNonIndexedValues().get(0).getValue();
        typedResponse.total = (BigInteger) eventValues.getNonIndexedValues().get(1).getValue();
        return typedResponse;
    }

    public Flowable<EpochPostedEventResponse> epochPostedEventFlowable(EthFilter filter) {
        return web3j.ethLogFlowable(filter).map(log -> getEpochPostedEventFromLog(log));
    }

    public Flowable<EpochPostedEventResponse> epochPostedEventFlowable(
            DefaultBlockParameter startBlock, DefaultBlockParameter endBlock) {
        EthFilter filter = new EthFilter(startBlock, endBlock, getContractAddress());
        filter.addSingleTopic(EventEncoder.encode(EPOCHPOSTED_EVENT));
        return epochPostedEventFlowable(filter);
    }

    public static List<OperatorTransferredEventResponse> getOperatorTransferredEvents(
            TransactionReceipt transactionReceipt) {
        List<Contract.EventValuesWithLog> valueList = staticExtractEventParametersWithLog(OPERATORTRANSFERRED_EVENT, transactionReceipt);
        ArrayList<OperatorTransferredEventResponse> responses = new ArrayList<OperatorTransferredEventResponse>(valueList.size());
        for (Contract.EventValuesWithLog eventValues : valueList) {
            OperatorTransferredEventResponse typedResponse = new OperatorTransferredEventResponse();
            typedResponse.log = eventValues.getLog();
            typedResponse.previousOperator = (String) eventValues.getIndexedValues().get(0).getValue();
            typedResponse.newOperator = (String) eventValues.getIndexedValues().get(1).getValue();
            responses.add(typedResponse);
        }
        return responses;
    }

    public static OperatorTransferredEventResponse getOperatorTransferredEventFromLog(Log log) {
        Contract.EventValuesWithLog eventValues = staticExtractEventParametersWithLog(OPERATORTRANSFERRED_EVENT, log);
        OperatorTransferredEventResponse typedResponse = new OperatorTransferredEventResponse();
        typedResponse.log = log;
        typedResponse.previousOperator = (String) eventValues.getIndexedValues().get(0).getValue();
        typedResponse.newOperator = (String) eventValues.getIndexedValues().get(1).getValue();
        return typedResponse;
    }

    public Flowable<OperatorTransferredEventResponse> operatorTransferredEventFlowable(
            EthFilter filter) {
        return web3j.ethLogFlowable(filter).map(log -> getOperatorTransferredEventFromLog(log));
    }

    public Flowable<OperatorTransferredEventResponse> operatorTransferredEventFlowable(
            DefaultBlockParameter startBlock, DefaultBlockParameter endBlock) {
        EthFilter filter = new EthFilter(startBlock, endBlock, getContractAddress());
        filter.addSingleTopic(EventEncoder.encode(OPERATORTRANSFERRED_EVENT));
        return operatorTransferredEventFlowable(filter);
    }

    public RemoteFunctionCall<TransactionReceipt> claim(BigInteger epochId, BigInteger index,
            String account, BigInteger amount, List<byte[]> proof) {
        final Function function = new Function(
                FUNC_CLAIM, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.generated.Uint256(epochId), 
                new org.web3j.abi.datatypes.generated.Uint256(index), 
                new org.web3j.abi.datatypes.Address(160, account), 
                new org.web3j.abi.datatypes.generated.Uint256(amount), 
                new org.web3j.abi.datatypes.DynamicArray<org.web3j.abi.datatypes.generated.Bytes32>(
                        org.web3j.abi.datatypes.generated.Bytes32.class,
                        org.web3j.abi.Utils.typeMap(proof, org.web3j.abi.datatypes.generated.Bytes32.class))), 
                Collections.<TypeReference<?>>emptyList());
        return executeRemoteCallTransaction(function);
    }

    public RemoteFunctionCall<BigInteger> epochClaimed(BigInteger param0) {
        final Function function = new Function(FUNC_EPOCHCLAIMED, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.generated.Uint256(param0)), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Uint256>() {}));
        return executeRemoteCallSingleValueReturn(function, BigInteger.class);
    }

    public RemoteFunctionCall<byte[]> epochRoot(BigInteger param0) {
        final Function function = new Function(FUNC_EPOCHROOT, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.generated.Uint256(param0)), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Bytes32>() {}));
        return executeRemoteCallSingleValueReturn(function, byte[].class);
    }

    public RemoteFunctionCall<BigInteger> epochTotal(BigInteger param0) {
        final Function function = new Function(FUNC_EPOCHTOTAL, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.generated.Uint256(param0)), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Uint256>() {}));
        return executeRemoteCallSingleValueReturn(function, BigInteger.class);
    }

    public RemoteFunctionCall<Boolean> isClaimed(BigInteger epochId, BigInteger index) {
        final Function function = new Function(FUNC_ISCLAIMED, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.generated.Uint256(epochId), 
                new org.web3j.abi.datatypes.generated.Uint256(index)), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Bool>() {}));
        return executeRemoteCallSingleValueReturn(function, Boolean.class);
    }

    public RemoteFunctionCall<String> operator() {
        final Function function = new Function(FUNC_OPERATOR, 
                Arrays.<Type>asList(), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Address>() {}));
        return executeRemoteCallSingleValueReturn(function, String.class);
    }

    public RemoteFunctionCall<TransactionReceipt> postEpoch(BigInteger epochId, byte[] root,
            BigInteger total) {
        final Function function = new Function(
                FUNC_POSTEPOCH, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.generated.Uint256(epochId), 
                new org.web3j.abi.datatypes.generated.Bytes32(root), 
                new org.web3j.abi.datatypes.generated.Uint256(total)), 
                Collections.<TypeReference<?>>emptyList());
        return executeRemoteCallTransaction(function);
    }

    public RemoteFunctionCall<String> token() {
        final Function function = new Function(FUNC_TOKEN, 
                Arrays.<Type>asList(), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Address>() {}));
        return executeRemoteCallSingleValueReturn(function, String.class);
    }

    public RemoteFunctionCall<TransactionReceipt> transferOperator(String newOperator) {
        final Function function = new Function(
                FUNC_TRANSFEROPERATOR, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.Address(160, newOperator)), 
                Collections.<TypeReference<?>>emptyList());
        return executeRemoteCallTransaction(function);
    }

    public RemoteFunctionCall<Boolean> verify(List<byte[]> proof, byte[] root, byte[] leaf) {
        final Function function = new Function(FUNC_VERIFY, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.DynamicArray<org.web3j.abi.datatypes.generated.Bytes32>(
                        org.web3j.abi.datatypes.generated.Bytes32.class,
                        org.web3j.abi.Utils.typeMap(proof, org.web3j.abi.datatypes.generated.Bytes32.class)), 
                new org.web3j.abi.datatypes.generated.Bytes32(root), 
                new org.web3j.abi.datatypes.generated.Bytes32(leaf)), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Bool>() {}));
        return executeRemoteCallSingleValueReturn(function, Boolean.class);
    }

    @Deprecated
    public static RewardDistributor load(String contractAddress, Web3j web3j,
            Credentials credentials, BigInteger gasPrice, BigInteger gasLimit) {
        return new RewardDistributor(contractAddress, web3j, credentials, gasPrice, gasLimit);
    }

    @Deprecated
    public static RewardDistributor load(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, BigInteger gasPrice, BigInteger gasLimit) {
        return new RewardDistributor(contractAddress, web3j, transactionManager, gasPrice, gasLimit);
    }

    public static RewardDistributor load(String contractAddress, Web3j web3j,
            Credentials credentials, ContractGasProvider contractGasProvider) {
        return new RewardDistributor(contractAddress, web3j, credentials, contractGasProvider);
    }

    public static RewardDistributor load(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, ContractGasProvider contractGasProvider) {
        return new RewardDistributor(contractAddress, web3j, transactionManager, contractGasProvider);
    }

    public static RemoteCall<RewardDistributor> deploy(Web3j web3j, Credentials credentials,
            ContractGasProvider contractGasProvider, String token_, String operator_) {
        String encodedConstructor = FunctionEncoder.encodeConstructor(Arrays.<Type>asList(new org.web3j.abi.datatypes.Address(160, token_), 
                new org.web3j.abi.datatypes.Address(160, operator_)));
        return deployRemoteCall(RewardDistributor.class, web3j, credentials, contractGasProvider, getDeploymentBinary(), encodedConstructor);
    }

    public static RemoteCall<RewardDistributor> deploy(Web3j web3j,
            TransactionManager transactionManager, ContractGasProvider contractGasProvider,
            String token_, String operator_) {
        String encodedConstructor = FunctionEncoder.encodeConstructor(Arrays.<Type>asList(new org.web3j.abi.datatypes.Address(160, token_), 
                new org.web3j.abi.datatypes.Address(160, operator_)));
        return deployRemoteCall(RewardDistributor.class, web3j, transactionManager, contractGasProvider, getDeploymentBinary(), encodedConstructor);
    }

    @Deprecated
    public static RemoteCall<RewardDistributor> deploy(Web3j web3j, Credentials credentials,
            BigInteger gasPrice, BigInteger gasLimit, String token_, String operator_) {
        String encodedConstructor = FunctionEncoder.encodeConstructor(Arrays.<Type>asList(new org.web3j.abi.datatypes.Address(160, token_), 
                new org.web3j.abi.datatypes.Address(160, operator_)));
        return deployRemoteCall(RewardDistributor.class, web3j, credentials, gasPrice, gasLimit, getDeploymentBinary(), encodedConstructor);
    }

    @Deprecated
    public static RemoteCall<RewardDistributor> deploy(Web3j web3j,
            TransactionManager transactionManager, BigInteger gasPrice, BigInteger gasLimit,
            String token_, String operator_) {
        String encodedConstructor = FunctionEncoder.encodeConstructor(Arrays.<Type>asList(new org.web3j.abi.datatypes.Address(160, token_), 
                new org.web3j.abi.datatypes.Address(160, operator_)));
        return deployRemoteCall(RewardDistributor.class, web3j, transactionManager, gasPrice, gasLimit, getDeploymentBinary(), encodedConstructor);
    }

    public static void linkLibraries(List<Contract.LinkReference> references) {
        librariesLinkedBinary = linkBinaryWithReferences(BINARY, references);
    }

    private static String getDeploymentBinary() {
        if (librariesLinkedBinary != null) {
            return librariesLinkedBinary;
        } else {
            return BINARY;
        }
    }

    public static class ClaimedEventResponse extends BaseEventResponse {
        public BigInteger epochId;

        public String account;

        public BigInteger index;

        public BigInteger amount;
    }

    public static class EpochPostedEventResponse extends BaseEventResponse {
        public BigInteger epochId;

        public byte[] root;

        public BigInteger total;
    }

    public static class OperatorTransferredEventResponse extends BaseEventResponse {
        public String previousOperator;

        public String newOperator;
    }
}
