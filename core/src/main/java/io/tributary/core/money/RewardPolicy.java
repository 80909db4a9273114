package io.tributary.core.money;

import io.tributary.core.cli.UserError;
import io.tributary.core.config.TributaryConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a Datanet's share of each fee divides, in basis points that sum to 10,000. */
public record RewardPolicy(int protocolBps, int creatorBps, int contributorsBps) {
    public RewardPolicy {
        if (protocolBps < 0 || creatorBps < 0 || contributorsBps < 0
                || protocolBps + creatorBps + contributorsBps != 10_000) {
            throw new UserError("a reward policy's shares must be non-negative basis points summing to 10000, got "
                    + protocolBps + " + " + creatorBps + " + " + contributorsBps);
        }
    }

    public static RewardPolicy defaults(TributaryConfig config) {
        return new RewardPolicy(
                config.integer("tributary.datanet.reward-policy.protocol-bps"),
                config.integer("tributary.datanet.reward-policy.creator-bps"),
                config.integer("tributary.datanet.reward-policy.contributors-bps"));
    }

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("protocol_bps", protocolBps);
        json.put("creator_bps", creatorBps);
        json.put("contributors_bps", contributorsBps);
        return json;
    }
}
