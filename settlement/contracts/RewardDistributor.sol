// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

interface IRewardToken {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// @title RewardDistributor
/// @notice Pays each epoch's contributors from one Merkle root, as Uniswap's merkle-distributor does:
///         the operator posts (epoch, root, total) once and funds it; anyone then submits a claim with
///         a proof, and the tokens go to the account named in the leaf.
/// @dev Leaf: keccak256(abi.encodePacked(uint256 index, address account, uint256 amount)); each pair of
///      nodes is hashed in sorted order, so a proof is a plain list of siblings.
contract RewardDistributor {
    IRewardToken public immutable token;
    address public operator;

    mapping(uint256 => bytes32) public epochRoot;
    mapping(uint256 => uint256) public epochTotal;
    mapping(uint256 => uint256) public epochClaimed;
    // One bit per leaf index per epoch: 256 claims share a storage word, as in merkle-distributor.
    mapping(uint256 => mapping(uint256 => uint256)) private claimedWords;

    event EpochPosted(uint256 indexed epochId, bytes32 root, uint256 total);
    event Claimed(uint256 indexed epochId, uint256 index, address indexed account, uint256 amount);
    event OperatorTransferred(address indexed previousOperator, address indexed newOperator);

    error NotOperator(address caller);
    error ZeroRoot();
    error EpochAlreadyPosted(uint256 epochId);
    error EpochNotPosted(uint256 epochId);
    error AlreadyClaimed(uint256 epochId, uint256 index);
    error InvalidProof(uint256 epochId, uint256 index);
    error EpochOverdrawn(uint256 epochId, uint256 claimed, uint256 total);
    error TokenTransferFailed();
    error ZeroOperator();

    constructor(address token_, address operator_) {
        token = IRewardToken(token_);
        operator = operator_;
        emit OperatorTransferred(address(0), operator_);
    }

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _;
    }

    /// @notice Hands the operator role on; the zero address would lock every future epoch out, so it is refused.
    function transferOperator(address newOperator) external onlyOperator {
        if (newOperator == address(0)) revert ZeroOperator();
        emit OperatorTransferred(operator, newOperator);
        operator = newOperator;
    }

    /// @notice Posts an epoch's root and pulls its total from the operator (who approved it first).
    function postEpoch(uint256 epochId, bytes32 root, uint256 total) external onlyOperator {
        if (root == bytes32(0)) revert ZeroRoot();
        if (epochRoot[epochId] != bytes32(0)) revert EpochAlreadyPosted(epochId);
        epochRoot[epochId] = root;
        epochTotal[epochId] = total;
        safeCall(abi.encodeCall(IRewardToken.transferFrom, (msg.sender, address(this), total)));
        emit EpochPosted(epochId, root, total);
    }

    function isClaimed(uint256 epochId, uint256 index) public view returns (bool) {
        uint256 word = claimedWords[epochId][index >> 8];
        uint256 mask = 1 << (index & 0xff);
        return word & mask == mask;
    }

    function claim(uint256 epochId, uint256 index, address account, uint256 amount, bytes32[] calldata proof)
        external
    {
        bytes32 root = epochRoot[epochId];
        if (root == bytes32(0)) revert EpochNotPosted(epochId);
        if (isClaimed(epochId, index)) revert AlreadyClaimed(epochId, index);
        bytes32 node = keccak256(abi.encodePacked(index, account, amount));
        if (!verify(proof, root, node)) revert InvalidProof(epochId, index);

        claimedWords[epochId][index >> 8] |= 1 << (index & 0xff);
        // A root that promises more than its epoch was funded with must not spend other epochs' tokens.
        uint256 claimed = epochClaimed[epochId] + amount;
        if (claimed > epochTotal[epochId]) revert EpochOverdrawn(epochId, claimed, epochTotal[epochId]);
        epochClaimed[epochId] = claimed;
        safeCall(abi.encodeCall(IRewardToken.transfer, (account, amount)));
        emit Claimed(epochId, index, account, amount);
    }

    /// @dev SafeERC20-style: a token call succeeds when it does not revert and returns either nothing (tokens
    ///      such as USDT that predate the standard's bool) or true; a false, a short return, or a call to an
    ///      address without code is a failure.
    function safeCall(bytes memory data) private {
        address target = address(token);
        if (target.code.length == 0) revert TokenTransferFailed();
        (bool ok, bytes memory returned) = target.call(data);
        if (!ok) revert TokenTransferFailed();
        if (returned.length != 0 && (returned.length != 32 || !abi.decode(returned, (bool)))) {
            revert TokenTransferFailed();
        }
    }

    function verify(bytes32[] calldata proof, bytes32 root, bytes32 leaf) public pure returns (bool) {
        bytes32 computed = leaf;
        for (uint256 i = 0; i < proof.length; i++) {
            bytes32 sibling = proof[i];
            computed = computed <= sibling
                ? keccak256(abi.encodePacked(computed, sibling))
                : keccak256(abi.encodePacked(sibling, computed));
        }
        return computed == root;
    }
}
