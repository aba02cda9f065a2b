/**
 * Spring Boot 3 auto-configuration for loraport: {@link dev.loraport.spring.boot.LoraportProperties} ({@code
 * loraport.*}), the decorated {@code TrainingProvider}, the {@code TaskWatcher} and its store, and health.
 */
@NullMarked
package dev.loraport.spring.boot;

import org.jspecify.annotations.NullMarked;
