// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/// The few Foundry cheatcodes these tests use, declared by hand: forge-std is not installable offline.
interface Vm {
    function prank(address sender) external;
    function expectRevert(bytes calldata revertData) external;
    function expectRevert(bytes4 selector) external;
    function expectEmit(bool topic1, bool topic2, bool topic3, bool data) external;
    function assume(bool condition) external pure;
    function assertEq(uint256 left, uint256 right, string calldata message) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata message) external pure;
    function assertEq(address left, address right, string calldata message) external pure;
    function assertTrue(bool condition, string calldata message) external pure;
    function assertFalse(bool condition, string calldata message) external pure;
    function roll(uint256 blockNumber) external;
}

/// Cheatcodes, bounds and a Merkle tree builder laid out as Tributary's Java MerkleTree lays it out
/// (sorted leaves, sorted-pair keccak, odd node carried up), so fuzz tests can post random epochs.
abstract contract TestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        return min + (x % (max - min + 1));
    }

    function leaf(uint256 index, address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(index, account, amount));
    }

    function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a <= b ? keccak256(abi.encodePacked(a, b)) : keccak256(abi.encodePacked(b, a));
    }

    function sorted(bytes32[] memory leaves) internal pure returns (bytes32[] memory out) {
        out = new bytes32[](leaves.length);
        for (uint256 i = 0; i < leaves.length; i++) {
            bytes32 value = leaves[i];
            uint256 j = i;
            while (j > 0 && out[j - 1] > value) {
                out[j] = out[j - 1];
                j--;
            }
            out[j] = value;
        }
    }

    function merkleRoot(bytes32[] memory leaves) internal pure returns (bytes32) {
        bytes32[] memory layer = sorted(leaves);
        while (layer.length > 1) {
            layer = nextLayer(layer);
        }
        return layer[0];
    }

    function merkleProof(bytes32[] memory leaves, bytes32 target) internal pure returns (bytes32[] memory) {
        bytes32[] memory layer = sorted(leaves);
        uint256 index = type(uint256).max;
        for (uint256 i = 0; i < layer.length; i++) {
            if (layer[i] == target) index = i;
        }
        require(index != type(uint256).max, "leaf not in tree");
        bytes32[] memory scratch = new bytes32[](64);
        uint256 length = 0;
        while (layer.length > 1) {
            uint256 sibling = index ^ 1;
            if (sibling < layer.length) scratch[length++] = layer[sibling];
            layer = nextLayer(layer);
            index /= 2;
        }
        bytes32[] memory proof = new bytes32[](length);
        for (uint256 i = 0; i < length; i++) proof[i] = scratch[i];
        return proof;
    }

    function nextLayer(bytes32[] memory below) private pure returns (bytes32[] memory above) {
        above = new bytes32[]((below.length + 1) / 2);
        for (uint256 i = 0; i < below.length; i += 2) {
            above[i / 2] = i + 1 < below.length ? hashPair(below[i], below[i + 1]) : below[i];
        }
    }
}
