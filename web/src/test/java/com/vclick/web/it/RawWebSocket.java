package com.vclick.web.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket that an attacker would open: a plain TCP socket from a chosen loopback address
 * (127.0.0.0/8 is all this machine's), the upgrade request by hand, then nothing (no hello) unless
 * told. It reads what the server sends until the server closes: the text frames and the close code.
 */
final class RawWebSocket implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Socket socket;
  private final DataInputStream in;
  private final List<String> texts = new ArrayList<>();
  private boolean closeReceived;
  private final long openedNanos = System.nanoTime();

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Connects from {@code from} to the app at {@code base} and completes the upgrade (101). */
  static RawWebSocket open(URL base, String from) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    socket.setSoTimeout((int) Duration.ofSeconds(15).toMillis());
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String path = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
    String request =
        "GET "
            + path
            + "ws HTTP/1.1\r\nHost: "
            + base.getHost()
            + ":"
            + base.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    var raw = new RawWebSocket(socket);
    String status = raw.readHeaders();
    if (!status.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("upgrade refused: " + status);
    }
    return raw;
  }

  private String readHeaders() throws IOException {
    var head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("closed during the upgrade");
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
  }

  /** Sends one masked text frame (clients must mask). */
  void sendText(String text) throws IOException {
    sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
  }

  private void sendFrame(int firstByte, byte[] payload) throws IOException {
    var frame = new ByteArrayOutputStream();
    frame.write(firstByte);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xff);
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    socket.getOutputStream().write(frame.toByteArray());
    socket.getOutputStream().flush();
  }

  /** How long ago this socket was opened, for failure messages. */
  java.time.Duration age() {
    return java.time.Duration.ofNanos(System.nanoTime() - openedNanos);
  }

  /**
   * Reads frames until the server's close frame and returns its code (1005 when it has none);
   * throws when the server drops the connection without one or says nothing for 15 s.
   */
  int awaitClose() throws IOException {
    while (true) {
      int code = readFrame();
      if (code >= 0) {
        return code;
      }
    }
  }

  /** Reads one frame; returns the close code of a close frame, else -1. */
  private int readFrame() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    int opcode = first & 0x0f;
    if (opcode == 0x1) {
      texts.add(new String(payload, StandardCharsets.UTF_8));
    } else if (opcode == 0x8) {
      closeReceived = true;
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }
    return -1;
  }

  /** Reads frames until a text frame and returns it (or fails when the server closes first). */
  String nextText() throws IOException {
    int before = texts.size();
    while (texts.size() == before) {
      int code = readFrame();
      if (code >= 0) {
        throw new IOException("closed with " + code + " before a text frame; read " + texts);
      }
    }
    return texts.get(texts.size() - 1);
  }

  /**
   * Closes with the close handshake: when this returns the server has seen the close (Tyrus runs
   * the endpoint's close handler before it answers), so its counts are up to date.
   */
  void closeCleanly() throws IOException {
    try {
      if (!closeReceived) {
        sendFrame(0x88, new byte[] {0x03, (byte) 0xe8}); // 1000
        awaitClose();
      }
    } finally {
      close();
    }
  }

  /** The text frames read so far. */
  List<String> texts() {
    return List.copyOf(texts);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // gone either way
    }
  }
}
