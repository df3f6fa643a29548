package com.vclick.web.signaling;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hands the WebSocket session the address its upgrade request came from: Jakarta WebSocket has no
 * API for it, but a session sees its upgrade request's parameters, so this filter (declared, hence
 * before the container's WebSocket filter) puts the address there under {@link #PARAMETER},
 * replacing whatever a client sent under that name.
 */
@WebFilter(urlPatterns = "/ws", asyncSupported = true)
public class RemoteAddressFilter extends HttpFilter {

  private static final long serialVersionUID = 1L;

  static final String PARAMETER = "vclick.remote-address";

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(new WithRemoteAddress(request), response);
  }

  /** The address put there by this filter; empty where it did not run. */
  static Optional<String> of(Map<String, java.util.List<String>> sessionParameters) {
    var values = sessionParameters.get(PARAMETER);
    return values == null || values.size() != 1 ? Optional.empty() : Optional.of(values.get(0));
  }

  private static final class WithRemoteAddress extends HttpServletRequestWrapper {
    private final Map<String, String[]> parameters;

    WithRemoteAddress(HttpServletRequest request) {
      super(request);
      Map<String, String[]> map = new LinkedHashMap<>(request.getParameterMap());
      map.put(PARAMETER, new String[] {request.getRemoteAddr()});
      this.parameters = Collections.unmodifiableMap(map);
    }

    @Override
    public Map<String, String[]> getParameterMap() {
      return parameters;
    }

    @Override
    public String getParameter(String name) {
      String[] values = parameters.get(name);
      return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public String[] getParameterValues(String name) {
      String[] values = parameters.get(name);
      return values == null ? null : values.clone();
    }

    @Override
    public java.util.Enumeration<String> getParameterNames() {
      return Collections.enumeration(parameters.keySet());
    }
  }
}
