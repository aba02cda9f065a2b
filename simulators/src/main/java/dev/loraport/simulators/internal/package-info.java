/** Simulator plumbing. Not API: may change in any release without notice. */
@NullMarked
package dev.loraport.simulators.internal;

import org.jspecify.annotations.NullMarked;
