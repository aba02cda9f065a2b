/**
 * Helpers shared by loraport's own modules. Not API: may change in any release without notice.
 */
@NullMarked
package dev.loraport.internal;

import org.jspecify.annotations.NullMarked;
