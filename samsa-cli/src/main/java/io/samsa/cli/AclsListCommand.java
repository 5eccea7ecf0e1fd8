package io.samsa.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code samsa acls list}: the ACLs of the named resources (DescribeAcls), or every ACL, one per line: ResourceType
 * Name PatternType Principal Host Operation Permission. {@code --resource-pattern-type} defaults to ANY; MATCH lists
 * every ACL that applies to the named resource (literal, {@code *} and prefixes). {@code --principal} filters.
 */
@Command(name = "list", description = "List ACLs.", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  samsa acls list",
            "  samsa acls list --topic orders --resource-pattern-type MATCH",
            "  samsa acls list --principal User:alice"
        })
final class AclsListCommand extends AdminCommand {
    @Mixin
    AclResourceOptions resources;

    @Option(names = "--principal", paramLabel = "PRINCIPAL", description = "Only the ACLs of this principal.")
    String principal;

    @Override
    int run(Admin admin) throws Exception {
        Set<AclBinding> found = new LinkedHashSet<>();
        for (ResourcePatternFilter filter : resources.filters(spec, PatternType.ANY)) {
            try {
                found.addAll(admin.describeAcls(new AclBindingFilter(filter, new AccessControlEntryFilter(principal,
                        null, AclOperation.ANY, AclPermissionType.ANY))).values().get());
            } catch (ExecutionException e) {
                throw AclsCommand.failure("Failed to list ACLs", e.getCause());
            }
        }
        print(spec.commandLine().getOut(), found);
        return 0;
    }

    /** The bindings as a table, sorted by resource then principal. */
    static void print(PrintWriter out, Collection<AclBinding> bindings) {
        List<AclBinding> sorted = new ArrayList<>(bindings);
        sorted.sort(Comparator.comparing((AclBinding b) -> b.pattern().resourceType())
                .thenComparing(b -> b.pattern().name()).thenComparing(b -> b.pattern().patternType())
                .thenComparing(b -> b.entry().principal()).thenComparing(b -> b.entry().operation())
                .thenComparing(b -> b.entry().permissionType()));
        TextTable table = new TextTable("ResourceType", "Name", "PatternType", "Principal", "Host", "Operation",
                "Permission");
        for (AclBinding b : sorted) {
            table.add(b.pattern().resourceType(), b.pattern().name(), b.pattern().patternType(), b.entry().principal(),
                    b.entry().host(), b.entry().operation(), b.entry().permissionType());
        }
        table.print(out);
    }
}
