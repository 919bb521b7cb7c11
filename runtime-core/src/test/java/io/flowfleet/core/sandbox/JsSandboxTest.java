package io.flowfleet.core.sandbox;

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
        JsSandbox.Code source = sandbox.compile(null, "test", code);
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
                .hasMessageContaining("cannot import modules");
        assertThatThrownBy(() -> call(body("return await import('fs');"), "{}"))
                .isInstanceOf(CodeException.class)
                .hasMessageContaining("cannot import modules");
        assertSandboxStillWorks();
    }

    @Test
    void aCodeStepCannotImportAnotherStepsModuleEvenInTheSameRun() throws Exception {
        JsSandbox.Code first = sandbox.compile("flow:1", "first", "export const secret = 'mine';\nexport const code = async () => 1;");
        JsSandbox.Code second = sandbox.compile("flow:1", "second",
                "export const code = async () => { try { return (await import('flow@1/first.js')).secret; } catch (e) { return 'refused'; } };");
        JsSandbox.Code staticImport = sandbox.compile("flow:1", "third",
                "import { secret } from 'flow@1/first.js';\nexport const code = async () => secret;");
        try (JsSandbox.Session session = sandbox.openSession()) {
            assertThat(session.call(first, "{}", CALL)).isEqualTo("1");
            assertThat(session.call(second, "{}", CALL)).isEqualTo("\"refused\"");
            assertThatThrownBy(() -> session.call(staticImport, "{}", CALL)).hasMessageContaining("cannot import modules");
        }
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
            JsSandbox.Code loop = slow.compile(null, "loop", body("for (;;) { Math.sqrt(2); }"));
            try (JsSandbox.Session session = slow.openSession()) {
                assertThatThrownBy(() -> session.call(loop, "{}", CALL))
                        .isInstanceOf(CodeException.class)
                        .satisfies(e -> assertThat(((CodeException) e).kind()).isEqualTo(CodeException.Kind.TIMEOUT))
                        .hasMessageContaining("300 ms");
            }
            JsSandbox.Code ok = slow.compile(null, "ok", body("return 1;"));
            for (int run = 0; run < 2; run++) {
                try (JsSandbox.Session session = slow.openSession()) {
                    assertThat(session.call(ok, "{}", CALL)).isEqualTo("1");
                }
            }
            assertThat(slow.contextsCreated()).as("reuse off: a context per run").isEqualTo(3);
        }
    }

    @Test
    void noStateLeaksBetweenRunsAndTopLevelStateStartsAnewEachCall() throws Exception {
        // Writes succeed inside the run's own context (nothing is frozen), and die with it.
        String writer = body("""
                globalThis.leaked = 42; Array.prototype.evil = 1; Math.random = () => 4; JSON.parse = null;
                Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({ done: true });
                counter++;
                return { counter, evil: [].evil };
                """).replace("export const code", "let counter = 0;\nexport const code");
        String reader = body("""
                return { leaked: typeof globalThis.leaked, evil: typeof [].evil, random: Math.random() < 1,
                         parse: typeof JSON.parse, iterates: [...[1, 2]].length };
                """);
        assertThat(call(writer, "{}")).isEqualTo("{\"counter\":1,\"evil\":1}");
        assertThat(call(writer, "{}")).as("module state starts anew each run").isEqualTo("{\"counter\":1,\"evil\":1}");
        assertThat(call(reader, "{}"))
                .isEqualTo("{\"leaked\":\"undefined\",\"evil\":\"undefined\",\"random\":true,\"parse\":\"function\",\"iterates\":2}");
        JsSandbox.Code counting = sandbox.compile(null, "counting", "let n = 0;\nexport const code = async () => ++n;");
        try (JsSandbox.Session session = sandbox.openSession()) {
            assertThat(session.call(counting, "{}", CALL)).isEqualTo("1");
            assertThat(session.call(counting, "{}", CALL)).as("a second call in the same run: the module is evaluated anew").isEqualTo("1");
        }
    }

    @Test
    void topLevelAwaitIsAllowed() throws Exception {
        assertThat(call("const base = await Promise.resolve(40);\nexport const code = async (inputs) => base + inputs.n;", "{\"n\":2}"))
                .isEqualTo("42");
    }

    @Test
    void concurrentRunsNeverShareAContext() throws Exception {
        try (JsSandbox shared = new JsSandbox(new SandboxOptions(true, Duration.ofSeconds(20), 1_000_000))) {
            JsSandbox.Code code = shared.compile(null, "mark",
                    "export const code = async (inputs) => { const seen = globalThis.mark; globalThis.mark = inputs.id; return seen === undefined ? 'fresh' : 'saw ' + seen; };");
            java.util.List<java.util.concurrent.Future<java.util.List<String>>> threads = new java.util.ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    threads.add(pool.submit(() -> {
                        java.util.List<String> results = new java.util.ArrayList<>();
                        for (int run = 0; run < 100; run++) {
                            try (JsSandbox.Session session = shared.openSession()) {
                                results.add(session.call(code, "{\"id\":\"" + thread + "-" + run + "\"}", CALL));
                            }
                        }
                        return results;
                    }));
                }
                for (var f : threads) {
                    assertThat(f.get()).containsOnly("\"fresh\"");
                }
            }
        }
    }

    @Test
    void legacyRegExpStaticsAreOff() throws Exception {
        assertThat(call(body("'a@b.c'.replace(/^(.*)@/, ''); return [typeof RegExp.input, typeof RegExp.$1, typeof RegExp.lastMatch];"), "{}"))
                .isEqualTo("[\"undefined\",\"undefined\",\"undefined\"]");
    }

    @Test
    void eachRunGetsAFreshContextPreparedAhead() throws Exception {
        try (JsSandbox warm = new JsSandbox(new SandboxOptions(true, Duration.ofSeconds(20), 1_000_000))) {
            warm.warmUp();
            assertThat(warm.spareCount()).as("a spare is ready after the warm-up").isGreaterThanOrEqualTo(1);
            JsSandbox.Code code = warm.compile(null, "g", body("globalThis.seen = (globalThis.seen || 0) + 1; return globalThis.seen;"));
            for (int run = 0; run < 3; run++) {
                try (JsSandbox.Session session = warm.openSession()) {
                    assertThat(session.call(code, "{}", CALL)).as("run %d sees a pristine global", run).isEqualTo("1");
                }
                warm.awaitBackground();
                assertThat(warm.spareCount()).as("the spare was replaced in the background").isGreaterThanOrEqualTo(1);
            }
        }
    }

    @Test
    void syntaxIsCheckedWithoutRunningTheCode() {
        assertThat(CodeSyntax.check("export const code = async (inputs) => inputs.n + 1;")).isEmpty();
        assertThat(CodeSyntax.check("export const code = async (inputs) => {\n  let x = ;\n};"))
                .contains("syntax error at line 2, column 11: Expected an operand but found ;");
        assertThat(CodeSyntax.check("}); let __leak = []; (function () { const code = async (inputs) => 1;"))
                .hasValueSatisfying(p -> assertThat(p).startsWith("syntax error at line 1, column 1:"));
        assertThat(CodeSyntax.check("globalThis.ran = true; throw new Error('must not run');\nexport const code = () => 1;")).isEmpty();
    }

    @Test
    void errorsPointAtTheUsersLineAndColumn() {
        assertThatThrownBy(() -> call("const a = 1;\nthrow new TypeError('at the top');\nexport const code = () => a;", "{}"))
                .hasMessageStartingWith("TypeError: at the top")
                .hasMessageContaining("at <module> (test.js:2:7)"); // where the error was made, as in V8
        assertThatThrownBy(() -> call("export const code = async (inputs) => {\n  return inputs.a.b;\n};", "{}"))
                .hasMessageContaining("TypeError")
                .hasMessageContaining("test.js:2:");
        assertThatThrownBy(() -> call("export const code = async (inputs) => {\n  let x = ;\n};", "{}"))
                .hasMessageStartingWith("SyntaxError: syntax error at line 2, column 11")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SyntaxError: SyntaxError"));
    }

    @Test
    void oneAllocationOverTheCapIsAMemoryLimitNotAnOutOfMemory() {
        for (String bomb : new String[] {"new ArrayBuffer(2 ** 31 - 64)", "new Float64Array(2 ** 28)", "'x'.repeat(2 ** 30)",
                "new ArrayBuffer(8, { maxByteLength: 2 ** 31 - 64 })"}) {
            assertThatThrownBy(() -> call(body("const a = []; while (true) a.push(" + bomb + ");"), "{}"))
                    .as(bomb)
                    .isInstanceOf(CodeException.class)
                    .satisfies(e -> assertThat(((CodeException) e).kind()).isEqualTo(CodeException.Kind.MEMORY_LIMIT));
        }
        assertSandboxStillWorks();
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

    /**
     * Found by the sandbox attack: the prelude described a thrown error with intrinsics the code can replace
     * (Array.prototype.join, String.prototype.includes, ...), so a code step could hand the host a non-string
     * and end its run INTERNAL_ERROR (a ClassCastException in the engine). The error text is the code's own,
     * whatever it replaced.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "Array.prototype.join = function () { return { includes: () => true }; };",
            "String.prototype.includes = function () { return true; }; String.prototype.split = function () { return { filter: () => ({ join: () => 42 }) }; };",
            "Object.defineProperty(Array, Symbol.species, { get() { return function () { return { join: () => ({}) }; }; } });",
            "globalThis.String = function () { return {}; }; Array.prototype.filter = function () { return { join: () => null }; };",
    })
    void replacedIntrinsicsCannotBreakHowAnErrorIsReported(String replace) {
        assertThatThrownBy(() -> call(body(replace + "\nthrow new Error('boom-7');"), "{}"))
                .isInstanceOf(CodeException.class)
                .hasMessageContaining("boom-7")
                .extracting(e -> ((CodeException) e).kind()).isEqualTo(CodeException.Kind.ERROR);
        assertSandboxStillWorks();
    }

    @Test
    void replacedPromiseIntrinsicsCannotBreakHowAResultIsReported() throws Exception {
        assertThat(call(body("Promise.prototype.then = function () { return 1; }; globalThis.Promise = function () {}; return 5;"), "{}"))
                .isEqualTo("5");
        assertThat(call(body("JSON.stringify = () => ({}); return { a: 1 };"), "{}")).isEqualTo("{\"a\":1}");
    }

    private static void assertSandboxStillWorks() {
        try {
            assertThat(call(body("return inputs.v + 1;"), "{\"v\":1}")).isEqualTo("2");
        } catch (CodeException e) {
            throw new AssertionError("sandbox broken after a refused call: " + e.getMessage(), e);
        }
    }
}
