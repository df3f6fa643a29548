package com.vclick.core.telephony;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A telephony gateway clients may place phone calls through (the calls themselves arrive with the
 * telephony issue; for now clients can list and select one).
 *
 * @param id a short stable identifier ({@code [a-z0-9-]}, at most 32 characters)
 * @param name what users see
 */
public record TelephonyGateway(String id, String name) {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  public TelephonyGateway {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("A gateway id is [a-z0-9-], at most 32 characters: " + id);
    }
    if (name == null || name.isBlank() || name.length() > 80) {
      throw new IllegalArgumentException("Gateway " + id + " needs a name of 1 to 80 characters.");
    }
  }

  /**
   * Reads {@code vclick.telephony.gateways}: comma-separated {@code id=Name} pairs, e.g. {@code
   * sip-london=London SIP trunk,sip-ny=New York SIP trunk}; blank means none.
   *
   * @throws IllegalArgumentException on a malformed entry or a repeated id
   */
  public static List<TelephonyGateway> parseList(String value) {
    List<TelephonyGateway> gateways = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return gateways;
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String entry : value.split(",")) {
      int equals = entry.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException("A gateway is id=Name, not '" + entry.trim() + "'.");
      }
      TelephonyGateway gateway =
          new TelephonyGateway(
              entry.substring(0, equals).trim(), entry.substring(equals + 1).trim());
      if (!ids.add(gateway.id())) {
        throw new IllegalArgumentException("Gateway " + gateway.id() + " is listed twice.");
      }
      gateways.add(gateway);
    }
    return List.copyOf(gateways);
  }
}
