package com.vclick.core.identity.token;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Keys, signed tokens, a fake key source and a settable clock for the token tests. */
final class TestKeys {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private TestKeys() {}

  static KeyPair rsaKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(String text) {
    return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] bytes) {
    return B64.encodeToString(bytes);
  }

  /** A compact JWS signed with SHA256withRSA, whatever the header claims. */
  static String sign(KeyPair keys, JsonObject header, JsonObject claims) {
    String signedPart = b64(header.toString()) + "." + b64(claims.toString());
    return signedPart + "." + signature(keys, signedPart);
  }

  /** The base64url SHA256withRSA signature of a JWS signing input. */
  static String signature(KeyPair keys, String signedPart) {
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(keys.getPrivate());
      signature.update(signedPart.getBytes(StandardCharsets.US_ASCII));
      return b64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonObject rs256Header(String kid) {
    return Json.createObjectBuilder().add("alg", "RS256").add("typ", "JWT").add("kid", kid).build();
  }

  /** An RSA JWK as Keycloak publishes it. */
  static JsonObjectBuilder jwk(String kid, RSAPublicKey key) {
    return Json.createObjectBuilder()
        .add("kid", kid)
        .add("kty", "RSA")
        .add("alg", "RS256")
        .add("n", b64(unsigned(key.getModulus())))
        .add("e", b64(unsigned(key.getPublicExponent())));
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  /** An in-memory key source; keys added to {@link #onRefresh} appear only after a refresh. */
  static final class FakeJwks implements JwksSource {
    final Map<String, RSAPublicKey> current = new HashMap<>();
    final Map<String, RSAPublicKey> onRefresh = new HashMap<>();
    final AtomicInteger refreshes = new AtomicInteger();

    @Override
    public Optional<RSAPublicKey> key(String kid) {
      return Optional.ofNullable(current.get(kid));
    }

    @Override
    public void refresh() {
      refreshes.incrementAndGet();
      current.putAll(onRefresh);
    }
  }
}
