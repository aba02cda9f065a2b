/** Simulator plumbing. Not API: may change in any release without notice. */
@NullMarked
package dev.loraport.testkit.internal;

import org.jspecify.annotations.NullMarked;
