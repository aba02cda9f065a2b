/**
 * Decorators that wrap any {@link dev.loraport.TrainingProvider}: metrics, retry with exactly-once create,
 * circuit breaker and rate limiter, composed by {@link dev.loraport.decorators.ProviderStack} in that order,
 * outermost first. Resilience4j and Micrometer do the work; their types stay in this package.
 */
@NullMarked
package dev.loraport.decorators;

import org.jspecify.annotations.NullMarked;
