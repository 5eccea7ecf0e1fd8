package io.samsa.console;

import static io.samsa.console.Html.esc;

import java.util.Collection;
import java.util.Comparator;
import org.apache.kafka.clients.admin.GroupListing;

/** The group list ({@code /groups}): every group ListGroups returns, with its type, protocol and state. */
final class GroupsPage {
    private final Cluster cluster;

    GroupsPage(Cluster cluster) {
        this.cluster = cluster;
    }

    Response render(Request request) {
        Collection<GroupListing> groups = Cluster.get(cluster.admin().listGroups().all());
        StringBuilder b = new StringBuilder();
        b.append("<table><thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Type</th>")
                .append("<th scope=\"col\">Protocol</th><th scope=\"col\">State</th></tr></thead><tbody>");
        if (groups.isEmpty()) {
            b.append("<tr><td colspan=\"4\" class=\"muted\">No groups</td></tr>");
        }
        for (GroupListing g : groups.stream().sorted(Comparator.comparing(GroupListing::groupId)).toList()) {
            b.append("<tr><td><a href=\"/groups/").append(esc(Html.url(g.groupId()))).append("\">")
                    .append(esc(g.groupId())).append("</a></td><td>").append(esc(g.type().map(Object::toString).orElse("")))
                    .append("</td><td>").append(esc(g.protocol())).append("</td><td>")
                    .append(esc(g.groupState().map(Object::toString).orElse(""))).append("</td></tr>");
        }
        b.append("</tbody></table>");
        return Response.ok(Html.page("Consumer groups", "/groups", Html.Notice.from(request), b.toString()));
    }
}
