package com.vclick.core.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConferenceRecordingPolicyTest {

  @Test
  void theAppsOriginIsItsPublicUrlWithoutPathOrSlash() {
    assertEquals(
        "https://vclick.example.com",
        ConferenceRecordingPolicy.originOf("https://vclick.example.com/"));
    assertEquals(
        "http://127.0.0.1:8080", ConferenceRecordingPolicy.originOf(" http://127.0.0.1:8080/app "));
  }
}
