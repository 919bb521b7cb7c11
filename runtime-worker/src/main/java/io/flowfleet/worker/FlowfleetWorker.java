package io.flowfleet.worker;

import io.flowfleet.core.cli.RunFlowCommand;
import io.flowfleet.worker.sandbox.SandboxChild;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The worker tier: pulls runs from its queue and executes them (docs/runtime.md).
 * {@code run-flow FILE ...} instead runs one flow in-process and prints it (docs/flows.md);
 * {@code sandbox-child ...} is the engine process of a slot in SANDBOX_PROCESS mode.
 */
@SpringBootApplication
public class FlowfleetWorker {
    public static void main(String[] args) throws Exception {
        io.flowfleet.core.flow.Json.install(); // Jackson defaults get the runtime's JSON limits (docs/architecture.md)
        if (args.length > 0 && "run-flow".equals(args[0])) {
            System.exit(RunFlowCommand.run(args, System.out, System.err));
        }
        if (args.length > 0 && "sandbox-child".equals(args[0])) {
            SandboxChild.main(args);
            return;
        }
        SpringApplication.run(FlowfleetWorker.class, args);
    }
}
