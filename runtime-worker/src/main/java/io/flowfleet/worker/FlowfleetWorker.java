package io.flowfleet.worker;

import io.flowfleet.core.cli.RunFlowCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The worker tier: pulls runs from its queue and executes them (docs/runtime.md).
 * {@code run-flow FILE ...} instead runs one flow in-process and prints it (docs/flows.md).
 */
@SpringBootApplication
public class FlowfleetWorker {
    public static void main(String[] args) {
        if (args.length > 0 && "run-flow".equals(args[0])) {
            System.exit(RunFlowCommand.run(args, System.out, System.err));
        }
        SpringApplication.run(FlowfleetWorker.class, args);
    }
}
