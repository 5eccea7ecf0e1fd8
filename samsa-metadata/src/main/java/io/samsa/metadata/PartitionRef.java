package io.samsa.metadata;

/** A topic partition by name (ElectLeaders, AlterPartitionReassignments). */
public record PartitionRef(String topic, int partition) {
}
