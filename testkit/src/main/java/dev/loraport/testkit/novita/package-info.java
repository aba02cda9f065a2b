/** A stateful WireMock simulator of Novita AI's v3 training API. */
@NullMarked
package dev.loraport.testkit.novita;

import org.jspecify.annotations.NullMarked;
