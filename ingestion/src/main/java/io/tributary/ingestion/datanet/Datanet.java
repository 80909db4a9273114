package io.tributary.ingestion.datanet;

import io.tributary.core.money.RewardPolicy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Datanet: a topic data pool with an owner and a reward policy. */
public record Datanet(String datanet, String name, String topic, String owner, RewardPolicy rewardPolicy, Instant createdAt) {
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("datanet", datanet);
        json.put("name", name);
        json.put("topic", topic);
        json.put("owner", owner);
        json.put("reward_policy", rewardPolicy.toJson());
        json.put("created_at", createdAt.toString());
        return json;
    }
}
