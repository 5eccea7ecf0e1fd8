package io.samsa.console;

import static io.samsa.console.Html.esc;

import java.util.Collection;
import java.util.Comparator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SecurityDisabledException;

/**
 * The ACLs ({@code /acls}, read-only): every binding DescribeAcls returns for the match-any filter, sorted by resource.
 * A cluster without an authorizer answers SECURITY_DISABLED, shown as such.
 */
final class AclsPage {
    private final Cluster cluster;

    AclsPage(Cluster cluster) {
        this.cluster = cluster;
    }

    Response render(Request request) {
        Admin admin = cluster.admin();
        StringBuilder b = new StringBuilder();
        Collection<AclBinding> acls;
        try {
            acls = Cluster.get(admin.describeAcls(AclBindingFilter.ANY).values());
        } catch (Cluster.ClusterException e) {
            if (e.getCause() instanceof SecurityDisabledException) {
                b.append("<p role=\"status\">No authorizer is configured on this cluster (")
                        .append("<code>authorizer.class.name</code>): every request is allowed.</p>");
                return Response.ok(Html.page("ACLs", "/acls", Html.Notice.from(request), b.toString()));
            }
            throw e;
        }
        b.append("<table id=\"acls\"><thead><tr><th scope=\"col\">Resource type</th><th scope=\"col\">Pattern</th>")
                .append("<th scope=\"col\">Resource name</th><th scope=\"col\">Principal</th><th scope=\"col\">Host</th>")
                .append("<th scope=\"col\">Operation</th><th scope=\"col\">Permission</th></tr></thead><tbody>");
        if (acls.isEmpty()) {
            b.append("<tr><td colspan=\"7\" class=\"muted\">No ACLs</td></tr>");
        }
        for (AclBinding a : acls.stream().sorted(Comparator.comparing((AclBinding x) -> x.pattern().resourceType())
                .thenComparing(x -> x.pattern().name()).thenComparing(x -> x.entry().principal())).toList()) {
            b.append("<tr><td>").append(esc(a.pattern().resourceType())).append("</td><td>")
                    .append(esc(a.pattern().patternType())).append("</td><td class=\"mono\">").append(esc(a.pattern().name()))
                    .append("</td><td class=\"mono\">").append(esc(a.entry().principal())).append("</td><td>")
                    .append(esc(a.entry().host())).append("</td><td>").append(esc(a.entry().operation()))
                    .append("</td><td>").append(esc(a.entry().permissionType())).append("</td></tr>");
        }
        b.append("</tbody></table><p class=\"muted\">Add and remove ACLs with <code>samsa acls add|remove</code>.</p>");
        return Response.ok(Html.page("ACLs", "/acls", Html.Notice.from(request), b.toString()));
    }
}
