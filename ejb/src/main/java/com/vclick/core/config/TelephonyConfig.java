package com.vclick.core.config;

import com.vclick.core.telephony.TelephonyGateway;
import java.util.List;

/**
 * Telephony.
 *
 * @param gateways the gateways clients may choose for phone numbers ({@code
 *     vclick.telephony.gateways}, {@code id=Name} pairs separated by commas; none by default)
 */
public record TelephonyConfig(List<TelephonyGateway> gateways) {

  public TelephonyConfig {
    gateways = List.copyOf(gateways);
  }
}
