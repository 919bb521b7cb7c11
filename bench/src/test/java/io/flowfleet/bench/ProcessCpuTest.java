package io.flowfleet.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessCpuTest {

    @Test
    void sumsUserSystemAndReapedChildrenTicksEvenWithParenthesesInTheCommand() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        String stat = "4242 (postgres: (idle) x) S 1 4242 4242 0 -1 4194560 500 0 0 0 120 30 7 3 20 0 1 0 100 1000 10";

        assertThat(ProcessCpu.parseTicks(stat)).isEqualTo(120 + 30 + 7 + 3);
        assertThat(ProcessCpu.parseOwnTicks(stat)).isEqualTo(120 + 30);
    }

    @Test
    void readsTheCpuTimeOfALiveProcessTree() {
        long self = ProcessHandle.current().pid();
        double before = ProcessCpu.treeSeconds(self).orElseThrow();
        long until = System.nanoTime() + 300_000_000L;
        long spin = 0;
        while (System.nanoTime() < until) {
            spin += Long.numberOfTrailingZeros(spin + System.nanoTime());
        }
        double after = ProcessCpu.treeSeconds(self).orElseThrow();

        assertThat(spin).isNotNegative();
        assertThat(after).isGreaterThan(before);
        assertThat(ProcessCpu.seconds(Long.MAX_VALUE)).isEmpty();
    }
}
