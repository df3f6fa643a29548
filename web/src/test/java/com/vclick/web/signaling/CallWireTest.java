package com.vclick.web.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.vclick.core.calls.CallMessage;
import com.vclick.core.calls.CallMessage.PartyView;
import com.vclick.core.calls.CallMessage.SourceView;
import java.io.StringReader;
import java.lang.reflect.RecordComponent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every message of the call service has its wire message, and the new ones encode as specified. */
class CallWireTest {

  @Test
  void everyCallMessageHasAWireMessage() throws Exception {
    for (Class<?> type : CallMessage.class.getPermittedSubclasses()) {
      if (!type.isRecord() || type == PartyView.class || type == SourceView.class) {
        continue;
      }
      RecordComponent[] components = type.getRecordComponents();
      Class<?>[] parameterTypes = new Class<?>[components.length];
      Object[] arguments = new Object[components.length];
      for (int i = 0; i < components.length; i++) {
        parameterTypes[i] = components[i].getType();
        arguments[i] = sample(parameterTypes[i]);
      }
      var message =
          (CallMessage) type.getDeclaredConstructor(parameterTypes).newInstance(arguments);
      String json = MessageCodec.encode(CallWire.of(message));
      assertFalse(json.isEmpty(), type.getSimpleName());
    }
  }

  @Test
  void partiesAndAddEndedAsSignalingMdSaysThem() {
    String parties =
        MessageCodec.encode(
            CallWire.of(
                new CallMessage.Parties("c1", List.of(new PartyView("u1", "Alice", "joined")))));
    assertEquals(
        "{\"type\":\"call.parties\",\"callId\":\"c1\",\"parties\":"
            + "[{\"userId\":\"u1\",\"name\":\"Alice\",\"state\":\"joined\"}],\"v\":1}",
        parties);
    String ended =
        MessageCodec.encode(CallWire.of(new CallMessage.AddEnded("c1", null, "u2", "busy")));
    assertEquals(
        "{\"type\":\"call.add.ended\",\"callId\":\"c1\",\"userId\":\"u2\",\"reason\":\"busy\",\"v\":1}",
        ended);
    String twoParty =
        MessageCodec.encode(
            CallWire.of(new CallMessage.Incoming("c1", "u1", "Alice", "video", null)));
    assertFalse(twoParty.contains("parties"), twoParty);
  }

  @Test
  void aListInviteAndTheConferenceMessagesDecode() {
    var invite =
        (SignalingMessage.CallInvite)
            MessageCodec.decode(
                "{\"type\":\"call.invite\",\"v\":1,\"ref\":\"r\",\"to\":[\"bob\",\"carol\"],"
                    + "\"media\":\"video\"}");
    assertEquals(List.of("bob", "carol"), invite.to());
    var candidate =
        (SignalingMessage.ConferenceCandidate)
            MessageCodec.decode(
                "{\"type\":\"conference.candidate\",\"v\":1,\"callId\":\"c1\",\"sessionId\":"
                    + "\"publish\",\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\","
                    + "\"sdpMLineIndex\":0}");
    assertEquals("publish", candidate.sessionId());
    assertEquals(0, candidate.sdpMLineIndex());
    try (var reader =
        jakarta.json.Json.createReader(
            new StringReader(MessageCodec.encode(new SignalingMessage.CallLeave("c1"))))) {
      assertEquals("call.leave", reader.readObject().getString("type"));
    }
  }

  @Test
  void anEmptyInviteListIsRefused() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ProtocolException.class,
            () ->
                MessageCodec.decode(
                    "{\"type\":\"call.invite\",\"v\":1,\"ref\":\"r\",\"to\":[],\"media\":\"video\"}"));
    assertEquals("invalid", e.code());
  }

  private static Object sample(Class<?> type) {
    if (type == List.class) {
      return List.of();
    }
    if (type == Integer.class) {
      return 0;
    }
    return "x";
  }
}
