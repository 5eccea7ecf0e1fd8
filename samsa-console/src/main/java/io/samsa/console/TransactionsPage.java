package io.samsa.console;

import static io.samsa.console.Html.esc;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.TopicPartition;

/**
 * The transactions ({@code /transactions}, read-only, KIP-664): ListTransactions for every transactional id, and
 * DescribeTransactions for the details (coordinator, producer epoch, timeout, start time, partitions of an open one).
 * At most {@value #MAX_DESCRIBED} are described per view.
 */
final class TransactionsPage {
    static final int MAX_DESCRIBED = 200;
    private final Cluster cluster;

    TransactionsPage(Cluster cluster) {
        this.cluster = cluster;
    }

    Response render(Request request) {
        Admin admin = cluster.admin();
        Collection<TransactionListing> listings = Cluster.get(admin.listTransactions().all());
        List<String> ids = listings.stream().map(TransactionListing::transactionalId).sorted().limit(MAX_DESCRIBED).toList();
        Map<String, TransactionDescription> described = ids.isEmpty() ? Map.of()
                : Cluster.get(admin.describeTransactions(ids).all());
        StringBuilder b = new StringBuilder();
        b.append("<table id=\"transactions\"><thead><tr><th scope=\"col\">Transactional id</th>")
                .append("<th scope=\"col\">State</th><th scope=\"col\" class=\"num\">Producer id</th>")
                .append("<th scope=\"col\" class=\"num\">Epoch</th><th scope=\"col\">Coordinator</th>")
                .append("<th scope=\"col\" class=\"num\">Timeout (ms)</th><th scope=\"col\">Started</th>")
                .append("<th scope=\"col\">Partitions</th></tr></thead><tbody>");
        if (listings.isEmpty()) {
            b.append("<tr><td colspan=\"8\" class=\"muted\">No transactional ids</td></tr>");
        }
        for (TransactionListing l : listings.stream().sorted(Comparator.comparing(TransactionListing::transactionalId))
                .toList()) {
            TransactionDescription d = described.get(l.transactionalId());
            b.append("<tr><td class=\"mono\">").append(esc(l.transactionalId())).append("</td><td>").append(esc(l.state()))
                    .append("</td><td class=\"num\">").append(l.producerId()).append("</td>");
            if (d == null) {
                b.append("<td colspan=\"5\" class=\"muted\">not described</td></tr>");
                continue;
            }
            b.append("<td class=\"num\">").append(d.producerEpoch()).append("</td><td>broker ").append(d.coordinatorId())
                    .append("</td><td class=\"num\">").append(d.transactionTimeoutMs()).append("</td><td>")
                    .append(d.transactionStartTimeMs().isPresent()
                            ? esc(Instant.ofEpochMilli(d.transactionStartTimeMs().getAsLong())) : "-")
                    .append("</td><td>").append(esc(String.join(", ", d.topicPartitions().stream()
                            .sorted(Comparator.comparing(TopicPartition::toString)).map(TopicPartition::toString).toList())))
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
        return Response.ok(Html.page("Transactions", "/transactions", Html.Notice.from(request), b.toString()));
    }
}
