/**
 * Stateful simulators of the training services on a virtual clock: {@link dev.loraport.simulators.NovitaSimulator}
 * and {@link dev.loraport.simulators.StableDiffusionApiSimulator} speak each service's wire protocol over loopback
 * HTTP (WireMock), move tasks through their statuses on a {@link dev.loraport.simulators.VirtualClock}, and inject
 * faults on demand. No test framework: the JUnit 5 glue is in {@code loraport-testkit}. A task is one training
 * job on the service.
 */
@NullMarked
package dev.loraport.simulators;

import org.jspecify.annotations.NullMarked;
