/**
 * Reading and redacting configuration values; depends on nothing else in loraport, so the root package can use it
 * without an import circle. Not API: may change in any release without notice.
 */
@NullMarked
package dev.loraport.internal.config;

import org.jspecify.annotations.NullMarked;
