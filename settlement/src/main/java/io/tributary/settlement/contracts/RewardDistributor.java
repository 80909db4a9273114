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
    public static final String BINARY = "60a060405234801561000f575f5ffd5b50604051610a3d380380610a3d83398101604081905261002e9161009b565b6001600160a01b038281166080525f80546001600160a01b03191691831691821781556040517f74da04524d50c64947f5dd5381ef1a4dca5cba8ed1d816243f9e48aa0b5617ed908290a350506100cc565b80516001600160a01b0381168114610096575f5ffd5b919050565b5f5f604083850312156100ac575f5ffd5b6100b583610080565b91506100c360208401610080565b90509250929050565b60805161094b6100f25f395f81816101af015281816103130152610620015261094b5ff3fe608060405234801561000f575f5ffd5b506004361061009b575f3560e01c80635d4df3bf116100635780635d4df3bf146101465780638925fd1214610159578063e22f3c2a14610178578063f364c90c14610197578063fc0c546a146101aa575f5ffd5b80631e0e84891461009f57806329605e77146100d157806341822f2b146100e6578063570ca735146100f95780635a9a49c714610123575b5f5ffd5b6100be6100ad366004610727565b60026020525f908152604090205481565b6040519081526020015b60405180910390f35b6100e46100df366004610759565b6101d1565b005b6100e46100f4366004610779565b61025b565b5f5461010b906001600160a01b031681565b6040516001600160a01b0390911681526020016100c8565b6101366101313660046107ea565b6103e2565b60405190151581526020016100c8565b6100e4610154366004610837565b610483565b6100be610167366004610727565b60016020525f908152604090205481565b6100be610186366004610727565b60036020525f908152604090205481565b6101366101a53660046108a3565b6106f8565b61010b7f000000000000000000000000000000000000000000000000000000000000000081565b5f546001600160a01b0316331461020257604051633b63649d60e11b81523360048201526024015b60405180910390fd5b5f80546040516001600160a01b03808516939216917f74da04524d50c64947f5dd5381ef1a4dca5cba8ed1d816243f9e48aa0b5617ed91a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b5f546001600160a01b0316331461028757604051633b63649d60e11b81523360048201526024016101f9565b816102a55760405163b263ae7360e01b815260040160405180910390fd5b5f83815260016020526040902054156102d457604051632ca33d2360e01b8152600481018490526024016101f9565b5f838152600160209081526040808320859055600290915290819020829055516323b872dd60e01b8152336004820152306024820152604481018290527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316906323b872dd906064016020604051808303815f875af1158015610361573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061038591906108c3565b6103a25760405163022e258160e11b815260040160405180910390fd5b604080518381526020810183905284917f7e28d31df3abc946ae00f43a7ed2d2f94a4652393fbda151c6b7e1a13fb1b42e910160405180910390a2505050565b5f81815b85811015610477575f878783818110610401576104016108e2565b905060200201359050808311156104415760408051602081018390529081018490526060016040516020818303038152906040528051906020012061046c565b6040805160208101859052908101829052606001604051602081830303815290604052805190602001205b9250506001016103e6565b50909214949350505050565b5f86815260016020526040902054806104b2576040516396de042b60e01b8152600481018890526024016101f9565b6104bc87876106f8565b156104e457604051636bd4745f60e01b815260048101889052602481018790526044016101f9565b604080516020808201899052606088901b6bffffffffffffffffffffffff19168284015260548083018890528351808403909101815260749092019092528051910120610533848484846103e2565b61055a576040516341969eb760e11b815260048101899052602481018890526044016101f9565b5f88815260046020908152604080832060088b901c845282528083208054600160ff8d161b1790558a835260039091528120546105989087906108f6565b5f8a8152600260205260409020549091508111156105ea575f8981526002602052604090819020549051631e8a6f7760e01b8152600481018b90526024810183905260448101919091526064016101f9565b5f89815260036020526040908190208290555163a9059cbb60e01b81526001600160a01b038881166004830152602482018890527f0000000000000000000000000000000000000000000000000000000000000000169063a9059cbb906044016020604051808303815f875af1158015610666573d5f5f3e3d5ffd5b505050506040513d601f19601f8201168201806040525081019061068a91906108c3565b6106a75760405163022e258160e11b815260040160405180910390fd5b60408051898152602081018890526001600160a01b038916918b917fb94bf7f9302edf52a596286915a69b4b0685574cffdedd0712e3c62f2550f0ba910160405180910390a3505050505050505050565b5f828152600460209081526040808320600885901c8452909152902054600160ff83161b908116145b92915050565b5f60208284031215610737575f5ffd5b5035919050565b80356001600160a01b0381168114610754575f5ffd5b919050565b5f60208284031215610769575f5ffd5b6107728261073e565b9392505050565b5f5f5f6060848603121561078b575f5ffd5b505081359360208301359350604090920135919050565b5f5f83601f8401126107b2575f5ffd5b50813567ffffffffffffffff8111156107c9575f5ffd5b6020830191508360208260051b85010111156107e3575f5ffd5b9250929050565b5f5f5f5f606085870312156107fd575f5ffd5b843567ffffffffffffffff811115610813575f5ffd5b61081f878288016107a2565b90989097506020870135966040013595509350505050565b5f5f5f5f5f5f60a0878903121561084c575f5ffd5b86359550602087013594506108636040880161073e565b935060608701359250608087013567ffffffffffffffff811115610885575f5ffd5b61089189828a016107a2565b979a9699509497509295939492505050565b5f5f604083850312156108b4575f5ffd5b50508035926020909101359150565b5f602082840312156108d3575f5ffd5b81518015158114610772575f5ffd5b634e487b7160e01b5f52603260045260245ffd5b8082018082111561072157634e487b7160e01b5f52601160045260245ffdfea2646970667358221220a7ce58b007bb1608231b7466fbd883a76f997ad51f15394b6edcae72efb57d3164736f6c63430008250033\n";

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
