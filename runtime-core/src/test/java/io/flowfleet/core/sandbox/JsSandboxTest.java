package io.flowfleet.core.sandbox;

import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The sandbox's guarantees, against real GraalVM JS. One sandbox (one engine) for the class. */
class JsSandboxTest {
    private static final Duration CALL = Duration.ofSeconds(20);
    private static JsSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = new JsSandbox(new SandboxOptions(true, Duration.ofSeconds(20), 2_000_000));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static String call(String code, String inputs) throws CodeException {
        Source source = sandbox.compile(null, "test", code);
        try (JsSandbox.Session session = sandbox.openSession()) {
            return session.call(source, inputs, CALL);
        }
    }

    private static String body(String statements) {
        return "export const code = async (inputs) => {\n" + statements + "\n};";
    }

    @Test
    void runsOnTheOptimizingRuntimeWhenTheBuildSetsItUp() {
        // The surefire argLine puts GraalVM on the module path and sets this property; an IDE run may not.
        assumeTrue(Boolean.getBoolean("flowfleet.test.optimizingJs"), "not launched with the GraalVM module path");
        assertThat(sandbox.runtimeName()).isEqualTo("optimizing");
    }

    @Test
    void runsAsyncCodeWithInputs() throws Exception {
        assertThat(call(body("const x = await Promise.resolve(inputs.a); return { doubled: x * 2, s: `${inputs.b}!` };"),
                "{\"a\":21,\"b\":\"hi\"}")).isEqualTo("{\"doubled\":42,\"s\":\"hi!\"}");
        assertThat(call(body("return;"), "{}")).isEqualTo("null");
        assertThat(call("export default (inputs) => inputs.n + 1;", "{\"n\":1}")).isEqualTo("2");
        assertThat(call("export function code(inputs) { return [inputs.n]; }", "{\"n\":3}")).isEqualTo("[3]");
        assertThat(call("export async function code(inputs) { return inputs.n; }", "{\"n\":4}")).isEqualTo("4");
        assertThat(call("const code = (inputs) => 'listed';\nexport { code };", "{}")).isEqualTo("\"listed\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "return Java.type('java.lang.System').getenv();",                       // host classes
            "return Java.type('java.io.FileInputStream');",                          // files via Java
            "return load('/etc/passwd');",                                           // files via the shell builtin
            "return read('/etc/passwd');",
            "return await import('/etc/passwd');",                                   // files via the module loader (IO policy)
            "return await import('http://127.0.0.1:1/x.mjs');",
            "return Polyglot.eval('js', '1');",                                      // other languages
            "return Java.type('java.net.Socket');",                                  // sockets
            "return fetch('http://127.0.0.1:1/');",
            "return new XMLHttpRequest();",
            "return Java.type('java.lang.ProcessBuilder');",                         // processes
            "return Java.type('java.lang.Runtime').getRuntime().exec('id');",
            "return Java.type('java.lang.Thread');",                                 // threads
            "return new Worker('x.js');",
            "return require('fs').readFileSync('/etc/passwd');",
            "return process.env;",
    })
    void refusesHostFileNetworkProcessAndThreadAccess(String attempt) {
        assertThatThrownBy(() -> call(body(attempt), "{}"))
                .isInstanceOf(CodeException.class)
                .satisfies(e -> assertThat(((CodeException) e).kind()).isEqualTo(CodeException.Kind.ERROR))
                .hasMessageMatching("(?s).*(ReferenceError|TypeError|not defined|not a function|not allowed|denied).*");
        assertSandboxStillWorks();
    }

    @Test
    void importsAreRefused() {
        assertThatThrownBy(() -> call("import fs from 'fs';\nexport const code = async () => fs;", "{}"))
                .isInstanceOf(CodeException.class)
                .hasMessageContaining("SyntaxError");
        assertSandboxStillWorks();
    }

    @Test
    void thrownErrorCarriesMessageAndStack() {
        assertThatThrownBy(() -> call(body("function inner() { throw new RangeError('boom ' + inputs.n); }\ninner();"), "{\"n\":7}"))
                .isInstanceOf(CodeException.class)
                .hasMessageContaining("RangeError: boom 7")
                .hasMessageContaining("at inner (test.js:2");
    }

    @Test
    void runawayRecursionFailsTheCallNotTheProcess() {
        assertThatThrownBy(() -> call(body("const f = (n) => f(n + 1) + 1; return f(0);"), "{}"))
                .isInstanceOf(CodeException.class)
                .hasMessageContaining("RangeError");
        assertSandboxStillWorks();
    }

    @Test
    void infiniteLoopIsStoppedByTheStatementLimit() {
        assertThatThrownBy(() -> call(body("while (true) {}"), "{}"))
                .isInstanceOf(CodeException.class)
                .satisfies(e -> assertThat(((CodeException) e).kind()).isEqualTo(CodeException.Kind.STATEMENT_LIMIT))
                .hasMessageContaining("statements");
        assertSandboxStillWorks();
    }

    @Test
    void statementLimitCountsTheFlowsCodeOnly() throws Exception {
        // A limit far below what the prelude's freezing walk executes still lets small code run.
        try (JsSandbox tight = new JsSandbox(new SandboxOptions(true, Duration.ofSeconds(20), 200))) {
            try (JsSandbox.Session session = tight.openSession()) {
                assertThat(session.call(tight.compile(null, "small", body("let s = 0; for (let i = 0; i < 10; i++) { s += i; } return s;")),
                        "{}", CALL)).isEqualTo("45");
                assertThatThrownBy(() -> session.call(tight.compile(null, "big", body("let s = 0; for (let i = 0; i < 1000; i++) { s += i; } return s;")),
                        "{}", CALL))
                        .satisfies(e -> assertThat(((CodeException) e).kind()).isEqualTo(CodeException.Kind.STATEMENT_LIMIT));
            }
        }
    }

    @Test
    void infiniteLoopIsStoppedByTheWatchdog() throws Exception {
        try (JsSandbox slow = new JsSandbox(new SandboxOptions(false, Duration.ofMillis(300), Long.MAX_VALUE))) {
            Source loop = slow.compile(null, "loop", body("for (;;) { Math.sqrt(2); }"));
            try (JsSandbox.Session session = slow.openSession()) {
                assertThatThrownBy(() -> session.call(loop, "{}", CALL))
                        .isInstanceOf(CodeException.class)
                        .satisfies(e -> assertThat(((CodeException) e).kind()).isEqualTo(CodeException.Kind.TIMEOUT))
                        .hasMessageContaining("300 ms");
            }
            Source ok = slow.compile(null, "ok", body("return 1;"));
            for (int run = 0; run < 2; run++) {
                try (JsSandbox.Session session = slow.openSession()) {
                    assertThat(session.call(ok, "{}", CALL)).isEqualTo("1");
                }
            }
            assertThat(slow.contextsCreated()).as("reuse off: a context per run").isEqualTo(3);
        }
    }

    @Test
    void noStateLeaksBetweenRunsOnAReusedContext() throws Exception {
        String writer = body("""
                const attempts = [];
                for (const f of [() => { globalThis.leaked = 42; }, () => { leakedToo = 1; },
                                 () => { Array.prototype.evil = 1; }, () => { Math.random = () => 4; },
                                 () => { Object.prototype.toJSON = () => 'pwned'; }, () => { JSON.parse = null; },
                                 () => { (0, eval)('let leakedLexical = 1'); },
                                 () => { Function('return this')().viaFunction = 1; }]) {
                  try { f(); attempts.push('written'); } catch (e) { attempts.push(e.name); }
                }
                counter++;
                return { attempts, counter };
                """).replace("export const code", "let counter = 0;\nexport const code");
        String reader = body("""
                return { leaked: typeof globalThis.leaked, leakedToo: typeof leakedToo, evil: typeof [].evil,
                         random: Math.random() < 1, parse: typeof JSON.parse, lexical: typeof leakedLexical,
                         viaFunction: typeof globalThis.viaFunction };
                """);
        long before = sandbox.contextsCreated();
        assertThat(call(writer, "{}")).as("every write to shared state is refused")
                .isEqualTo("{\"attempts\":[\"TypeError\",\"ReferenceError\",\"TypeError\",\"TypeError\",\"TypeError\",\"TypeError\","
                        + "\"ReferenceError\",\"TypeError\"],\"counter\":1}");
        assertThat(call(writer, "{}")).as("module state starts anew each run").contains("\"counter\":1");
        assertThat(call(reader, "{}"))
                .isEqualTo("{\"leaked\":\"undefined\",\"leakedToo\":\"undefined\",\"evil\":\"undefined\",\"random\":true,"
                        + "\"parse\":\"function\",\"lexical\":\"undefined\",\"viaFunction\":\"undefined\"}");
        assertThat(sandbox.contextsCreated() - before).as("the three runs shared one pooled context").isLessThanOrEqualTo(1);
    }

    @Test
    void promiseThatNeverSettlesFailsClearly() {
        assertThatThrownBy(() -> call(body("await new Promise(() => {}); return 1;"), "{}"))
                .isInstanceOf(CodeException.class)
                .hasMessageContaining("never settled");
    }

    @Test
    void resultThatIsNotJsonFailsClearly() {
        assertThatThrownBy(() -> call(body("return 10n;"), "{}"))
                .isInstanceOf(CodeException.class)
                .hasMessageContaining("BigInt");
    }

    private static void assertSandboxStillWorks() {
        try {
            assertThat(call(body("return inputs.v + 1;"), "{\"v\":1}")).isEqualTo("2");
        } catch (CodeException e) {
            throw new AssertionError("sandbox broken after a refused call: " + e.getMessage(), e);
        }
    }
}
