package com.vclick.core.telephony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TelephonyGatewayTest {

  @Test
  void blankMeansNone() {
    assertTrue(TelephonyGateway.parseList("").isEmpty());
    assertTrue(TelephonyGateway.parseList(null).isEmpty());
  }

  @Test
  void readsPairsInOrder() {
    assertEquals(
        List.of(
            new TelephonyGateway("sip-london", "London SIP trunk"),
            new TelephonyGateway("sip-ny", "New York")),
        TelephonyGateway.parseList(" sip-london = London SIP trunk ,sip-ny=New York"));
  }

  @Test
  void refusesMalformedEntries() {
    assertThrows(IllegalArgumentException.class, () -> TelephonyGateway.parseList("no-name"));
    assertThrows(IllegalArgumentException.class, () -> TelephonyGateway.parseList("Bad Id=x"));
    assertThrows(IllegalArgumentException.class, () -> TelephonyGateway.parseList("a=x,a=y"));
    assertThrows(IllegalArgumentException.class, () -> TelephonyGateway.parseList("a= "));
  }
}
