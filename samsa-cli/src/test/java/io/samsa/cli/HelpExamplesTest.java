package io.samsa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} ends with an "Examples:" section of runnable {@code samsa ...} lines, and
 * {@code samsa completion} prints a bash completion script that knows every command.
 */
class HelpExamplesTest {
    private static CommandLine root() {
        return SamsaCommand.newCommandLine(System.in, new PrintWriter(Writer.nullWriter()),
                new PrintWriter(Writer.nullWriter()));
    }

    /** Every command of the tree once (aliases share a CommandLine), the root first. */
    private static List<CommandLine> allCommands(CommandLine root) {
        Map<CommandLine, Boolean> seen = new IdentityHashMap<>();
        List<CommandLine> all = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(root));
        while (!todo.isEmpty()) {
            CommandLine next = todo.removeFirst();
            if (seen.put(next, true) == null) {
                all.add(next);
                todo.addAll(next.getSubcommands().values());
            }
        }
        return all;
    }

    private static String qualifiedName(CommandLine command) {
        return command.getCommandSpec().qualifiedName();
    }

    @Test
    void everyCommandsHelpHasExamples() {
        List<CommandLine> commands = allCommands(root());

        assertThat(commands).hasSizeGreaterThan(30);
        for (CommandLine command : commands) {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(help).as("%s --help", qualifiedName(command)).contains("\nExamples:\n");
            String examples = help.substring(help.indexOf("\nExamples:\n"));
            assertThat(examples.lines().skip(2)).as("%s --help examples", qualifiedName(command))
                    .isNotEmpty()
                    .anyMatch(line -> line.startsWith("  samsa ") || line.contains("| samsa ")
                            || line.contains("(samsa "))
                    .as("%s --help examples fit in 80 columns (picocli wraps longer lines to column 0)",
                            qualifiedName(command))
                    .allMatch(line -> line.isEmpty() || line.startsWith("  "));
        }
    }

    @Test
    void theExamplesOfASubcommandNameIt() {
        for (CommandLine command : allCommands(root())) {
            String name = qualifiedName(command);
            if (name.equals("samsa") || name.equals("samsa help")) {
                continue;
            }
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            String examples = help.substring(help.indexOf("\nExamples:\n"));
            assertThat(examples).as("%s --help examples", name).contains(name);
        }
    }

    @Test
    void helpOfACommandShowsItsExamples() {
        CliRun run = CliRun.run("topics", "create", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Examples:").contains("samsa topics create --topic orders");
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        CliRun run = CliRun.run("completion");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_samsa")
                .contains("reset-offsets").contains("--bootstrap-server").contains("find-hanging");
        for (CommandLine command : allCommands(root())) {
            assertThat(run.out()).as(qualifiedName(command)).contains(command.getCommandName());
        }
    }
}
