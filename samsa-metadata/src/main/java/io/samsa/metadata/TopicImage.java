package io.samsa.metadata;

import java.util.List;
import java.util.UUID;

/**
 * One topic: its stable id (KIP-516) and its partitions, indexed by partition number.
 */
public record TopicImage(String name, UUID topicId, List<PartitionImage> partitions) {
}
