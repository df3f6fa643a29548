package com.vclick.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

  private static final long SIZE = 1000;

  private static ByteRange.Request parse(String header) {
    return ByteRange.parse(header, SIZE);
  }

  private static ByteRange.Part part(long first, long last) {
    return new ByteRange.Part(new ByteRange(first, last));
  }

  @Test
  void oneRangeInEachOfItsThreeForms() {
    assertEquals(part(0, 99), parse("bytes=0-99"));
    assertEquals(part(500, 999), parse("bytes=500-"));
    assertEquals(part(900, 999), parse("bytes=-100"));
    assertEquals(part(0, 999), parse("bytes=-5000"), "a suffix longer than the file is all of it");
    assertEquals(part(990, 999), parse("bytes=990-5000"), "the end is cut to the file's");
    assertEquals(part(999, 999), parse(" bytes=999-999 "));
    assertEquals(100, new ByteRange(0, 99).length());
    assertEquals("bytes 0-99/1000", new ByteRange(0, 99).contentRange(SIZE));
    assertEquals("bytes 0-99", new ByteRange(0, 99).toString());
  }

  @Test
  void whatIsNotUnderstoodIsIgnored() {
    for (String header :
        new String[] {
          null,
          "",
          "bytes=",
          "bytes=-",
          "bytes=5-1",
          "bytes=0-1,5-9",
          "items=0-1",
          "bytes=a-b",
          "bytes=0-99999999999999999999"
        }) {
      assertEquals(new ByteRange.Whole(), parse(header), String.valueOf(header));
    }
  }

  @Test
  void aRangeBeyondTheEndIsUnsatisfiable() {
    assertEquals(new ByteRange.Unsatisfiable(), parse("bytes=1000-"));
    assertEquals(new ByteRange.Unsatisfiable(), parse("bytes=1000-2000"));
    assertEquals(new ByteRange.Unsatisfiable(), parse("bytes=-0"));
  }
}
