package io.litepool.http.cli;

import io.litepool.LitePoolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code java -jar litepool.jar serve [options]}, {@code mcp [options]} (MCP over stdio) or
 * {@code --help}. Exit status 0 after a clean stop, 1 when the server cannot start (database, address), 2 for a bad
 * command line or configuration.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        if (args.length > 0 && args[0].equals("mcp")) {
            // standard output carries MCP messages only: anything printed by accident goes to standard error
            System.setOut(System.err);
        }
        int status = run(Arrays.asList(args), System.getenv(), System.in, out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, InputStream.nullInputStream(), out, err);
    }

    /** @param in what {@code mcp} reads its messages from; {@code out} is where it writes them */
    static int run(List<String> args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("litepool: say what to do: serve [options], mcp [options], or --help");
            return 2;
        }
        String command = args.get(0);
        if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
            out.print(ServeOptions.help());
            return 0;
        }
        if (!command.equals("serve") && !command.equals("mcp")) {
            err.println("litepool: unknown command '" + command + "'; the commands are serve and mcp (see --help)");
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(ServeOptions.help());
            return 0;
        }
        ServerLogging.configure(ServerLogging.requestedLevel(rest, env));
        boolean stdio = command.equals("mcp");
        ServeOptions options;
        try {
            options = stdio ? ServeOptions.parseMcp(rest, env) : ServeOptions.parse(rest, env);
        } catch (ServeOptions.UsageException e) {
            err.println("litepool: " + e.getMessage());
            return 2;
        }
        try {
            if (stdio) {
                McpCommand.run(options, in, out);
            } else {
                ServeCommand.run(options);
            }
            return 0;
        } catch (IllegalStateException e) {
            err.println("litepool: " + e.getMessage());
            return 2;
        } catch (BindException e) {
            err.println("litepool: cannot listen on " + options.server().host() + ":" + options.server().port()
                    + ": " + e.getMessage());
            return 1;
        } catch (IOException | LitePoolException e) {
            err.println("litepool: cannot start: " + e.getMessage());
            return 1;
        }
    }
}
