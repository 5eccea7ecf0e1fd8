package io.samsa.broker.group;

import io.samsa.broker.group.record.CoordinatorRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;

/** A shard on a manual clock, a same-thread executor and an in-memory log that can be told to fail. */
public final class TestShards {
    public final ManualTimer timer = new ManualTimer();
    public final List<CoordinatorRecord> log = new ArrayList<>();
    public boolean failAppends;
    public final GroupCoordinatorShard shard;

    public TestShards(GroupConfig config) {
        shard = new GroupCoordinatorShard(0, config, (partition, records) -> {
            if (failAppends) {
                throw new NotLeaderOrFollowerException("not the leader (test)");
            }
            log.addAll(records);
        }, timer, Runnable::run, Map.of());
        shard.markLoaded();
    }

    /** A fresh shard replaying this one's log, as a restarted coordinator would. */
    public TestShards reloaded() {
        TestShards copy = new TestShards(shard.config(), false);
        log.forEach(copy.shard::replay);
        copy.log.addAll(log);
        copy.shard.markLoaded();
        return copy;
    }

    private TestShards(GroupConfig config, boolean loaded) {
        shard = new GroupCoordinatorShard(0, config, (partition, records) -> log.addAll(records), timer,
                Runnable::run, Map.of());
    }
}
