package io.samsa.broker.handlers;

import io.samsa.broker.BrokerContext;
import io.samsa.broker.replica.Partition;
import io.samsa.metadata.PartitionImage;
import io.samsa.metadata.TopicImage;
import io.samsa.protocol.ApiHandler;
import io.samsa.protocol.RequestContext;
import io.samsa.storage.PartitionLog;
import io.samsa.storage.segment.LogSegment;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeLogDirs (API 35, v1-5, KIP-113/KIP-827/KIP-1066; {@code Admin.describeLogDirs}, {@code kafka-log-dirs
 * --describe}, {@code kafka-reassign-partitions}): each configured {@code log.dirs} entry (absolute path) with the
 * partitions it holds, for all hosted partitions when {@code Topics} is null, else only the requested ones found
 * here. Per partition: its size (bytes of all segment files), {@code OffsetLag} as Kafka's
 * {@code ReplicaManager.getLogEndOffsetLag} for a current (not future) log: {@code max(highWatermark -
 * logEndOffset, 0)}, so 0 for a leader and for a follower that has what the leader committed; {@code IsFutureKey}
 * false (Samsa does not move replicas between directories). v4+: the file store's total and usable bytes (-1 when
 * they cannot be read); v5: never cordoned. A directory whose file store cannot be read is answered
 * KAFKA_STORAGE_ERROR. Runs on the I/O pool (it stats the file systems).
 */
public final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequestData> {
    /** Kafka's {@code DescribeLogDirsResponse.UNKNOWN_VOLUME_BYTES}. */
    static final long UNKNOWN_VOLUME_BYTES = -1L;

    private final BrokerContext ctx;

    public DescribeLogDirsHandler(BrokerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_LOG_DIRS;
    }

    @Override
    public CompletableFuture<DescribeLogDirsResponseData> handle(RequestContext context,
                                                                 DescribeLogDirsRequestData request) {
        if (!Acls.cluster(ctx, context, AclOperation.DESCRIBE)) { // Kafka: DESCRIBE on the cluster, empty results
            return CompletableFuture.completedFuture(new DescribeLogDirsResponseData()
                    .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code()));
        }
        List<PartitionLog> logs = hostedLogs(request);
        return CompletableFuture.supplyAsync(() -> {
            DescribeLogDirsResponseData response = new DescribeLogDirsResponseData().setErrorCode(Errors.NONE.code());
            for (Path dir : ctx.config().logDirs()) {
                response.results().add(describe(dir.toAbsolutePath().normalize(), logs));
            }
            return response;
        }, ctx.ioPool());
    }

    /** The logs of hosted partitions the request asks about (all when {@code Topics} is null). */
    private List<PartitionLog> hostedLogs(DescribeLogDirsRequestData request) {
        List<TopicPartition> wanted = new ArrayList<>();
        if (request.topics() == null) {
            for (TopicImage topic : ctx.image().topics().values()) {
                for (PartitionImage p : topic.partitions()) {
                    wanted.add(new TopicPartition(topic.name(), p.partition()));
                }
            }
        } else {
            for (DescribableLogDirTopic topic : request.topics()) {
                for (int p : topic.partitions()) {
                    wanted.add(new TopicPartition(topic.topic(), p));
                }
            }
        }
        List<PartitionLog> logs = new ArrayList<>();
        for (TopicPartition tp : wanted) {
            Optional<PartitionLog> log = ctx.replicas().partitionState(tp).map(Partition::log);
            log.ifPresent(logs::add);
        }
        return logs;
    }

    static DescribeLogDirsResult describe(Path dir, List<PartitionLog> logs) {
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toString())
                .setErrorCode(Errors.NONE.code()).setTotalBytes(UNKNOWN_VOLUME_BYTES)
                .setUsableBytes(UNKNOWN_VOLUME_BYTES);
        try {
            FileStore store = Files.getFileStore(dir);
            result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException | RuntimeException e) {
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code());
        }
        Map<String, DescribeLogDirsTopic> topics = new LinkedHashMap<>();
        for (PartitionLog log : logs) {
            if (!dir.equals(log.dir().toAbsolutePath().normalize().getParent())) {
                continue;
            }
            TopicPartition tp = log.topicPartition();
            topics.computeIfAbsent(tp.topic(), name -> new DescribeLogDirsTopic().setName(name)).partitions()
                    .add(new DescribeLogDirsPartition().setPartitionIndex(tp.partition()).setPartitionSize(size(log))
                            .setOffsetLag(Math.max(log.highWatermark() - log.logEndOffset(), 0))
                            .setIsFutureKey(false));
        }
        result.topics().addAll(topics.values());
        return result;
    }

    private static long size(PartitionLog log) {
        long bytes = 0;
        for (LogSegment segment : log.segments()) {
            bytes += segment.size();
        }
        return bytes;
    }
}
