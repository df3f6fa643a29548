package com.vclick.web.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vclick.web.signaling.SignalingMessage.CallHangup;
import com.vclick.web.signaling.SignalingMessage.CallInvite;
import com.vclick.web.signaling.SignalingMessage.Candidate;
import com.vclick.web.signaling.SignalingMessage.Error;
import com.vclick.web.signaling.SignalingMessage.Hello;
import com.vclick.web.signaling.SignalingMessage.Ping;
import com.vclick.web.signaling.SignalingMessage.PresenceWatch;
import com.vclick.web.signaling.SignalingMessage.Sdp;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  private static String refusal(String text) {
    return assertThrows(ProtocolException.class, () -> MessageCodec.decode(text)).code();
  }

  @Test
  void clientMessagesSurviveARoundTrip() {
    List<SignalingMessage> messages =
        List.of(
            new Hello("eyJhbGciOi.x.y"),
            new Ping(),
            new PresenceWatch(List.of("bob@acme-bank.example", "carol")),
            new CallInvite("c-1", "bob@acme-bank.example", "video"),
            new SignalingMessage.CallAnswer("c-1"),
            new SignalingMessage.CallDecline("c-1"),
            new SignalingMessage.CallCancel("c-1"),
            new CallHangup("c-1"),
            new SignalingMessage.CallResume("c-1"),
            new SignalingMessage.CallMediaPath("c-1", "relay"),
            new SignalingMessage.PresenceUnwatch(List.of("u-1")),
            new Sdp("c-1", "offer", "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"),
            new Candidate("c-1", "candidate:1 1 udp 1 127.0.0.1 5000 typ relay", "0", 0));
    for (SignalingMessage message : messages) {
      assertEquals(message, MessageCodec.decode(MessageCodec.encode(message)), message.type());
    }
  }

  @Test
  void encodingCarriesTypeAndVersion() {
    String json = MessageCodec.encode(new Error("invalid", "Nope.", null));
    assertTrue(json.contains("\"type\":\"error\""), json);
    assertTrue(json.contains("\"v\":1"), json);
    assertFalse(json.contains("inReplyTo"), json);
  }

  @Test
  void malformedAndForeignInputIsRefusedWithAStableCode() {
    assertEquals("malformed", refusal("{not json"));
    assertEquals("malformed", refusal("[1,2]"));
    assertEquals("malformed", refusal("\"hello\""));
    assertEquals("invalid", refusal("{\"v\":1}"));
    assertEquals("version", refusal("{\"type\":\"ping\"}"));
    assertEquals("version", refusal("{\"type\":\"ping\",\"v\":2}"));
    assertEquals("unknown-type", refusal("{\"type\":\"call.transfer\",\"v\":1}"));
    assertEquals("unknown-type", refusal("{\"type\":\"welcome\",\"v\":1,\"userId\":\"x\"}"));
    assertEquals("invalid", refusal("{\"type\":\"ping\",\"v\":1,\"admin\":true}"));
    assertEquals(
        "too-large", refusal("{\"type\":\"ping\",\"v\":1,\"x\":\"" + "a".repeat(70_000) + "\"}"));
  }

  @Test
  void fieldsAreTypedAndBounded() {
    assertEquals("invalid", refusal("{\"type\":\"call.answer\",\"v\":1,\"callId\":42}"));
    assertEquals("invalid", refusal("{\"type\":\"call.answer\",\"v\":1,\"callId\":\"\"}"));
    assertEquals("invalid", refusal("{\"type\":\"call.answer\",\"v\":1,\"callId\":\"a b\"}"));
    assertEquals(
        "invalid",
        refusal("{\"type\":\"call.answer\",\"v\":1,\"callId\":\"" + "a".repeat(200) + "\"}"));
    assertEquals(
        "invalid",
        refusal(
            "{\"type\":\"call.invite\",\"v\":1,\"ref\":\"r1\",\"to\":\"bob\",\"media\":\"fax\"}"));
    assertEquals(
        "invalid",
        refusal(
            "{\"type\":\"candidate\",\"v\":1,\"callId\":\"c\",\"candidate\":\"x\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":-1}"));
    assertEquals(
        "invalid",
        refusal(
            "{\"type\":\"candidate\",\"v\":1,\"callId\":\"c\",\"candidate\":\"x\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0.5}"));
    assertEquals("invalid", refusal("{\"type\":\"presence.watch\",\"v\":1,\"users\":\"bob\"}"));
    assertEquals("invalid", refusal("{\"type\":\"presence.watch\",\"v\":1,\"users\":[1]}"));
    String tooMany =
        IntStream.range(0, MessageCodec.MAX_WATCH + 1)
            .mapToObj(i -> "\"u" + i + "\"")
            .collect(Collectors.joining(","));
    assertEquals(
        "invalid", refusal("{\"type\":\"presence.watch\",\"v\":1,\"users\":[" + tooMany + "]}"));
  }

  @Test
  void refusalsNeverQuoteTheMessage() {
    var error =
        assertThrows(
            ProtocolException.class,
            () -> MessageCodec.decode("{\"type\":\"<script>alert(1)</script>\",\"v\":1}"));
    assertFalse(error.getMessage().contains("<script>"));
  }

  @Test
  void theTokenNeverAppearsInToString() {
    assertFalse(new Hello("secret-token").toString().contains("secret-token"));
  }
}
