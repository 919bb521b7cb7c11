package io.flowfleet.core.sandbox;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.io.IOAccess;

import java.io.OutputStream;
import java.util.Optional;

/**
 * Checks a code step's syntax without running it: the code is parsed as the ES module it is loaded as,
 * nothing is evaluated. Used when a flow is validated (create, update, publish), so that a syntax error
 * is refused with its line and column instead of failing every run.
 */
public final class CodeSyntax {
    static final String MODULE_MIME_TYPE = "application/javascript+module";
    private static Context checker;

    private CodeSyntax() {
    }

    /**
     * Parses {@code code} as a module; empty when it parses, else the error, e.g.
     * {@code syntax error at line 2, column 11: Expected an operand but found ;}.
     */
    public static synchronized Optional<String> check(String code) {
        Source source = module(code, "code.js", false);
        try {
            checker().parse(source);
            return Optional.empty();
        } catch (PolyglotException e) {
            if (!e.isSyntaxError()) {
                throw e; // not the code's fault (e.g. the engine failed): not a validation problem
            }
            return Optional.of(describe(e, source.getName()));
        }
    }

    /** The code as a module source; {@code cached} keeps its parse in the engine (run time, not checks). */
    static Source module(String code, String name, boolean cached) {
        return Source.newBuilder("js", code, name).mimeType(MODULE_MIME_TYPE).cached(cached).buildLiteral();
    }

    /** {@code syntax error at line L, column C: what} with the position in the code as written. */
    static String describe(PolyglotException e, String sourceName) {
        String message = e.getMessage() == null ? "invalid code" : e.getMessage();
        if (message.startsWith("SyntaxError: ")) {
            message = message.substring("SyntaxError: ".length());
        }
        if (message.startsWith(sourceName + ":")) { // GraalJS starts with "name:line:column(0-based) "
            int space = message.indexOf(' ');
            message = space < 0 ? "" : message.substring(space + 1);
        }
        int newline = message.indexOf('\n'); // then the line and a caret: we give the position instead
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        SourceSection at = e.getSourceLocation();
        String where = at == null ? "" : " at line " + at.getStartLine() + ", column " + at.getStartColumn();
        return "syntax error" + where + ": " + message.strip();
    }

    private static Context checker() {
        if (checker == null) {
            Engine engine = Engine.newBuilder("js")
                    .option("engine.WarnInterpreterOnly", "false")
                    .out(OutputStream.nullOutputStream())
                    .err(OutputStream.nullOutputStream())
                    .build();
            checker = Context.newBuilder("js")
                    .engine(engine)
                    .allowHostAccess(HostAccess.NONE)
                    .allowIO(IOAccess.newBuilder().fileSystem(new ModuleAccessDenied()).build())
                    .build();
        }
        return checker;
    }
}
