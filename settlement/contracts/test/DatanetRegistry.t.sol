// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {DatanetRegistry} from "../DatanetRegistry.sol";

contract DatanetRegistryTest is TestBase {
    event BatchAnchored(
        bytes32 indexed datanetKey, bytes32 indexed batchKey, string datanet, string batchId, bytes32 root, uint64 count
    );

    DatanetRegistry internal registry;
    address internal constant STRANGER = address(0xBEEF);

    function setUp() public {
        registry = new DatanetRegistry(address(this));
    }

    function test_anchors_a_batch_once_and_emits_it() public {
        bytes32 root = keccak256("root");
        vm.roll(77);
        vm.expectEmit(true, true, false, true);
        emit BatchAnchored(keccak256("legal"), keccak256("b-1"), "legal", "b-1", root, 12);
        registry.anchorBatch("legal", "b-1", root, 12);
        (bytes32 stored, uint64 count, uint64 blockNumber) = registry.batch("b-1");
        vm.assertEq(stored, root, "root");
        vm.assertEq(count, 12, "count");
        vm.assertEq(blockNumber, 77, "block");
        vm.assertEq(registry.batchCount(), 1, "one batch");
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.BatchAlreadyAnchored.selector, "b-1"));
        registry.anchorBatch("legal", "b-1", root, 12);
    }

    function test_RevertWhen_non_operator_anchors() public {
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotOperator.selector, STRANGER));
        registry.anchorBatch("legal", "b-1", keccak256("root"), 1);
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.NotOperator.selector, STRANGER));
        registry.anchorAdapter("a-1", keccak256("files"), keccak256("root"));
    }

    function test_anchors_an_adapter_once() public {
        registry.anchorAdapter("a-1", keccak256("files"), keccak256("root"));
        (bytes32 files, bytes32 datanetRoot,) = registry.adapter("a-1");
        vm.assertEq(files, keccak256("files"), "files hash");
        vm.assertEq(datanetRoot, keccak256("root"), "datanet root");
        vm.expectRevert(abi.encodeWithSelector(DatanetRegistry.AdapterAlreadyAnchored.selector, "a-1"));
        registry.anchorAdapter("a-1", keccak256("files"), keccak256("root"));
    }

    function testFuzz_unanchored_batches_read_as_zero(string calldata batchId) public view {
        (bytes32 root,,) = registry.batch(batchId);
        vm.assertEq(root, bytes32(0), "no root before anchoring");
    }
}
