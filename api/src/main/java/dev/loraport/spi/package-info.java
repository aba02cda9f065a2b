/**
 * The service-provider interface: what an adapter implements and registers in {@code META-INF/services}.
 */
@NullMarked
package dev.loraport.spi;

import org.jspecify.annotations.NullMarked;
