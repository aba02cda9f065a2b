/** Test doubles for loraport: stateful simulators of the real services on a virtual clock, fault injection, an in-memory fake provider and the contract suite every adapter passes. */
@NullMarked
package dev.loraport.testkit;

import org.jspecify.annotations.NullMarked;
