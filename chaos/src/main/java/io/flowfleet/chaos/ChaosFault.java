package io.flowfleet.chaos;

import io.flowfleet.chaos.ChaosRecords.Fault;

/** One kind of fault: injects it, waits until the platform has the component back, returns its window. */
public interface ChaosFault {

    FaultKind kind();

    Fault inject(ChaosTarget target) throws Exception;
}
