package com.vclick.core.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRangeTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10.0.0.0/8          | 10.0.0.0                                | true
          10.0.0.0/8          | 10.255.255.255                          | true
          10.0.0.0/8          | 11.0.0.0                                | false
          10.0.0.0/8          | 9.255.255.255                           | false
          172.16.0.0/12       | 172.31.255.255                          | true
          172.16.0.0/12       | 172.32.0.0                              | false
          172.16.0.0/12       | 172.15.255.255                          | false
          100.64.0.0/10       | 100.127.255.255                         | true
          100.64.0.0/10       | 100.128.0.0                             | false
          0.0.0.0/0           | 0.0.0.0                                 | true
          0.0.0.0/0           | 255.255.255.255                         | true
          0.0.0.0/0           | ::1                                     | false
          192.168.1.7/32      | 192.168.1.7                             | true
          192.168.1.7/32      | 192.168.1.6                             | false
          192.168.1.7/32      | 192.168.1.8                             | false
          192.168.1.7         | 192.168.1.7                             | true
          192.168.1.7         | 192.168.1.70                            | false
          10.0.0.0/8          | ::ffff:10.1.2.3                         | true
          10.0.0.0/8          | ::ffff:11.1.2.3                         | false
          10.0.0.0/8          | ::a01:203                               | false
          10.0.0.0/8          | 010.0.0.1                               | false
          10.0.0.0/8          | 10.0.0.1/32                             | false
          10.0.0.0/8          | 10.1                                    | false
          10.0.0.0/8          | ten.example.com                         | false
          10.0.0.0/8          | ''                                      | false
          ::/0                | 2001:db8::1                             | true
          ::/0                | ::                                      | true
          ::/0                | 10.0.0.1                                | false
          ::/0                | ::ffff:10.0.0.1                         | false
          ::1/128             | ::1                                     | true
          ::1/128             | 0:0:0:0:0:0:0:1                         | true
          ::1/128             | ::2                                     | false
          ::1/128             | ::                                      | false
          ::1                 | ::1                                     | true
          fe80::/10           | fe80::1                                 | true
          fe80::/10           | FEBF:FFFF::1                            | true
          fe80::/10           | fec0::                                  | false
          fe80::/10           | fe80::1%eth0                            | false
          fc00::/7            | fd12:3456::1                            | true
          fc00::/7            | fe00::                                  | false
          2001:db8::/32       | 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff  | true
          2001:db8::/32       | 2001:db9::                              | false
          2001:db8::/32       | 2001:db8::192.0.2.1                     | true
          2001:db8::1/128     | 2001:db8::1                             | true
          ::ffff:10.0.0.0/104 | 10.9.8.7                                | true
          ::ffff:10.0.0.0/104 | ::ffff:10.9.8.7                         | true
          """)
  void containsALiteral(String range, String address, boolean expected) {
    assertEquals(expected, AddressRange.parse(range).contains(address));
  }

  @Test
  void containsAnInetAddressWithoutAnyLookup() throws UnknownHostException {
    AddressRange tenSlash8 = AddressRange.parse("10.0.0.0/8");
    assertTrue(tenSlash8.contains(InetAddress.getByAddress(new byte[] {10, (byte) 255, 0, 1})));
    assertFalse(tenSlash8.contains(InetAddress.getByAddress(new byte[] {11, 0, 0, 0})));
    assertFalse(tenSlash8.contains((InetAddress) null));
    assertFalse(tenSlash8.contains((String) null));

    byte[] loopback6 = new byte[16];
    loopback6[15] = 1;
    assertTrue(AddressRange.parse("::1/128").contains(InetAddress.getByAddress(loopback6)));
    assertFalse(tenSlash8.contains(InetAddress.getByAddress(loopback6)));

    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 10;
    assertTrue(tenSlash8.contains(InetAddress.getByAddress(mapped)));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10.0.0.0/8                    | 10.0.0.0/8
          ' 10.0.0.0/8 '                | 10.0.0.0/8
          192.168.1.7                   | 192.168.1.7/32
          0.0.0.0/0                     | 0.0.0.0/0
          ::/0                          | ::/0
          ::1                           | ::1/128
          2001:0DB8:0000::/32           | 2001:db8::/32
          fe80:0:0:0:0:0:0:0/10         | fe80::/10
          2001:db8:0:0:1:0:0:1/128      | 2001:db8::1:0:0:1/128
          2001:db8:0:1:1:1:1:1/128      | 2001:db8:0:1:1:1:1:1/128
          1:0:0:2:0:0:0:3/128           | 1:0:0:2::3/128
          1:2:3:4:5:6:7::/128           | 1:2:3:4:5:6:7:0/128
          1::/16                        | 1::/16
          ::ffff:10.0.0.0/104           | 10.0.0.0/8
          ::ffff:0:0/96                 | 0.0.0.0/0
          """)
  void printsCanonicalCidr(String text, String canonical) {
    AddressRange range = AddressRange.parse(text);
    assertEquals(canonical, range.toString());
    assertEquals(range, AddressRange.parse(canonical));
    assertEquals(range.hashCode(), AddressRange.parse(canonical).hashCode());
  }

  @Test
  void exposesItsParts() {
    AddressRange range = AddressRange.parse("fd00::/8");
    assertFalse(range.isIpv4());
    assertEquals(8, range.prefixLength());
    assertEquals("fd00::", range.networkAddress());
    assertTrue(AddressRange.parse("10.0.0.0/8").isIpv4());
    assertNotEquals(AddressRange.parse("10.0.0.0/8"), AddressRange.parse("10.0.0.0/9"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "/8",
        "10.0.0.0/33",
        "::/129",
        "10.0.0.0/-1",
        "10.0.0.0/08",
        "10.0.0.0/",
        "10.0.0.0/8/8",
        "10.0.0.0/8x",
        "10.0.0.0/1000",
        "hostname/8",
        "localhost",
        "example.com/24",
        "10.0.0/8",
        "10.0.0.0.0/8",
        "010.0.0.0/8",
        "256.0.0.0/8",
        "10.0.0.-1/32",
        "0x0a.0.0.0/8",
        "10.1.2.3/8",
        "1:2:3:4:5:6:7:8:9/64",
        "1:2:3:4:5:6:7/64",
        "1::2::3/64",
        ":::/0",
        ":1::/16",
        "1::2:/16",
        "12345::/16",
        "gggg::/16",
        "fe80::1%eth0/64",
        "::ffff:1.2.3/128",
        "1.2.3.4::/64",
        "[::1]/128",
        "１０.0.0.0/8",
        "fe80::1/10"
      })
  void garbageIsRefusedWithTheField(String text) {
    PolicyValidationException e =
        assertThrows(PolicyValidationException.class, () -> AddressRange.parse(text));
    assertEquals("range", e.field());
  }

  @Test
  void hostBitsAreRefusedWithTheRangeItWouldBe() {
    assertTrue(
        assertThrows(PolicyValidationException.class, () -> AddressRange.parse("10.1.2.3/8"))
            .getMessage()
            .contains("10.0.0.0/8"));
    assertTrue(
        assertThrows(PolicyValidationException.class, () -> AddressRange.parse("fe80::1/10"))
            .getMessage()
            .contains("fe80::/10"));
    assertThrows(PolicyValidationException.class, () -> AddressRange.parse(null));
  }

  @ParameterizedTest(name = "{0} non-public: {1}")
  @CsvSource({
    "10.1.2.3, true",
    "172.20.0.1, true",
    "192.168.0.10, true",
    "100.64.0.1, true",
    "127.0.0.1, true",
    "169.254.10.10, true",
    "0.0.0.0, true",
    "::1, true",
    "::, true",
    "fd00::1, true",
    "fe80::abcd, true",
    "::ffff:192.168.0.1, true",
    "0f3a2b1c-8d6e-4c1a-9e2b-7d5c4b3a2f10.local, true",
    "not an address, true",
    "8.8.8.8, false",
    "100.128.0.1, false",
    "192.0.2.1, false",
    "172.32.0.1, false",
    "2001:db8::1, false",
    "2a00:1450::1, false"
  })
  void nonPublicAddresses(String address, boolean nonPublic) {
    assertEquals(nonPublic, AddressRange.isNonPublic(address));
  }

  @Test
  void literalParsingNeverAcceptsNames() {
    assertNull(IpLiterals.parse("localhost"));
    assertNull(IpLiterals.parse("example.com"));
    assertNull(IpLiterals.parse(null));
    assertNull(IpLiterals.parseIpv6("a".repeat(46)));
    assertEquals("::ffff:a00:1", IpLiterals.format(IpLiterals.parse("::ffff:10.0.0.1")));
    assertEquals("::", IpLiterals.format(new byte[16]));
  }
}
