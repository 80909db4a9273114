// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {TestBase} from "./TestBase.sol";
import {RewardToken} from "../RewardToken.sol";
import {RewardDistributor} from "../RewardDistributor.sol";
import {NoBoolToken, FalseToken} from "./OddTokens.sol";

contract RewardDistributorTest is TestBase {
    event EpochPosted(uint256 indexed epochId, bytes32 root, uint256 total);
    event Claimed(uint256 indexed epochId, uint256 index, address indexed account, uint256 amount);

    RewardToken internal token;
    RewardDistributor internal distributor;
    address internal constant STRANGER = address(0xBEEF);

    address[] internal accounts;
    uint256[] internal amounts;
    bytes32[] internal leaves;

    function setUp() public {
        token = new RewardToken("Tributary Reward", "TRIB", 0);
        distributor = new RewardDistributor(address(token), address(this));
        token.approve(address(distributor), type(uint256).max);
    }

    /// Builds an epoch of `count` payouts from `seed` and posts it; returns its total.
    function postRandomEpoch(uint256 epochId, uint256 seed, uint256 count) internal returns (uint256 total) {
        delete accounts;
        delete amounts;
        delete leaves;
        for (uint256 i = 0; i < count; i++) {
            address account = address(uint160(uint256(keccak256(abi.encode(seed, "account", i))) | 1));
            uint256 amount = bound(uint256(keccak256(abi.encode(seed, "amount", i))), 1, 1e24);
            accounts.push(account);
            amounts.push(amount);
            leaves.push(leaf(i, account, amount));
            total += amount;
        }
        token.mint(address(this), total);
        distributor.postEpoch(epochId, merkleRoot(leaves), total);
    }

    function claimAt(uint256 epochId, uint256 i) internal {
        distributor.claim(epochId, i, accounts[i], amounts[i], merkleProof(leaves, leaves[i]));
    }

    function test_claims_pay_each_account_and_conserve_the_total() public {
        uint256 total = postRandomEpoch(1, 42, 5);
        vm.assertEq(token.balanceOf(address(distributor)), total, "distributor funded with the total");
        for (uint256 i = 0; i < accounts.length; i++) {
            vm.assertFalse(distributor.isClaimed(1, i), "unclaimed before");
            claimAt(1, i);
            vm.assertTrue(distributor.isClaimed(1, i), "claimed after");
            vm.assertEq(token.balanceOf(accounts[i]), amounts[i], "account paid its amount");
        }
        vm.assertEq(token.balanceOf(address(distributor)), 0, "nothing left");
        vm.assertEq(distributor.epochClaimed(1), total, "claimed equals total");
    }

    function test_post_emits_event_and_records_root() public {
        bytes32 root = keccak256("root");
        token.mint(address(this), 7);
        vm.expectEmit(true, false, false, true);
        emit EpochPosted(9, root, 7);
        distributor.postEpoch(9, root, 7);
        vm.assertEq(distributor.epochRoot(9), root, "root stored");
        vm.assertEq(distributor.epochTotal(9), 7, "total stored");
    }

    function test_RevertWhen_claimed_twice() public {
        postRandomEpoch(1, 7, 3);
        claimAt(1, 1);
        bytes32[] memory proof = merkleProof(leaves, leaves[1]);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.AlreadyClaimed.selector, 1, 1));
        distributor.claim(1, 1, accounts[1], amounts[1], proof);
    }

    function test_RevertWhen_proof_is_wrong() public {
        postRandomEpoch(1, 8, 4);
        bytes32[] memory proof = merkleProof(leaves, leaves[2]);
        proof[0] = bytes32(uint256(proof[0]) ^ 1);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.InvalidProof.selector, 1, 2));
        distributor.claim(1, 2, accounts[2], amounts[2], proof);
    }

    function test_RevertWhen_amount_is_wrong() public {
        postRandomEpoch(1, 9, 4);
        bytes32[] memory proof = merkleProof(leaves, leaves[0]);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.InvalidProof.selector, 1, 0));
        distributor.claim(1, 0, accounts[0], amounts[0] + 1, proof);
    }

    function test_RevertWhen_account_is_swapped() public {
        postRandomEpoch(1, 10, 4);
        bytes32[] memory proof = merkleProof(leaves, leaves[0]);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.InvalidProof.selector, 1, 0));
        distributor.claim(1, 0, STRANGER, amounts[0], proof);
    }

    function test_RevertWhen_non_operator_posts() public {
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.NotOperator.selector, STRANGER));
        distributor.postEpoch(1, keccak256("root"), 0);
    }

    function test_RevertWhen_epoch_posted_twice() public {
        postRandomEpoch(3, 11, 2);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.EpochAlreadyPosted.selector, 3));
        distributor.postEpoch(3, keccak256("another root"), 0);
    }

    function test_RevertWhen_claiming_an_epoch_not_posted() public {
        bytes32[] memory proof = new bytes32[](0);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.EpochNotPosted.selector, 5));
        distributor.claim(5, 0, STRANGER, 1, proof);
    }

    function test_RevertWhen_root_promises_more_than_its_total() public {
        // A one-leaf tree paying 100 posted with a total of 60: the claim must not spend other epochs' funds.
        bytes32 only = leaf(0, STRANGER, 100);
        token.mint(address(this), 200);
        distributor.postEpoch(1, only, 60);
        distributor.postEpoch(2, keccak256("other"), 140);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.EpochOverdrawn.selector, 1, 100, 60));
        distributor.claim(1, 0, STRANGER, 100, new bytes32[](0));
    }

    function test_RevertWhen_zero_root() public {
        vm.expectRevert(RewardDistributor.ZeroRoot.selector);
        distributor.postEpoch(1, bytes32(0), 0);
    }

    function test_only_operator_transfers_the_role() public {
        vm.prank(STRANGER);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.NotOperator.selector, STRANGER));
        distributor.transferOperator(STRANGER);
        distributor.transferOperator(STRANGER);
        vm.assertEq(distributor.operator(), STRANGER, "operator moved");
    }

    /// Random epochs, claimed in a random order by random submitters: every account gets exactly its
    /// amount, the distributor ends empty, and every second claim reverts.
    function testFuzz_random_payouts_are_paid_exactly_once(uint256 seed, uint8 size) public {
        uint256 count = bound(size, 1, 40);
        uint256 total = postRandomEpoch(7, seed, count);
        uint256 start = seed % count;
        for (uint256 step = 0; step < count; step++) {
            uint256 i = (start + step * 7) % count;
            if (distributor.isClaimed(7, i)) continue;
            vm.prank(address(uint160(uint256(keccak256(abi.encode(seed, step))))));
            claimAt(7, i);
        }
        uint256 paid = 0;
        for (uint256 i = 0; i < count; i++) {
            if (!distributor.isClaimed(7, i)) claimAt(7, i);
            paid += token.balanceOf(accounts[i]);
            vm.assertEq(token.balanceOf(accounts[i]), amounts[i], "each account gets its amount");
        }
        vm.assertEq(paid, total, "paid equals posted total");
        vm.assertEq(token.balanceOf(address(distributor)), 0, "distributor empty");
        uint256 again = seed % count;
        bytes32[] memory proof = merkleProof(leaves, leaves[again]);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.AlreadyClaimed.selector, 7, again));
        distributor.claim(7, again, accounts[again], amounts[again], proof);
    }

    /// Any amount other than the leaf's, with the leaf's own proof, is refused.
    function testFuzz_wrong_amount_is_refused(uint256 seed, uint256 wrongAmount) public {
        postRandomEpoch(1, seed, 6);
        uint256 i = seed % 6;
        vm.assume(wrongAmount != amounts[i]);
        bytes32[] memory proof = merkleProof(leaves, leaves[i]);
        vm.expectRevert(abi.encodeWithSelector(RewardDistributor.InvalidProof.selector, 1, i));
        distributor.claim(1, i, accounts[i], wrongAmount, proof);
    }

    /// A claim in one epoch leaves the same index of another epoch unclaimed; totals stay per epoch.
    function testFuzz_epochs_are_independent(uint256 seed, uint256 epochA, uint256 epochB) public {
        vm.assume(epochA != epochB);
        uint256 totalA = postRandomEpoch(epochA, seed, 3);
        claimAt(epochA, 0);
        uint256 totalB = postRandomEpoch(epochB, seed, 3);
        vm.assertFalse(distributor.isClaimed(epochB, 0), "other epoch's index 0 untouched");
        for (uint256 i = 0; i < 3; i++) claimAt(epochB, i);
        vm.assertEq(distributor.epochClaimed(epochB), totalB, "epoch B fully claimed");
        vm.assertEq(token.balanceOf(address(distributor)), totalA - amountsOfA0(seed), "epoch A's rest stays");
    }

    function amountsOfA0(uint256 seed) private pure returns (uint256) {
        return bound(uint256(keccak256(abi.encode(seed, "amount", uint256(0)))), 1, 1e24);
    }

    /// Tokens that predate the standard's bool (USDT) are paid out; the interface's bool would revert on them.
    function test_a_token_that_returns_no_bool_is_posted_and_claimed() public {
        NoBoolToken odd = new NoBoolToken();
        RewardDistributor oddDistributor = new RewardDistributor(address(odd), address(this));
        address account = address(0xA11CE);
        bytes32 only = leaf(0, account, 700);
        odd.mint(address(this), 700);
        odd.approve(address(oddDistributor), 700);
        oddDistributor.postEpoch(1, only, 700);
        vm.assertEq(odd.balanceOf(address(oddDistributor)), 700, "funded");
        oddDistributor.claim(1, 0, account, 700, new bytes32[](0));
        vm.assertEq(odd.balanceOf(account), 700, "paid");
        vm.assertEq(odd.balanceOf(address(oddDistributor)), 0, "nothing left");
    }

    /// A token that answers false moved nothing: posting must not record a funded epoch.
    function test_RevertWhen_the_token_returns_false() public {
        RewardDistributor falseDistributor = new RewardDistributor(address(new FalseToken()), address(this));
        vm.expectRevert(RewardDistributor.TokenTransferFailed.selector);
        falseDistributor.postEpoch(1, keccak256("root"), 100);
    }

    /// A token address without code would "succeed" on a low-level call; it is refused.
    function test_RevertWhen_the_token_has_no_code() public {
        RewardDistributor nowhere = new RewardDistributor(address(0xDEAD), address(this));
        vm.expectRevert(RewardDistributor.TokenTransferFailed.selector);
        nowhere.postEpoch(1, keccak256("root"), 100);
    }

    function test_RevertWhen_operator_is_transferred_to_the_zero_address() public {
        vm.expectRevert(RewardDistributor.ZeroOperator.selector);
        distributor.transferOperator(address(0));
        vm.assertEq(distributor.operator(), address(this), "operator unchanged");
    }
}
