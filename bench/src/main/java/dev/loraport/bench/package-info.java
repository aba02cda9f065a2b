/** Benchmarks: adapter overhead against a raw HTTP baseline, polling cost, and job lifecycle across providers. */
@NullMarked
package dev.loraport.bench;

import org.jspecify.annotations.NullMarked;
