package com.vclick.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TestEnvTest {

  @Test
  void missingVariableFailsWithItsName() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> TestEnv.require("VCLICK_SURELY_UNSET_VARIABLE_42"));
    assertTrue(e.getMessage().contains("VCLICK_SURELY_UNSET_VARIABLE_42"), e.getMessage());
    assertTrue(e.getMessage().contains("./vclick test"), e.getMessage());
  }

  @Test
  void defaultsAndTrailingSlashes() {
    assertEquals("fallback", TestEnv.get("VCLICK_SURELY_UNSET_VARIABLE_42", "fallback"));
    assertEquals("http://h:1", TestEnv.stripTrailingSlash("http://h:1//"));
  }
}
