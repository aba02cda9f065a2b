/**
 * The {@code loraport} command line: train, status, list, cancel, generate, wait, providers, simulate and
 * demo, against a configured service or the embedded simulators.
 */
@NullMarked
package dev.loraport.cli;

import org.jspecify.annotations.NullMarked;
