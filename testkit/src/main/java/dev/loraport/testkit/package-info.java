/**
 * Test support for loraport on JUnit 5: the contract suite every adapter passes
 * ({@link dev.loraport.testkit.TrainingProviderContract}), an in-memory fake provider, and
 * {@link dev.loraport.testkit.SimulatorExtension}, which runs a simulator of {@code loraport-simulators} around
 * each test. A task is one training job on the service.
 */
@NullMarked
package dev.loraport.testkit;

import org.jspecify.annotations.NullMarked;
