package io.samsa.cli;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine.Command;

/**
 * {@code samsa cluster describe}: the cluster id, the active controller, every registered broker (fenced ones
 * included, KIP-1073) with its address and rack, and the metadata quorum ({@code Admin.describeMetadataQuorum}:
 * leader, epoch, high watermark, each voter's log end offset and lag behind the leader). A broker without
 * DescribeQuorum (API 55) prints the brokers and says the quorum is not available. The broker epoch is not shown:
 * no Admin call returns it.
 */
@Command(name = "describe", description = "Brokers (fenced or not, rack), the controller and the metadata quorum.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  # brokers, controller, quorum with voter lag",
            "  samsa cluster describe",
            "  samsa cluster describe --bootstrap-server 127.0.0.1:9092,127.0.0.1:9094"
        })
final class ClusterDescribeCommand extends AdminCommand {
    @Override
    int run(Admin admin) throws Exception {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true));
        String clusterId = cluster.clusterId().get();
        Node controller = cluster.controller().get();
        Collection<Node> brokers = cluster.nodes().get();
        QuorumInfo quorum;
        try {
            quorum = admin.describeMetadataQuorum().quorumInfo().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnsupportedVersionException)) {
                throw e;
            }
            quorum = null;
        }
        PrintWriter out = spec.commandLine().getOut();
        ClusterFormatter.format(clusterId, controller, brokers, quorum, System.currentTimeMillis())
                .forEach(out::println);
        return 0;
    }
}
