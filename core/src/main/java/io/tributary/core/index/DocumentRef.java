package io.tributary.core.index;

import io.tributary.core.crypto.Address;
import io.tributary.core.id.ContributionId;

/** A document of the index: the contribution and its contributor. */
public record DocumentRef(ContributionId contributionId, Address contributor) {}
