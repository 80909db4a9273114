package io.tributary.settlement.contracts;

import io.reactivex.Flowable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.RemoteCall;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.BaseEventResponse;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tuples.generated.Tuple3;
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
public class DatanetRegistry extends Contract {
    public static final String BINARY = "6080604052348015600e575f5ffd5b506040516108eb3803806108eb833981016040819052602b916077565b5f80546001600160a01b0319166001600160a01b03831690811782556040519091907f74da04524d50c64947f5dd5381ef1a4dca5cba8ed1d816243f9e48aa0b5617ed908290a35060a2565b5f602082840312156086575f5ffd5b81516001600160a01b0381168114609b575f5ffd5b9392505050565b61083c806100af5f395ff3fe608060405234801561000f575f5ffd5b5060043610610085575f3560e01c80635bfe3451116100585780635bfe34511461011c5780636afe29e51461012f578063f21ecc2814610166578063f79001c514610179575f5ffd5b806306f13056146100895780631ffe1999146100a557806329605e77146100dd578063570ca735146100f2575b5f5ffd5b61009260035481565b6040519081526020015b60405180910390f35b6100b86100b33660046105d5565b610182565b604080519384526001600160401b03928316602085015291169082015260600161009c565b6100f06100eb366004610613565b6101dc565b005b5f54610104906001600160a01b031681565b6040516001600160a01b03909116815260200161009c565b6100f061012a366004610640565b610266565b61014261013d3660046105d5565b6103e6565b6040805193845260208401929092526001600160401b03169082015260600161009c565b6100f06101743660046106d4565b610439565b61009260045481565b5f5f5f5f60015f8787604051610199929190610720565b604080519182900390912082526020820192909252015f2080546001909101549094506001600160401b038082169450600160401b909104169150509250925092565b5f546001600160a01b0316331461020d57604051633b63649d60e11b81523360048201526024015b60405180910390fd5b5f80546040516001600160a01b03808516939216917f74da04524d50c64947f5dd5381ef1a4dca5cba8ed1d816243f9e48aa0b5617ed91a35f80546001600160a01b0319166001600160a01b0392909216919091179055565b5f546001600160a01b0316331461029257604051633b63649d60e11b8152336004820152602401610204565b816102b05760405163b263ae7360e01b815260040160405180910390fd5b5f84846040516102c1929190610720565b60408051918290039091205f81815260016020529190912054909150156102ff5784846040516342275c8960e01b8152600401610204929190610757565b604080516060810182528481526001600160401b0380851660208084019182524383168486019081525f878152600192839052958620945185559151938101805492518416600160401b026fffffffffffffffffffffffffffffffff199093169490931693909317179055600380549192909161037d908490610772565b909155505060405181906103949089908990610720565b60405180910390207fa940480386f1f4b5d483520a772ba044fbf0075ddd27c53a76debd8863a25b0f8989898989896040516103d596959493929190610797565b60405180910390a350505050505050565b5f5f5f5f60025f87876040516103fd929190610720565b604080519182900390912082526020820192909252015f208054600182015460029092015490989197506001600160401b031695509350505050565b5f546001600160a01b0316331461046557604051633b63649d60e11b8152336004820152602401610204565b816104835760405163b263ae7360e01b815260040160405180910390fd5b5f8484604051610494929190610720565b60408051918290039091205f81815260026020529190912054909150156104d25784846040516332f01b7f60e11b8152600401610204929190610757565b604080516060810182528481526020808201858152436001600160401b039081168486019081525f878152600294859052958620945185559151600180860191909155915193909201805467ffffffffffffffff1916939092169290921790556004805491929091610545908490610772565b92505081905550807fdc047ee66eb8ebf989c09854d5d70b157757d714cb32419da22a42676166f5e28686868660405161058294939291906107e0565b60405180910390a25050505050565b5f5f83601f8401126105a1575f5ffd5b5081356001600160401b038111156105b7575f5ffd5b6020830191508360208285010111156105ce575f5ffd5b9250929050565b5f5f602083850312156105e6575f5ffd5b82356001600160401b038111156105fb575f5ffd5b61060785828601610591565b90969095509350505050565b5f60208284031215610623575f5ffd5b81356001600160a01b0381168114610639575f5ffd5b9392505050565b5f5f5f5f5f5f60808789031215610655575f5ffd5b86356001600160401b0381111561066a575f5ffd5b61067689828a01610591565b90975095505060208701356001600160401b03811115610694575f5ffd5b6106a089828a01610591565b9095509350506040870135915060608701356001600160401b03811681146106c6575f5ffd5b809150509295509295509295565b5f5f5f5f606085870312156106e7575f5ffd5b84356001600160401b038111156106fc575f5ffd5b61070887828801610591565b90989097506020870135966040013595509350505050565b818382375f9101908152919050565b81835281816020850137505f828201602090810191909152601f909101601f19169091010190565b602081525f61076a60208301848661072f565b949350505050565b8082018082111561079157634e487b7160e01b5f52601160045260245ffd5b92915050565b608081525f6107aa60808301888a61072f565b82810360208401526107bd81878961072f565b9150508360408301526001600160401b0383166060830152979650505050505050565b606081525f6107f360608301868861072f565b602083019490945250604001529291505056fea264697066735822122054e761480d5be32c0a74940640e2d701f58b4a76d4577fc0121792e008a58dea64736f6c63430008250033\n";

    private static String librariesLinkedBinary;

    public static final String FUNC_ADAPTER = "adapter";

    public static final String FUNC_ADAPTERCOUNT = "adapterCount";

    public static final String FUNC_ANCHORADAPTER = "anchorAdapter";

    public static final String FUNC_ANCHORBATCH = "anchorBatch";

    public static final String FUNC_BATCH = "batch";

    public static final String FUNC_BATCHCOUNT = "batchCount";

    public static final String FUNC_OPERATOR = "operator";

    public static final String FUNC_TRANSFEROPERATOR = "transferOperator";

    public static final Event ADAPTERANCHORED_EVENT = new Event("AdapterAnchored", 
            Arrays.<TypeReference<?>>asList(new TypeReference<Bytes32>(true) {}, new TypeReference<Utf8String>() {}, new TypeReference<Bytes32>() {}, new TypeReference<Bytes32>() {}));
    ;

    public static final Event BATCHANCHORED_EVENT = new Event("BatchAnchored", 
            Arrays.<TypeReference<?>>asList(new TypeReference<Bytes32>(true) {}, new TypeReference<Bytes32>(true) {}, new TypeReference<Utf8String>() {}, new TypeReference<Utf8String>() {}, new TypeReference<Bytes32>() {}, new TypeReference<Uint64>() {}));
    ;

    public static final Event OPERATORTRANSFERRED_EVENT = new Event("OperatorTransferred", 
            Arrays.<TypeReference<?>>asList(new TypeReference<Address>(true) {}, new TypeReference<Address>(true) {}));
    ;

    @Deprecated
    protected DatanetRegistry(String contractAddress, Web3j web3j, Credentials credentials,
            BigInteger gasPrice, BigInteger gasLimit) {
        super(BINARY, contractAddress, web3j, credentials, gasPrice, gasLimit);
    }

    protected DatanetRegistry(String contractAddress, Web3j web3j, Credentials credentials,
            ContractGasProvider contractGasProvider) {
        super(BINARY, contractAddress, web3j, credentials, contractGasProvider);
    }

    @Deprecated
    protected DatanetRegistry(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, BigInteger gasPrice, BigInteger gasLimit) {
        super(BINARY, contractAddress, web3j, transactionManager, gasPrice, gasLimit);
    }

    protected DatanetRegistry(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, ContractGasProvider contractGasProvider) {
        super(BINARY, contractAddress, web3j, transactionManager, contractGasProvider);
    }

    public static List<AdapterAnchoredEventResponse> getAdapterAnchoredEvents(
            TransactionReceipt transactionReceipt) {
        List<Contract.EventValuesWithLog> valueList = staticExtractEventParametersWithLog(ADAPTERANCHORED_EVENT, transactionReceipt);
        ArrayList<AdapterAnchoredEventResponse> responses = new ArrayList<AdapterAnchoredEventResponse>(valueList.size());
        for (Contract.EventValuesWithLog eventValues : valueList) {
            AdapterAnchoredEventResponse typedResponse = new AdapterAnchoredEventResponse();
            typedResponse.log = eventValues.getLog();
            typedResponse.adapterKey = (byte[]) eventValues.getIndexedValues().get(0).getValue();
            typedResponse.adapterId = (String) eventValues.getNonIndexedValues().get(0).getValue();
            typedResponse.filesSha256 = (byte[]) eventValues.getNonIndexedValues().get(1).getValue();
            typedResponse.datanetRoot = (byte[]) eventValues.getNonIndexedValues().get(2).getValue();
            responses.add(typedResponse);
        }
        return responses;
    }

    public static AdapterAnchoredEventResponse getAdapterAnchoredEventFromLog(Log log) {
        Contract.EventValuesWithLog eventValues = staticExtractEventParametersWithLog(ADAPTERANCHORED_EVENT, log);
        AdapterAnchoredEventResponse typedResponse = new AdapterAnchoredEventResponse();
        typedResponse.log = log;
        typedResponse.adapterKey = (byte[]) eventValues.getIndexedValues().get(0).getValue();
        typedResponse.adapterId = (String) eventValues.getNonIndexedValues().get(0).getValue();
        typedResponse.filesSha256 = (byte[]) eventValues.getNonIndexedValues().get(1).getValue();
        typedResponse.datanetRoot = (byte[]) eventValues.getNonIndexedValues().get(2).getValue();
        return typedResponse;
    }

    public Flowable<AdapterAnchoredEventResponse> adapterAnchoredEventFlowable(EthFilter filter) {
        return web3j.ethLogFlowable(filter).map(log -> getAdapterAnchoredEventFromLog(log));
    }

    public Flowable<AdapterAnchoredEventResponse> adapterAnchoredEventFlowable(
            DefaultBlockParameter startBlock, DefaultBlockParameter endBlock) {
        EthFilter filter = new EthFilter(startBlock, endBlock, getContractAddress());
        filter.addSingleTopic(EventEncoder.encode(ADAPTERANCHORED_EVENT));
        return adapterAnchoredEventFlowable(filter);
    }

    public static List<BatchAnchoredEventResponse> getBatchAnchoredEvents(
            TransactionReceipt transactionReceipt) {
        List<Contract.EventValuesWithLog> valueList = staticExtractEventParametersWithLog(BATCHANCHORED_EVENT, transactionReceipt);
        ArrayList<BatchAnchoredEventResponse> responses = new ArrayList<BatchAnchoredEventResponse>(valueList.size());
        for (Contract.EventValuesWithLog eventValues : valueList) {
            BatchAnchoredEventResponse typedResponse = new BatchAnchoredEventResponse();
            typedResponse.log = eventValues.getLog();
            typedResponse.datanetKey = (byte[]) eventValues.getIndexedValues().get(0).getValue();
            typedResponse.batchKey = (byte[]) eventValues.getIndexedValues().get(1).getValue();
            typedResponse.datanet = (String) eventValues.getNonIndexedValues().get(0).getValue();
            typedResponse.batchId = (String) eventValues.getNonIndexedValues().get(1).getValue();
            typedResponse.root = (byte[]) eventValues.getNonIndexedValues().get(2).getValue();
            typedResponse.count = (BigInteger) eventValues.getNonIndexedValues().get(3).getValue();
            responses.add(typedResponse);
        }
        return responses;
    }

    public static BatchAnchoredEventResponse getBatchAnchoredEventFromLog(Log log) {
        Contract.EventValuesWithLog eventValues = staticExtractEventParametersWithLog(BATCHANCHORED_EVENT, log);
        BatchAnchoredEventResponse typedResponse = new BatchAnchoredEventResponse();
        typedResponse.log = log;
        typedResponse.datanetKey = (byte[]) eventValues.getIndexedValues().get(0).getValue();
        typedResponse.batchKey = (byte[]) eventValues.getIndexedValues().get(1).getValue();
        typedResponse.datanet = (String) eventValues.getNonIndexedValues().get(0).getValue();
        typedResponse.batchId = (String) eventValues.getNonIndexedValues().get(1).getValue();
        typedResponse.root = (byte[]) eventValues.getNonIndexedValues().get(2).getValue();
        typedResponse.count = (BigInteger) eventValues.getNonIndexedValues().get(3).getValue();
        return typedResponse;
    }

    public Flowable<BatchAnchoredEventResponse> batchAnchoredEventFlowable(EthFilter filter) {
        return web3j.ethLogFlowable(filter).map(log -> getBatchAnchoredEventFromLog(log));
    }

    public Flowable<BatchAnchoredEventResponse> batchAnchoredEventFlowable(
            DefaultBlockParameter startBlock, DefaultBlockParameter endBlock) {
        EthFilter filter = new EthFilter(startBlock, endBlock, getContractAddress());
        filter.addSingleTopic(EventEncoder.encode(BATCHANCHORED_EVENT));
        return batchAnchoredEventFlowable(filter);
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

    public RemoteFunctionCall<Tuple3<byte[], byte[], BigInteger>> adapter(String adapterId) {
        final Function function = new Function(FUNC_ADAPTER, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.Utf8String(adapterId)), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Bytes32>() {}, new TypeReference<Bytes32>() {}, new TypeReference<Uint64>() {}));
        return new RemoteFunctionCall<Tuple3<byte[], byte[], BigInteger>>(function,
                new Callable<Tuple3<byte[], byte[], BigInteger>>() {
                    @Override
                    public Tuple3<byte[], byte[], BigInteger> call() throws Exception {
                        List<Type> results = executeCallMultipleValueReturn(function);
                        return new Tuple3<byte[], byte[], BigInteger>(
                                (byte[]) results.get(0).getValue(), 
                                (byte[]) results.get(1).getValue(), 
                                (BigInteger) results.get(2).getValue());
                    }
                });
    }

    public RemoteFunctionCall<BigInteger> adapterCount() {
        final Function function = new Function(FUNC_ADAPTERCOUNT, 
                Arrays.<Type>asList(), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Uint256>() {}));
        return executeRemoteCallSingleValueReturn(function, BigInteger.class);
    }

    public RemoteFunctionCall<TransactionReceipt> anchorAdapter(String adapterId,
            byte[] filesSha256, byte[] datanetRoot) {
        final Function function = new Function(
                FUNC_ANCHORADAPTER, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.Utf8String(adapterId), 
                new org.web3j.abi.datatypes.generated.Bytes32(filesSha256), 
                new org.web3j.abi.datatypes.generated.Bytes32(datanetRoot)), 
                Collections.<TypeReference<?>>emptyList());
        return executeRemoteCallTransaction(function);
    }

    public RemoteFunctionCall<TransactionReceipt> anchorBatch(String datanet, String batchId,
            byte[] root, BigInteger count) {
        final Function function = new Function(
                FUNC_ANCHORBATCH, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.Utf8String(datanet), 
                new org.web3j.abi.datatypes.Utf8String(batchId), 
                new org.web3j.abi.datatypes.generated.Bytes32(root), 
                new org.web3j.abi.datatypes.generated.Uint64(count)), 
                Collections.<TypeReference<?>>emptyList());
        return executeRemoteCallTransaction(function);
    }

    public RemoteFunctionCall<Tuple3<byte[], BigInteger, BigInteger>> batch(String batchId) {
        final Function function = new Function(FUNC_BATCH, 
                Arrays.<Type>asList(new org.web3j.abi.datatypes.Utf8String(batchId)), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Bytes32>() {}, new TypeReference<Uint64>() {}, new TypeReference<Uint64>() {}));
        return new RemoteFunctionCall<Tuple3<byte[], BigInteger, BigInteger>>(function,
                new Callable<Tuple3<byte[], BigInteger, BigInteger>>() {
                    @Override
                    public Tuple3<byte[], BigInteger, BigInteger> call() throws Exception {
                        List<Type> results = executeCallMultipleValueReturn(function);
                        return new Tuple3<byte[], BigInteger, BigInteger>(
                                (byte[]) results.get(0).getValue(), 
                                (BigInteger) results.get(1).getValue(), 
                                (BigInteger) results.get(2).getValue());
                    }
                });
    }

    public RemoteFunctionCall<BigInteger> batchCount() {
        final Function function = new Function(FUNC_BATCHCOUNT, 
                Arrays.<Type>asList(), 
                Arrays.<TypeReference<?>>asList(new TypeReference<Uint256>() {}));
        return executeRemoteCallSingleValueReturn(function, BigInteger.class);
    }

    public RemoteFunctionCall<String> operator() {
        final Function function = new Function(FUNC_OPERATOR, 
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

    @Deprecated
    public static DatanetRegistry load(String contractAddress, Web3j web3j, Credentials credentials,
            BigInteger gasPrice, BigInteger gasLimit) {
        return new DatanetRegistry(contractAddress, web3j, credentials, gasPrice, gasLimit);
    }

    @Deprecated
    public static DatanetRegistry load(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, BigInteger gasPrice, BigInteger gasLimit) {
        return new DatanetRegistry(contractAddress, web3j, transactionManager, gasPrice, gasLimit);
    }

    public static DatanetRegistry load(String contractAddress, Web3j web3j, Credentials credentials,
            ContractGasProvider contractGasProvider) {
        return new DatanetRegistry(contractAddress, web3j, credentials, contractGasProvider);
    }

    public static DatanetRegistry load(String contractAddress, Web3j web3j,
            TransactionManager transactionManager, ContractGasProvider contractGasProvider) {
        return new DatanetRegistry(contractAddress, web3j, transactionManager, contractGasProvider);
    }

    public static RemoteCall<DatanetRegistry> deploy(Web3j web3j, Credentials credentials,
            ContractGasProvider contractGasProvider, String operator_) {
        String encodedConstructor = FunctionEncoder.encodeConstructor(Arrays.<Type>asList(new org.web3j.abi.datatypes.Address(160, operator_)));
        return deployRemoteCall(DatanetRegistry.class, web3j, credentials, contractGasProvider, getDeploymentBinary(), encodedConstructor);
    }

    public static RemoteCall<DatanetRegistry> deploy(Web3j web3j,
            TransactionManager transactionManager, ContractGasProvider contractGasProvider,
            String operator_) {
        String encodedConstructor = FunctionEncoder.encodeConstructor(Arrays.<Type>asList(new org.web3j.abi.datatypes.Address(160, operator_)));
        return deployRemoteCall(DatanetRegistry.class, web3j, transactionManager, contractGasProvider, getDeploymentBinary(), encodedConstructor);
    }

    @Deprecated
    public static RemoteCall<DatanetRegistry> deploy(Web3j web3j, Credentials credentials,
            BigInteger gasPrice, BigInteger gasLimit, String operator_) {
        String encodedConstructor = FunctionEncoder.encodeConstructor(Arrays.<Type>asList(new org.web3j.abi.datatypes.Address(160, operator_)));
        return deployRemoteCall(DatanetRegistry.class, web3j, credentials, gasPrice, gasLimit, getDeploymentBinary(), encodedConstructor);
    }

    @Deprecated
    public static RemoteCall<DatanetRegistry> deploy(Web3j web3j,
            TransactionManager transactionManager, BigInteger gasPrice, BigInteger gasLimit,
            String operator_) {
        String encodedConstructor = FunctionEncoder.encodeConstructor(Arrays.<Type>asList(new org.web3j.abi.datatypes.Address(160, operator_)));
        return deployRemoteCall(DatanetRegistry.class, web3j, transactionManager, gasPrice, gasLimit, getDeploymentBinary(), encodedConstructor);
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

    public static class AdapterAnchoredEventResponse extends BaseEventResponse {
        public byte[] adapterKey;

        public String adapterId;

        public byte[] filesSha256;

        public byte[] datanetRoot;
    }

    public static class BatchAnchoredEventResponse extends BaseEventResponse {
        public byte[] datanetKey;

        public byte[] batchKey;

        public String datanet;

        public String batchId;

        public byte[] root;

        public BigInteger count;
    }

    public static class OperatorTransferredEventResponse extends BaseEventResponse {
        public String previousOperator;

        public String newOperator;
    }
}
