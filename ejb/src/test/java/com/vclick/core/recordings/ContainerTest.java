package com.vclick.core.recordings;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ContainerTest {

  @Test
  void theDocTypeOfTheEbmlHeaderSaysMatroskaOrWebm() {
    assertEquals(Optional.of(Container.MATROSKA), Container.of(Recordings.ebmlHeader("matroska")));
    assertEquals(Optional.of(Container.WEBM), Container.of(Recordings.ebmlHeader("webm")));
    assertEquals("video/x-matroska", Container.MATROSKA.mediaType());
    assertEquals("video/webm", Container.WEBM.mediaType());
  }

  @Test
  void anythingElseIsNoRecording() {
    byte[] header = Recordings.ebmlHeader("matroska");
    assertEquals(Optional.empty(), Container.of(new byte[0]));
    assertEquals(Optional.empty(), Container.of("hello, world".getBytes()));
    assertEquals(Optional.empty(), Container.of(Recordings.ebmlHeader("avi")));
    assertEquals(Optional.empty(), Container.of(Arrays.copyOf(header, 20)), "cut short");
    byte[] noMagic = header.clone();
    noMagic[0] = 0x00;
    assertEquals(Optional.empty(), Container.of(noMagic));
  }
}
