// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// @title DatanetRegistry
/// @notice The chain's record of what each Datanet contained and what was trained from it: the operator
///         anchors every ingestion batch (Merkle root of its contribution ids) and every adapter (sha256
///         of its files and the Datanet root it was trained from). Events let an indexer follow both.
contract DatanetRegistry {
    struct BatchAnchor {
        bytes32 root;
        uint64 count;
        uint64 blockNumber;
    }

    struct AdapterAnchor {
        bytes32 filesSha256;
        bytes32 datanetRoot;
        uint64 blockNumber;
    }

    address public operator;
    mapping(bytes32 => BatchAnchor) private batchAnchors;
    mapping(bytes32 => AdapterAnchor) private adapterAnchors;
    uint256 public batchCount;
    uint256 public adapterCount;

    event BatchAnchored(
        bytes32 indexed datanetKey, bytes32 indexed batchKey, string datanet, string batchId, bytes32 root, uint64 count
    );
    event AdapterAnchored(
        bytes32 indexed adapterKey, string adapterId, bytes32 filesSha256, bytes32 datanetRoot
    );
    event OperatorTransferred(address indexed previousOperator, address indexed newOperator);

    error NotOperator(address caller);
    error ZeroRoot();
    error BatchAlreadyAnchored(string batchId);
    error AdapterAlreadyAnchored(string adapterId);

    constructor(address operator_) {
        operator = operator_;
        emit OperatorTransferred(address(0), operator_);
    }

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _;
    }

    function transferOperator(address newOperator) external onlyOperator {
        emit OperatorTransferred(operator, newOperator);
        operator = newOperator;
    }

    /// @notice Anchors one ingestion batch; a batch id can be anchored once.
    function anchorBatch(string calldata datanet, string calldata batchId, bytes32 root, uint64 count)
        external
        onlyOperator
    {
        if (root == bytes32(0)) revert ZeroRoot();
        bytes32 key = keccak256(bytes(batchId));
        if (batchAnchors[key].root != bytes32(0)) revert BatchAlreadyAnchored(batchId);
        batchAnchors[key] = BatchAnchor(root, count, uint64(block.number));
        batchCount += 1;
        emit BatchAnchored(keccak256(bytes(datanet)), key, datanet, batchId, root, count);
    }

    /// @notice Anchors a trained adapter: the sha256 of its files and the Datanet root it was trained from.
    function anchorAdapter(string calldata adapterId, bytes32 filesSha256, bytes32 datanetRoot) external onlyOperator {
        if (filesSha256 == bytes32(0)) revert ZeroRoot();
        bytes32 key = keccak256(bytes(adapterId));
        if (adapterAnchors[key].filesSha256 != bytes32(0)) revert AdapterAlreadyAnchored(adapterId);
        adapterAnchors[key] = AdapterAnchor(filesSha256, datanetRoot, uint64(block.number));
        adapterCount += 1;
        emit AdapterAnchored(key, adapterId, filesSha256, datanetRoot);
    }

    /// @return root the batch's Merkle root (zero when not anchored), count its contributions, blockNumber where anchored
    function batch(string calldata batchId) external view returns (bytes32 root, uint64 count, uint64 blockNumber) {
        BatchAnchor storage anchor = batchAnchors[keccak256(bytes(batchId))];
        return (anchor.root, anchor.count, anchor.blockNumber);
    }

    function adapter(string calldata adapterId)
        external
        view
        returns (bytes32 filesSha256, bytes32 datanetRoot, uint64 blockNumber)
    {
        AdapterAnchor storage anchor = adapterAnchors[keccak256(bytes(adapterId))];
        return (anchor.filesSha256, anchor.datanetRoot, anchor.blockNumber);
    }
}
