/** A stateful WireMock simulator of ModelsLab's (stablediffusionapi.com) training API. */
@NullMarked
package dev.loraport.testkit.stablediffusionapi;

import org.jspecify.annotations.NullMarked;
