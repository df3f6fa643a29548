package com.vclick.web.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnauthenticatedSocketsTest {

  private final UnauthenticatedSockets sockets = new UnauthenticatedSockets(3, 2);
  private int ids;

  private Connection from(String address) {
    String id = "s" + ids++;
    Session session =
        (Session)
            Proxy.newProxyInstance(
                Session.class.getClassLoader(),
                new Class<?>[] {Session.class},
                (proxy, method, args) -> method.getName().equals("getId") ? id : null);
    return new Connection(session, address, Instant.EPOCH, () -> {});
  }

  private Optional<Connection> admitted(Connection c) {
    return assertInstanceOf(UnauthenticatedSockets.Admitted.class, sockets.admit(c)).evicted();
  }

  @Test
  void anAddressAtItsCapIsRefusedWithoutTouchingOthers() {
    admitted(from("10.0.0.1"));
    admitted(from("10.0.0.1"));

    var refused =
        assertInstanceOf(UnauthenticatedSockets.Refused.class, sockets.admit(from("10.0.0.1")));

    assertEquals(UnauthenticatedSockets.ADDRESS_FULL, refused.reason());
    assertEquals(2, sockets.count());
  }

  @Test
  void whenAllPlacesAreTakenTheOldestMakesWay() {
    Connection first = from("a");
    Connection second = from("b");
    admitted(first);
    admitted(second);
    admitted(from("c"));

    assertEquals(Optional.of(first), admitted(from("d")));
    assertEquals(Optional.of(second), admitted(from("e")));
    assertEquals(3, sockets.count());
    // The evicted one's address has its place back.
    admitted(from("a"));
  }

  @Test
  void releaseIsIdempotentAndFreesTheAddress() {
    Connection one = from("x");
    admitted(one);
    admitted(from("x"));
    sockets.release(one);
    sockets.release(one);

    assertEquals(1, sockets.count());
    assertEquals(Optional.empty(), admitted(from("x")));
    assertInstanceOf(UnauthenticatedSockets.Refused.class, sockets.admit(from("x")));
  }
}
